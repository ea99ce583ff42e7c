"""The loaded, validated data kept on disk between builds, under the project's `.cache/compliance/data/`.

At a hundred times the guide's data, loading is a fifth of what the hooks add to a build, and a build
whose inputs did not change would load the same data again. So a build keeps what it loaded, and a
later build uses it only when it would load the same, with the same code:

- every input of the load is the same (loadinputs.py): the bytes of the data, labels and catalogue
  files, the names under docs/, the options, the limits and the day;
- the tool's code is the same: the source of every `compliance` module, and Python's version;
- every module the load ran with (pydantic, PyYAML, Markdown, Python's own, and ours) is still the
  file it was: the same path, size and modification time, each checked again before the data is used.

Anything else reads as absent, never as an error: another key, a changed library, a file that is not
safely ours (privatecache.py), one that cannot be read back. The data is then loaded anew, as if there
were no cache. Only a load that succeeds is kept, in one file per data folder, language and medium,
which the next load of them replaces. docs/'s files are checked in every build, before the load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from .limits import Limits
from .load.docsfiles import docs_problems
from .loadinputs import load_key
from .model.data import ComplianceData, collector_paused, load_compliance_data
from .privatecache import PrivateCache, code_digest

CACHE_FOLDER = Path(".cache") / "compliance" / "data"
log = logging.getLogger("mkdocs.plugins.compliance")


def kept_load(project_dir: Path, data_dir: Path, docs_dir: Path, **arguments: Any) -> ComplianceData:
    """`load_compliance_data` with the same arguments, or the data it gave an earlier build when it
    would give the same again (see above); a load that fails is never kept, and raises as it would."""
    if not arguments.get("docs_checked"):
        limits: Limits = arguments.get("limits") or Limits()
        if docs_problems(project_dir, docs_dir, limits):
            # It fails, naming docs/'s files with every problem of the data.
            return load_compliance_data(project_dir, data_dir, docs_dir, **arguments)
        arguments = {**arguments, "docs_checked": True}
    key = f"{load_key(project_dir, data_dir, docs_dir, arguments)}:{code_digest()}"
    cache = PrivateCache(project_dir, CACHE_FOLDER)
    name = entry_name(data_dir, arguments)
    kept = _read(cache, name, key)
    if kept is not None:
        return kept
    data = load_compliance_data(project_dir, data_dir, docs_dir, **arguments)
    _write(cache, name, key, data)
    return data


def entry_name(data_dir: Path, arguments: dict[str, Any]) -> str:
    """The file that keeps the loads of `data_dir` in this language, for this medium."""
    slot = repr((str(data_dir.resolve()), arguments.get("language"), bool(arguments.get("for_print"))))
    return hashlib.sha256(slot.encode()).hexdigest()[:32] + ".pickle"


def _read(cache: PrivateCache, name: str, key: str) -> ComplianceData | None:
    content = cache.read(name)
    if content is None:
        return None
    header, _, rest = content.partition(b"\n")
    if header != key.encode():
        return None
    manifest, _, pickled = rest.partition(b"\n")
    try:
        modules = json.loads(manifest)
        unchanged = modules == _module_files([str(file) for file, *_ in modules])
    except (ValueError, TypeError):
        return None
    if not unchanged:
        return None
    # The file is this user's own, intact, made by this code from these inputs: anything it still fails
    # on (a class moved by a library's update in place) means only that it cannot be used.
    try:
        with collector_paused():  # as the load itself: the data lives for the whole build
            data = pickle.loads(pickled)
    except Exception as exc:
        log.debug("the kept data in %s cannot be read back (%s); loading it anew", cache.folder / name, exc)
        return None
    return data if isinstance(data, ComplianceData) else None


def _write(cache: PrivateCache, name: str, key: str, data: ComplianceData) -> None:
    try:
        pickled = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
        log.debug("the loaded data cannot be kept (%s)", exc)
        return
    manifest = json.dumps(_module_files(_loaded_files())).encode()
    cache.write(name, key.encode() + b"\n" + manifest + b"\n" + pickled)


def _loaded_files() -> list[str]:
    """The file of every module this process has loaded from one: the libraries', and ours too (whose
    source is in the key, but only as far as it was loaded before the load began)."""
    files = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    return sorted(file for file in files if isinstance(file, str))


def _module_files(files: list[str]) -> list[list[Any]]:
    """Each file with its size and modification time, or with none when it is gone."""
    described: list[list[Any]] = []
    for file in files:
        try:
            status = os.stat(file)
        except OSError:
            described.append([file])
            continue
        described.append([file, status.st_size, status.st_mtime_ns])
    return described
