"""Strips control and escape characters from author and team text before any output sees it.

A team name or a note can carry ANSI escapes (which repaint a terminal that prints a
Markdown report), NUL bytes, or bidirectional overrides (which make text read differently
from what it is). Only newline and tab survive among the controls.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (including the 8-bit CSI, U+009B),
# and the bidirectional embedding, override and isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What is left of an escape sequence once its ESC is gone ("[31m") is harmless text, but
# dropping the whole sequence keeps the output clean.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: str) -> str:
    """The text without control, escape or bidi-override characters (newline and tab kept)."""
    text = text.replace("\r\n", "\n")
    text = _ANSI.sub("", text)
    return _UNSAFE.sub("", text)


def clean_line(text: str) -> str:
    """Like `clean`, for one-line text such as a name: newlines and tabs become spaces."""
    return " ".join(clean(text).split())
