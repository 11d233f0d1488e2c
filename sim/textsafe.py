"""Text that is safe to put on a terminal: one definition of what a case, a team or a store may
not send to the screen, used by the command line, the app and the reports alike.

A title, an id, a team name or a stored path can carry ANSI escapes (which retitle, clear or
repaint a terminal, or plant a hidden OSC 8 link), other C0 and C1 controls (a CR that
overwrites the line, a NUL), bidirectional overrides and isolates (which make text read
differently from what it is), and lone surrogates (which no output encoding accepts). Newline
and tab are the only controls that text may keep.

Two treatments: `clean` removes them (what a screen or a report shows an audience), and
`visible` shows them escaped as `\\u001b` (what a command line shows an author, who must be able
to find the character in the file). `visible`'s escapes are also valid inside JSON strings, so
the command line can pass its JSON output through the same filter.
"""

from __future__ import annotations

import re
from functools import cache

UNSAFE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
"""C0 controls except tab and newline, DEL, C1 controls (with the 8-bit CSI, U+009B), the bidi
embeddings, overrides and isolates, and UTF-16 surrogates on their own."""

_compiled = cache(re.compile)
"""Each pattern below compiled when first used, then kept: importing this module compiles
nothing, and `clean` on printable text (a title, a label: all of Home's first frame) needs
none of them."""

_UNSAFE = f"[{UNSAFE_CHARS}]"
# CR is unsafe (it rewinds the line) except as half of a CRLF line end (a CSV's rows).
_UNSAFE_KEEP_CRLF = (
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# What is left of an escape sequence once its ESC is gone ("[31m", "]0;title") is harmless but
# confusing text; `clean` drops the whole sequence.
_ANSI = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
_LINE_BREAKS = "[\n\r\t]"


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean(text: str) -> str:
    """The text without control, escape, bidi-override or surrogate characters (newline and tab
    kept; a CRLF line end becomes a newline)."""
    if text.isprintable():
        return text  # no control, format (bidi) or surrogate character: nothing to remove
    text = text.replace("\r\n", "\n")
    text = _compiled(_ANSI).sub("", text)
    return _compiled(_UNSAFE).sub("", text)


def clean_line(text: str) -> str:
    """Like `clean`, for one-line text such as a name: newlines and tabs become spaces."""
    return " ".join(clean(text).split())


def visible(text: str) -> str:
    """The text with every unsafe character shown as a `\\uXXXX` escape (newline, tab and a
    CRLF line end kept), so a terminal prints it as it is and nothing acts on the terminal."""
    if text.isascii() and text.isprintable():
        return text  # the common case, at the cost of two C-level scans
    return _compiled(_UNSAFE_KEEP_CRLF).sub(_escape, text)


def visible_line(text: str) -> str:
    """`visible` for one field of a one-line listing: newline, CR and tab are escaped too, so a
    team named "A\\nB" cannot fake a second row."""
    return _compiled(_LINE_BREAKS).sub(_escape, visible(text))
