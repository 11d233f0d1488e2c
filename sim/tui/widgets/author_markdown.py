"""Author Markdown (case text, real outcome) made safe and CJK-friendly for Textual's Markdown."""

from __future__ import annotations

import re

from sim.tui.text import clean

_PUNCTUATION = "：:，,。.；;！!？?、”’）)》」』"

_CLOSING_AFTER_PUNCTUATION = re.compile(
    rf"\*\*(?=[^\s*])([^*\n]*?[^\s*{_PUNCTUATION}])([{_PUNCTUATION}]+)\*\*(?=[^\s{_PUNCTUATION}*])"
)
"""`**标题：**正文`: CommonMark does not close emphasis after punctuation when a letter follows
(Chinese puts no space there), so the asterisks would show. Moving the punctuation out of the
bold (`**标题**：正文`) renders as the author meant."""


def author_markdown(text: str) -> str:
    """Strip terminal control characters and repair bold lead-ins that end in punctuation."""
    return _CLOSING_AFTER_PUNCTUATION.sub(r"**\1**\2", clean(text))
