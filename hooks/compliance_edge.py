"""What every MkDocs hook runs within: the session a `mkdocs` command keeps, and the one error edge.

Every hook runs under `edge`, the one place where anything unexpected becomes one line naming the
file and the step (`COMPLIANCE_DEBUG=1`, or `mkdocs build --verbose`, shows the traceback instead).
MkDocs loads the hooks once per process, so the session outlives a build: a build's state is a
`SiteBuild` made afresh in each `on_config`, and under `mkdocs serve` the session also keeps what a
rebuild may reuse from the ones before it (compliance/preview.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from mkdocs.exceptions import PluginError

from compliance.errors import BuildFailed, ComplianceError, display_path, unexpected_error
from compliance.preview import PreviewMemory
from compliance.publish.staging import PublishError
from compliance.sitebuild import SiteBuild

log = logging.getLogger("mkdocs.plugins.compliance")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Session:
    """What outlives one build: the command MkDocs runs, and the build under way (made in on_config)."""

    command: str = "build"
    build: SiteBuild | None = None
    # The language the next build is for: None for the data's default, set while another language's site builds.
    language: str | None = None
    # Under `mkdocs serve`: what each language's rebuilds keep from the ones before (compliance/preview.py).
    memories: dict[str | None, PreviewMemory] = field(default_factory=dict)

    def memory(self) -> PreviewMemory | None:
        """The memory of the language being built, in a `mkdocs serve` process; None in any other."""
        if self.command != "serve":
            return None
        return self.memories.setdefault(self.language, PreviewMemory())


session = Session()
Where = Callable[[SiteBuild | None, tuple[Any, ...], dict[str, Any]], str]


def edge(step: str, where: Where, *, outside_build: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a hook so that whatever fails in it reaches the editor as one line naming the file and the step.

    Inside the build MkDocs reports a PluginError in one line; on_startup and on_shutdown run outside
    it, where only a logged error and the exit status do that.
    """

    def decorate(hook: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(hook)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return hook(*args, **kwargs)
            except (PluginError, BuildFailed, PublishError, ComplianceError) as exc:
                message = str(exc)  # each names its file (a ComplianceError its line and column too)
            except Exception as exc:  # the catch-all at the edge: one line, never a traceback
                build = session.build
                if (build is not None and build.options.debug) or log.isEnabledFor(logging.DEBUG):
                    raise
                message = unexpected_error(exc, where(build, args, kwargs), step)
            if outside_build:
                log.error("%s", message)
                raise SystemExit(1)
            raise PluginError(message)

        return guarded

    return decorate


def current() -> SiteBuild:
    """The build on_config made; every later hook runs within it."""
    if session.build is None:
        raise RuntimeError("a build step ran before on_config made the build")
    return session.build


def config_file(build: SiteBuild | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Where: the configuration file."""
    config = kwargs.get("config") or (args[0] if args else None)
    path = getattr(config, "config_file_path", None)
    if not path:
        return "mkdocs.yml"
    return display_path(Path(path).parent, Path(path))


def docs(build: SiteBuild | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Where: the docs folder."""
    return "docs/" if build is None else display_path(build.project_dir, build.docs_dir) + "/"


def page(build: SiteBuild | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Where: the file the page is made from."""
    page = kwargs.get("page")
    if build is None or page is None:
        return docs(build, args, kwargs)
    return display_path(build.project_dir, build.page_source(page.file.src_uri))


def site(build: SiteBuild | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Where: the site folder being written."""
    if build is not None and build.staged is not None:
        return display_path(build.project_dir, build.staged.site_dir)
    config = kwargs.get("config")
    return str(config.site_dir) if config is not None else "site"
