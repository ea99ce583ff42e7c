"""compliance.schema.json kept between builds: pydantic's JSON Schema generation runs once per change of its inputs.

The export's schema is a function of the code that declares the model and the export (every
`compliance` module loaded when it is first asked for), of pydantic's version and Python's, and of
the build's limits; nothing else. Those are digested whole (the modules' source as this process
loaded it: the digest is taken once per process, so a `mkdocs serve` whose code was edited under it
keeps matching the code it runs), and the schema kept under `.cache/compliance/` with that digest is
used only when the digest matches, by privatecache.py's rules; otherwise it is generated and kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pydantic
import pydantic_core

from ..limits import Limits
from ..privatecache import PrivateCache, code_digest
from .plan import export_schema_text

CACHE_FOLDER = Path(".cache") / "compliance" / "export-schema"
_FILE = "compliance.schema.json"


def kept_export_schema_text(project_dir: Path, limits: Limits | None = None) -> str:
    """`export_schema_text(limits)`, from the project's cache when it was made from the same inputs."""
    versions = f"{pydantic.VERSION}\0{pydantic_core.__version__}"
    inputs = f"{code_digest()}:{versions}:{limits or Limits()!r}".encode()
    digest = hashlib.sha256(inputs).hexdigest().encode()
    cache = PrivateCache(project_dir, CACHE_FOLDER)
    kept = cache.read(_FILE)
    if kept is not None and kept.startswith(digest + b"\n"):
        return kept[len(digest) + 1 :].decode("utf-8")
    text = export_schema_text(limits)
    cache.write(_FILE, digest + b"\n" + text.encode("utf-8"))
    return text
