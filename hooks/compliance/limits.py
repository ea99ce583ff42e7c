"""How much the data and docs/ may hold, and how an editor raises a limit (shared by every stage)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LimitOption(StrEnum):
    """The options of `extra: compliance:` that raise a limit, by name: messages name them from here and
    options.py declares a field of each name (a test ties the two)."""

    FILE_SIZE = "max_file_size"
    DATA_SIZE = "max_data_size"
    DATA_FILES = "max_data_files"
    IMAGE_SIZE = "max_image_size"
    DOCS_SIZE = "max_docs_size"
    DOCS_FILES = "max_docs_files"
    NESTING = "max_nesting"
    PROSE_GROWTH = "max_prose_growth"
    SUGGESTIONS = "max_suggestions"
    VALUE_LENGTH = "max_value_length"
    YAML_DEPTH = "max_yaml_depth"
    ID_LENGTH = "max_id_length"
    FEED_ENTRIES = "max_feed_entries"
    PDF_ENTRIES = "max_pdf_entries"


# Options written as a size (512K, 2M); the others are counts.
SIZE_OPTIONS = (LimitOption.FILE_SIZE, LimitOption.DATA_SIZE, LimitOption.IMAGE_SIZE, LimitOption.DOCS_SIZE)
COUNT_OPTIONS = tuple(option for option in LimitOption if option not in SIZE_OPTIONS)
# Hand-written data files are a few kilobytes; the pure-Python YAML parser needs about
# a second per 250 KiB, so this keeps any build quick while leaving a lot of room.
DEFAULT_MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """How much the data and docs/ may hold; options.py maps each option an editor may raise to its field."""

    file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # Levels of YAML nesting: the data needs about eight, and composing recurses once per level.
    depth: int = 40
    # Characters of one value: the longest prose of a real guide is a few thousand.
    text_chars: int = 20_000
    # Characters of a claim's id, which names a folder and a file of the site.
    id_chars: int = 100
    integer_digits: int = 15
    # All data files together: three full-size files load in about three seconds.
    data_bytes: int = 3 * DEFAULT_MAX_FILE_BYTES
    data_files: int = 64
    # Each file published from docs/ (images, styles, pages), and how many there may be.
    image_bytes: int = 1024 * 1024
    docs_files: int = 2000
    # All of docs/ together: an SVG is parsed at about 20 MB a second.
    docs_bytes: int = 32 * 1024 * 1024
    # Brackets open at once, and lists or quotes nested, in one prose value: Markdown's link
    # matching costs depth x length, and its list parser recurses once per level.
    prose_nesting: int = 16
    # Prose with its mentions filled in may be this many times its source (or text_chars).
    prose_growth: int = 20
    # Unknown names compared with the known ones for "did you mean" in one build.
    suggestions: int = 20

    @property
    def values(self) -> int:
        """Most keys and values in one file. The pure-Python parser spends about 60 µs on each, so a
        file within the size limit but packed with tiny values (`[1,1,1,...]`) still loads in ~2 s."""
        return self.file_bytes // 8


def limit_hint(option: LimitOption, example: str = "") -> str:
    """How an editor raises the limit a message names: an option of `extra: compliance:` in mkdocs.yml,
    with an `example` value when given."""
    shown = f" (e.g. {option}: {example})" if example else ""
    return f"raise the limit with {option} under extra: compliance: in mkdocs.yml{shown}"


# The Atom feed holds the newest updates only, as feeds do: a reader polls it for what is new.
DEFAULT_FEED_ENTRIES = 100
# Entries the PDF prints (claims, updates, FAQ questions, documents, subprocessors, controls): Chromium
# lays the whole guide out at once, and 2,000 FAQ entries took 30 s of CPU and 885 MB.
DEFAULT_PDF_ENTRIES = 500


def pdf_too_long(entries: int, limit: int) -> str | None:
    """Why the PDF is not printed when the guide holds more entries than `limit`, else None."""
    if entries <= limit:
        return None
    return (
        f"the PDF would print {entries:,} entries (claims, updates, FAQ questions, documents, subprocessors "
        f"and controls), over the limit of {limit:,}; {limit_hint(LimitOption.PDF_ENTRIES)}"
    )


# Python recurses a few frames per level of YAML nesting; past this the interpreter's own limit would
# stop the build with a traceback instead of one line.
MAX_YAML_DEPTH = 200
# File systems refuse names over 255 bytes; a claim's page is `<id>.html` (or `<id>/index.html`).
MAX_ID_CHARS = 200
