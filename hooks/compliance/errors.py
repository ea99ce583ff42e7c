"""Where a value came from, and the error type that reports problems at those places."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{printable(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at one place."""

    location: Location
    message: str
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        # One problem is one line of a terminal or CI log, whatever a file's name or a value holds.
        return f"{self.location}: {printable(where + self.message)}"


# Problems listed at once. Each is found in linear time, but 20,000 lines (an id renamed in a long
# list) would bury the first ones in a log and in the preview's page; the rest are counted in one line.
SHOWN_PROBLEMS = 100


class ComplianceError(Exception):
    """Raised with every problem found, so an editor can fix them all in one pass (the first
    SHOWN_PROBLEMS are listed, the rest counted; `problems` holds them all)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.location, p.path, p.message))
        lines = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        rest = self.problems[SHOWN_PROBLEMS:]
        if rest:
            more = f"{len(rest):,} more {'problem' if len(rest) == 1 else 'problems'}"
            lines.append(
                f"{rest[0].location}: {more} from here on, not listed (at most {SHOWN_PROBLEMS} are at once); "
                "fix those above and build again"
            )
        super().__init__("\n".join(lines))


def printable(text: str) -> str:
    """`text` with every character a log would act on or hide (newline, escape, bidi override) written
    as its escape, as repr() writes it: `data/a\\x1b[31m.yml`."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def display_path(project_dir: Path, path: Path) -> str:
    """`path` as an editor reads it in messages: relative to the project when it is inside it."""
    try:
        return path.resolve().relative_to(project_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a data path as `certifications[0].documents[1].url`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def unexpected_error(exc: BaseException, where: str, step: str) -> str:
    """The one line an unexpected failure is reported in, naming the file and the step."""
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return f"{printable(where)}: {step}: unexpected error ({detail}); run with COMPLIANCE_DEBUG=1 for the traceback"


class BuildFailed(Exception):
    """A step of the build that cannot go on; the message is what the editor reads."""
