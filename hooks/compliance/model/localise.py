"""The data as read in one language: its words in that language, its facts as written once.

A translation is written beside the words it translates, as `key@lang` (`title@sv:` beside `title:`);
the site's fixed words come from the tool's labels for the language (`labels/<lang>.yml`, beside
mkdocs.yml), with the organisation's own over them (`labels:` for the default language,
`labels@<lang>:` for another). Before the model validates the data of a language, each translation
takes its key's place; every other value is the one the editor wrote once. So no status, date, scope
or URL can differ between languages: a fact written per language is refused at its line, as is a
translation into a language that is not declared.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, display_path, format_path
from ..limits import Limits
from ..load.sourcemap import DataPath, SourceMap
from ..load.yamlload import load_yaml_file
from ..suggest import suggest
from .language import is_translatable, translatable_fields, untranslated
from .schema import model_at

MARK = "@"
LABELS_DIR = "labels"
LABELS = "labels"


@dataclass(frozen=True)
class MissingTranslation:
    """Words of the default language with no translation into `language`: where they are written."""

    path: DataPath
    location: Location
    language: str

    def describe(self) -> str:
        """One line for `make review` and the strict build's error."""
        return f"{self.location}: {format_path(self.path)}: no translation into '{self.language}' (add {self.key})"

    @property
    def key(self) -> str:
        """The key that would hold the translation, as the editor writes it."""
        return f"{self.path[-1]}{MARK}{self.language}"


@dataclass
class LocalData:
    """The merged data in one language, where each of its values was written, and what is wrong or missing."""

    language: str
    default: str
    others: tuple[str, ...]
    document: dict[str, Any] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    missing: list[MissingTranslation] = field(default_factory=list)


def declared_languages(raw: dict[str, Any], fallback: str) -> tuple[str, tuple[str, ...]]:
    """The default language and the others, as `languages:` declares them (read leniently: the model
    reports a malformed declaration); without one, the data is in `fallback` alone."""
    declared = raw.get("languages")
    if not isinstance(declared, dict) or not isinstance(declared.get("default"), str):
        return fallback, ()
    others = declared.get("others")
    kept = [tag for tag in others if isinstance(tag, str)] if isinstance(others, list) else []
    default = declared["default"]
    return default, tuple(dict.fromkeys(tag for tag in kept if tag != default))


def localise(
    raw: dict[str, Any],
    sources: SourceMap,
    language: str | None,
    *,
    fallback: str,
    project_dir: Path,
    limits: Limits,
    theme_languages: Collection[str] | None = None,
) -> LocalData:
    """The data of `language` (None: the default one), with the labels for it, ready for the model.

    `theme_languages`, when known, are the tags the theme has interface words for: a declared language
    outside them is refused at its line, since the theme could not build its site.
    """
    default, others = declared_languages(raw, fallback)
    local = LocalData(language or default, default, others)
    if theme_languages is not None:
        local.problems += _wordless(raw, sources, theme_languages)
    if local.language not in (default, *others):
        where = sources.value(("languages",))
        local.problems.append(Problem(where, f"the language '{local.language}' is not declared under languages:"))
        return local
    walker = _Walker(local, sources)
    document = walker.mapping(raw, ())
    labels, label_sources = _labels(raw, sources, local, project_dir, limits)
    if labels is not None:
        document[LABELS] = labels
    local.document = document
    local.sources = walker.renamed(label_sources, {key for key in raw if _is_labels(key)})
    return local


def mark_untranslated(model: Any, missing: list[MissingTranslation], default: str) -> None:
    """Mark, in the validated model, each value shown in the default language for want of a translation."""
    for gap in missing:
        *parents, last = gap.path
        owner = model
        for part in parents:
            owner = owner[part] if isinstance(part, int) else getattr(owner, str(part))
        value = getattr(owner, str(last))
        if isinstance(value, list):
            setattr(owner, str(last), [untranslated(item, default) for item in value])
        elif isinstance(value, str):
            setattr(owner, str(last), untranslated(value, default))


class _Walker:
    """Walks the raw data once: each translation into its key's place, each misplaced one a problem."""

    def __init__(self, local: LocalData, sources: SourceMap) -> None:
        self.local, self.sources = local, sources
        self.moves: dict[DataPath, DataPath] = {}  # where a translation was written -> the key it replaces
        self.dropped: list[DataPath] = []

    def value(self, node: Any, path: DataPath) -> Any:
        if isinstance(node, dict):
            return self.mapping(node, path)
        if isinstance(node, list):
            return [
                self.value(item, (*path, i)) if isinstance(item, (dict, list)) else item for i, item in enumerate(node)
            ]
        return node

    def mapping(self, node: dict[str, Any], path: DataPath) -> dict[str, Any]:
        model = model_at(path)
        fields = model.model_fields if model is not None else None
        out: dict[str, Any] = {}
        for key, item in node.items():
            if path == () and _is_labels(key):
                continue  # the labels are merged over the tool's own (_labels)
            if fields is not None and isinstance(key, str) and MARK in key:
                self._check(node, path, key, fields)
                continue
            # A plain value is kept as it is: only mappings hold translations.
            out[key] = self.value(item, (*path, key)) if isinstance(item, (dict, list)) else item
        local = self.local
        if model is None or local.language == local.default:
            return out
        for name in translatable_fields(model):
            if node.get(name) is None:
                continue
            written = f"{name}{MARK}{local.language}"
            if written in node and node[written] is not None:
                out[name] = self.value(node[written], (*path, written))
                self.moves[(*path, written)] = (*path, name)
            else:
                local.missing.append(
                    MissingTranslation((*path, name), self.sources.value((*path, name)), local.language)
                )
        return out

    def _check(self, node: dict[str, Any], path: DataPath, key: str, fields: dict[str, Any]) -> None:
        name, _, language = key.partition(MARK)
        local, where = self.local, (*path, key)
        self.dropped.append(where)
        declared = (local.default, *local.others)
        if name not in fields:
            message = f"unknown key '{name}' (translated as '{key}'){suggest(name, sorted(fields))}"
        elif not is_translatable(fields[name]):
            message = (
                f"'{name}' is a fact, the same in every language: write it once, as '{name}' "
                "(only words such as titles and prose are given per language)"
            )
        elif language == local.default:
            message = f"'{language}' is the default language: its words are written as '{name}', not '{key}'"
        elif language not in declared:
            shown = ", ".join(declared)
            message = f"'{language}' is not a declared language ({shown}); declare it under languages: others:"
        elif node.get(name) is None:
            message = f"a translation of '{name}', which is not given in the default language ('{local.default}')"
        else:
            return
        local.problems.append(Problem(self.sources.key(where), message, format_path(where)))

    def renamed(self, labels: SourceMap, label_keys: set[str]) -> SourceMap:
        """The source map with each translation's place as its key's, and `labels` for the data's `label_keys`."""
        result = SourceMap()
        for table, target in ((self.sources.values, result.values), (self.sources.keys, result.keys)):
            data = {path: where for path, where in table.items() if not path or path[0] not in label_keys}
            if not self.moves:  # one language, or no translation written: nothing moves
                target.update(data)
                continue
            moved = []  # a translation's place wins over its key's, whichever the editor wrote first
            for path, where in data.items():
                place = self._moved(path)
                if place == path:
                    target[path] = where
                else:
                    moved.append((place, where))
            target.update(moved)
        result.update(labels)
        return result

    def _moved(self, path: DataPath) -> DataPath:
        for end in range(len(path), 0, -1):
            moved = self.moves.get(path[:end])
            if moved is not None:
                return (*moved, *path[end:])
        return path


def _is_labels(key: str | int) -> bool:
    """Whether a top-level key holds labels (`labels:`, `labels@sv:`), whose places come from _labels."""
    return isinstance(key, str) and (key == LABELS or key.startswith(LABELS + MARK))


def _labels(
    raw: dict[str, Any], sources: SourceMap, local: LocalData, project_dir: Path, limits: Limits
) -> tuple[dict[str, Any] | None, SourceMap]:
    """The tool's labels for the language with the organisation's over them, and where each was written."""
    merged_sources = SourceMap()
    base = _base_labels(project_dir, local, limits, merged_sources)
    declared = (local.default, *local.others)
    for key in raw:
        language = key.partition(MARK)[2] if isinstance(key, str) and key.startswith(LABELS + MARK) else None
        if language is not None and (language not in declared or language == local.default):
            why = (
                "is the default language: its labels are written under labels:"
                if language == local.default
                else (f"is not a declared language ({', '.join(declared)})")
            )
            local.problems.append(Problem(sources.key((key,)), f"'{language}' {why}", key))
    own_key = LABELS if local.language == local.default else f"{LABELS}{MARK}{local.language}"
    own = raw.get(own_key)
    for path, where in sources.values.items():
        if path and path[0] == own_key:
            merged_sources.values[(LABELS, *path[1:])] = where
    for path, where in sources.keys.items():
        if path and path[0] == own_key:
            merged_sources.keys[(LABELS, *path[1:])] = where
    if base is None and own is None:
        return None, merged_sources
    labels = _merge(base, own) if isinstance(base, dict) else own
    if isinstance(labels, dict) and isinstance(labels.get("dates"), dict) and "locale" not in labels["dates"]:
        labels["dates"] = {**labels["dates"], "locale": local.language}
    return labels, merged_sources


def _base_labels(project_dir: Path, local: LocalData, limits: Limits, into: SourceMap) -> Any:
    """The tool's labels for the language (`labels/sv.yml`; `labels/de.yml` for `de-CH`), or None."""
    folder = project_dir / LABELS_DIR
    for name in dict.fromkeys((local.language, local.language.split("-")[0])):
        path = folder / f"{name}.yml"
        if not path.is_file():
            continue
        value, file_sources, problems = load_yaml_file(path, display_path(project_dir, path), limits)
        local.problems.extend(problems)
        if not isinstance(value, dict) or not isinstance(value.get(LABELS), dict):
            if not problems:
                message = "expected a mapping under 'labels:'"
                local.problems.append(Problem(Location(display_path(project_dir, path), 1, 1), message))
            return None
        into.update(file_sources)
        return value[LABELS]
    return None


def _wordless(raw: dict[str, Any], sources: SourceMap, theme_languages: Collection[str]) -> list[Problem]:
    """Each declared language the theme has no interface words for, at its line, with a near one."""
    declared = raw.get("languages")
    if not isinstance(declared, dict):
        return []
    others = declared.get("others")
    tags: list[tuple[DataPath, Any]] = [(("languages", "default"), declared.get("default"))]
    tags += [(("languages", "others", i), tag) for i, tag in enumerate(others)] if isinstance(others, list) else []
    problems = []
    for path, tag in tags:
        if isinstance(tag, str) and tag not in theme_languages:
            message = f"'{tag}' is not a language the theme has words for{_near_language(tag, theme_languages)}"
            problems.append(Problem(sources.value(path), message, format_path(path)))
    return problems


def _near_language(tag: str, known: Collection[str]) -> str:
    """The theme's tag differing only in case (`pt-br`), or the language of a regional tag (`de-CH`)."""
    by_case = {name.lower(): name for name in known}
    near = by_case.get(tag.lower()) or by_case.get(tag.split("-")[0].lower())
    return f"; did you mean '{near}'?" if near else suggest(tag, sorted(known))


def _merge(base: Any, own: Any) -> Any:
    """`own` over `base`, mapping by mapping; any other value of `own` replaces `base`'s whole."""
    if isinstance(base, dict) and isinstance(own, dict):
        return {**base, **{key: _merge(base.get(key), value) for key, value in own.items()}}
    return base if own is None else own
