"""Turn a data file's bytes into text YAML can parse, refusing what would mislead an editor.

PyYAML reports undecodable bytes and control characters as a character offset into the whole
stream (or a traceback), and counts NEL, LINE SEPARATOR and lone CRs as line breaks that editors
do not show. So the bytes are checked here first, and every refusal names the line and column an
editor sees.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..errors import Location, Problem
from ..limits import LimitOption, Limits, limit_hint

# Problems of one kind listed per file before the rest are summed up in one line.
MAX_LISTED = 10

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# The one list of characters no data may hold (a regex class body; the loader and the model use it):
# undecodable bytes (as surrogate escapes), C0/C1 controls except tab, line feed and carriage return,
# UTF-16 halves, the two non-characters PyYAML refuses, and the Unicode line and paragraph separators
# (YAML counts them as line breaks, editors do not).
REFUSED_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029"
# In a file, a CR is refused too unless it ends a line.
_REFUSED = re.compile(f"[{REFUSED_CHARACTERS}]|\r(?!\n)")
# In a value, even one written as an escape ("\0", "\e", "\ud800"), a CR too.
REFUSED_IN_TEXT = re.compile(f"[{REFUSED_CHARACTERS}\r]")
_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BACKSPACE",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESC",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x2028: "LINE SEPARATOR",
    0x2029: "PARAGRAPH SEPARATOR",
    0xFEFF: "BYTE ORDER MARK inside the text",
    0xFFFE: "not a character",
    0xFFFF: "not a character",
}


def char_name(char: str) -> str:
    """`U+001B (ESC)`: how a character an editor may not see is named in messages."""
    code = ord(char)
    name = _NAMES.get(code, "a control character" if code < 0xA0 else "")
    if 0xD800 <= code <= 0xDFFF:
        name = "a lone UTF-16 surrogate, not a character"
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of `text[index]`, counting only LF as a line break, as editors do."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def read_text_file(path: Path, name: str, limits: Limits) -> tuple[str | None, list[Problem]]:
    """The file's text, or None and the problems that kept it from being read."""
    where = Location(name, 1, 1)
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, [Problem(where, "the file does not exist (a broken link?)")]
    if stat.S_ISDIR(info.st_mode):
        return None, [Problem(where, "is a folder, not a data file; rename or move it")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem(where, "is not a regular file (a pipe, socket or device); remove it")]
    if info.st_size > limits.file_bytes:
        return None, [_too_big(where, info.st_size, limits)]
    try:
        with path.open("rb") as stream:
            # Not read(limit + 1): CPython allocates that many bytes up front, whatever the file's size.
            raw = stream.read(min(info.st_size, limits.file_bytes) + 1)
    except OSError as exc:
        return None, [Problem(where, f"cannot be read: {exc.strerror or exc}; check its permissions")]
    if len(raw) > limits.file_bytes:  # it grew after stat(), or stat() does not know its size
        return None, [_too_big(where, len(raw), limits)]
    return decode_text(raw, name)


def decode_text(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without its BOM, or None and one problem per refused character (at most MAX_LISTED)."""
    for bom, encoding in _BOMS.items():
        if raw.startswith(bom):
            message = f"the file is saved as {encoding} text; save it as UTF-8"
            return None, [Problem(Location(name, 1, 1), message)]
    text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    problems = refused_characters(text, name)
    return (None, problems) if problems else (text, [])


def refused_characters(text: str, name: str) -> list[Problem]:
    """One problem per character a data file may not hold (undecodable bytes included), at most MAX_LISTED."""
    problems = []
    matches = list(_REFUSED.finditer(text))
    for match in matches[:MAX_LISTED]:
        line, column = position(text, match.start())
        problems.append(Problem(Location(name, line, column), _refusal(text, match.start())))
    if len(matches) > MAX_LISTED:
        line, column = position(text, matches[MAX_LISTED].start())
        more = f"{len(matches) - MAX_LISTED} more characters like the ones above are not listed"
        problems.append(Problem(Location(name, line, column), more))
    return problems


def _refusal(text: str, index: int) -> str:
    char = text[index]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, escaped by the decoder
        byte = code - 0xDC00
        following = ord(text[index + 1]) - 0xDC00 if index + 1 < len(text) else 0
        if byte == 0xED and 0xA0 <= following <= 0xBF:
            return "a lone UTF-16 surrogate (U+D800 to U+DFFF) is not a character; remove it or save the file as UTF-8"
        return (
            f"not UTF-8 text: byte 0x{byte:02X} cannot be read here "
            "(was the file saved as Latin-1 or Windows-1252?); save it as UTF-8"
        )
    if 0xD800 <= code <= 0xDFFF:
        return f"the lone UTF-16 surrogate {char_name(char)} is not a character; remove it"
    if char == "\r":
        return (
            "a carriage return (U+000D) that does not end a line; remove it or save the file with LF or CRLF line ends"
        )
    if char in "\u2028\u2029\x85":
        return (
            f"{char_name(char)} is not allowed: YAML reads it as a line break, editors do not; use a plain line break"
        )
    return f"{char_name(char)} is not allowed in data files; delete it (most editors do not show it)"


def _too_big(where: Location, size: int, limits: Limits) -> Problem:
    return Problem(
        where,
        f"the file is {size:,} bytes, over the limit of {limits.file_bytes:,} bytes for one data file; "
        f"split it, or {limit_hint(LimitOption.FILE_SIZE, '2M')}",
    )
