"""Outside text made safe for the one format it is written into (STYLE rule 21: escape at the sink).

A report carries what servers, caches, the link map and users wrote: a multi-line FTP reply, a status
line with Markdown in it, an `::error` at the start of a line that a GitHub runner would obey. Each
function here is for one sink; a report calls it where it writes the value, whatever its source.
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1: line breaks, CR, ANSI escapes), and the invisible format characters
# that reorder or hide text (bidi overrides and isolates, zero-width characters, line separators).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A line a GitHub runner reads as a workflow command once it has trimmed its leading white space
# (`::error::`, and the older `##[error]`).
_COMMAND_STARTS = ("::", "##[")
_BACKTICKS = re.compile("`+")
# The login of a URL (`https://user:password@host/`, `http:\\token@host`): what a report must never show.
# Up to the last '@' before the path, query or fragment; a mailto: address has no '//' and stays.
_LOGIN = re.compile(r"(?i)\b((?:https?|ftp):[/\\]*|[a-z][a-z0-9+.\-]*://)[^/\\?#\s]*@")
HIDDEN_LOGIN = "***@"


def without_logins(text: str) -> str:
    """`text` with the login of every URL in it replaced by `***`: a link's password reaches no report."""
    return _LOGIN.sub(lambda match: match[1] + HIDDEN_LOGIN, text) if "@" in text else text


def one_line(text: str) -> str:
    """`text` on one line with nothing invisible (each unsafe character written as its escape, `\\x1b`), and no login.

    Every text sink (log lines, Markdown, workflow commands) writes through here.
    """
    return UNSAFE.sub(_escape, without_logins(text))


def log_line(line: str) -> str:
    """A whole line for a CI log: one line (see one_line) that no runner reads as a workflow command."""
    line = one_line(line)
    body = line.lstrip()
    if body.startswith(_COMMAND_STARTS):
        indent = line[: len(line) - len(body)]
        return f"{indent}\\x{ord(body[0]):02x}{body[1:]}"
    return line


def markdown_code(text: str, in_table: bool = True) -> str:
    """`text` as a Markdown code span: nothing in it renders (no link, image, HTML, emphasis or autolink).

    Inside a table cell every `|` is escaped too, or it would end the cell (GFM reads `\\|` back as `|`,
    even in a code span).
    """
    text = one_line(text)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    # CommonMark strips one space from each end of a span that has both: padding keeps a leading or
    # trailing backtick apart from the fence, and the text exactly as it was.
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def workflow_message(text: str) -> str:
    """A GitHub workflow command's message: one line, `%`, CR and LF escaped as the runner reads them back."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A workflow command's property value (`file=...`): a message's escapes, plus `:` and `,`."""
    return workflow_message(text).replace(":", "%3A").replace(",", "%2C")


def _escape(match: re.Match[str]) -> str:
    character = match[0]
    named = _NAMED.get(character)
    if named:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
