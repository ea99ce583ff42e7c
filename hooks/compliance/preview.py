"""What a `mkdocs serve` process keeps from one rebuild to the next, each result under every input it was made from.

MkDocs 1.x redoes its own part of every rebuild whole (it empties the site folder, converts every
page's Markdown, renders every page's theme template, indexes every page for the search), and a
plugin cannot skip any of it: a page left out is missing from the site and from the search index.
The hooks' part is redone only where an edit reaches it:

- a YAML file (data, labels, catalogue) whose text, name and limits did not change is not parsed again;
- when no input of the load changed (the bytes of every file under the data folder, `labels/` and
  `catalogue/`, the names and links of the files under docs/, the load's arguments, which hold the
  options and the day), the loaded, validated data is kept whole, and with it `compliance.json`'s content;
- a page whose Markdown, address, options and data did not change, nor any template file the
  renderer read while the page was kept (found again by its name, in the same folders), keeps its
  rendered Markdown;
- a prose value's HTML is kept by its Markdown with the mentions filled in, which is all it is made
  from: after an edit of the data, only the prose the edit changed is converted and sanitized again.

A value of the data reaches pages through the templates and the model's own code alike (a claim's
title is on its page, the matrix, the home page, the claims page, the export and the feed), with no
record of which page read which value: an edit of the data renders every page again rather than
keep one that might show the old value. Nothing is kept on disk or beyond the process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from .limits import Limits
from .load.yamlload import PARSE_MEMO, Parsed
from .loadinputs import load_key
from .model.data import ComplianceData, load_compliance_data
from .render.pages import PageRenderer, text_digest

T = TypeVar("T")
# Prose values kept as HTML: a site of 10,000 claims has about as many.
_MOST_PROSE = 50_000
# A template a renderer read: by its name, the file it was found in and the digest of its text.
TemplatesRead = Mapping[str, tuple[str, str]]


class PreviewMemory:
    """The results one `mkdocs serve` process keeps between rebuilds of one language's site."""

    def __init__(self) -> None:
        self._parses: dict[tuple[str, str, Limits], Parsed] = {}
        self._loaded: tuple[str, ComplianceData] | None = None
        # Made from the kept data only, each by its own key: compliance.json's content, and pages' Markdown
        # (with the keys of those the build under way made).
        self._made: dict[Hashable, Any] = {}
        self._pages: dict[Hashable, str] = {}
        self._pages_used: set[Hashable] = set()
        # Every template a kept page may have read, with the folders it was looked up in.
        self._templates: dict[str, tuple[str, str]] = {}
        self._search_dirs: tuple[str, ...] = ()
        # The renderer's record of the build under way, whose templates have been checked.
        self._checked: TemplatesRead | None = None
        # Prose as sanitized HTML by its Markdown with mentions filled in, which alone it depends on (prose.py).
        self.prose: dict[tuple[str, bool], str] = {}

    def load(self, project_dir: Path, data_dir: Path, docs_dir: Path, **arguments: Any) -> ComplianceData:
        """`load_compliance_data` with the same arguments, or the data it gave last time when none of its inputs
        changed; otherwise each YAML file whose text did not change is not parsed again."""
        key = load_key(project_dir, data_dir, docs_dir, arguments)
        if self._loaded is not None and key is not None and self._loaded[0] == key:
            return self._loaded[1]
        self._loaded = None
        self._made.clear()
        self._pages.clear()
        if len(self.prose) > _MOST_PROSE:  # what earlier edits left unused, past a site's worth many times over
            self.prose.clear()
        kept, used = self._parses, {}

        def remembered(text: str, name: str, limits: Limits, parse: Callable[[], Parsed]) -> Parsed:
            found = kept.get((text, name, limits))
            used[text, name, limits] = found = parse() if found is None else found
            return found

        token = PARSE_MEMO.set(remembered)
        try:
            data = load_compliance_data(project_dir, data_dir, docs_dir, **arguments)
        finally:
            PARSE_MEMO.reset(token)
            self._parses = used  # a file's earlier texts are dropped with the files no longer read
        if key is not None:
            self._loaded = (key, data)
        return data

    def made(self, data: ComplianceData, key: Hashable, make: Callable[[], T]) -> T:
        """What `make` makes from `data` alone and `key`'s values: kept while `data` is the kept data."""
        if self._loaded is None or data is not self._loaded[1]:
            return make()
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]  # type: ignore[no-any-return]

    def page(self, data: ComplianceData, key: Hashable, renderer: PageRenderer, render: Callable[[], str]) -> str:
        """A page's rendered Markdown: kept while `data` is the kept data, `key` (the page's Markdown, address and
        options) is the same, and every template read since by the renderers of this memory is unchanged."""
        read = renderer.templates_read
        if read is not self._checked:  # once per build: each build's renderer has a record of its own
            self._checked = read
            folders = tuple(str(folder) for folder in renderer.search_dirs)
            if folders != self._search_dirs or not self._templates_unchanged():
                self._pages, self._templates, self._search_dirs = {}, {}, folders
            # A page the last build did not make (an edited page's earlier Markdown) is not kept longer.
            self._pages = {k: v for k, v in self._pages.items() if k in self._pages_used}
            self._pages_used = set()
        if self._loaded is None or data is not self._loaded[1]:
            return render()
        self._pages_used.add(key)
        if key not in self._pages:
            self._pages[key] = render()
        self._templates.update(read)
        return self._pages[key]

    def _templates_unchanged(self) -> bool:
        loader, environment = jinja2.FileSystemLoader(list(self._search_dirs)), jinja2.Environment()
        for name, (filename, digest) in self._templates.items():
            try:
                source, found, _ = loader.get_source(environment, name)
            except (jinja2.TemplateNotFound, OSError, UnicodeDecodeError):
                return False
            if found != filename or text_digest(source) != digest:
                return False
        return True
