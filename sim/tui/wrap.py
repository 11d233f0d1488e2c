"""Line wrapping that follows Chinese line-breaking rules as well as English ones.

Rich and Textual wrap only at spaces, so Chinese text with one embedded space (`BA008 航班`)
jumps to a new line and leaves a ragged gap, and `1. 把她…` leaves the number alone on its
line. This renderable wraps between CJK characters and at spaces, with a hanging indent, and
keeps the rules of Chinese typesetting: no line starts with closing punctuation (，。、）」…),
none ends with opening punctuation (（「“), and a number stays with its unit (30万元, 50%).
Every piece of case text on screen goes through it, Markdown included (sim.tui.prose_view).
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

NO_BREAK_BEFORE = frozenset("，。、；：！？）」』”’》〉】〕］｝…—·～%‰℃,.;:!?)]}")
"""Closing punctuation never starts a line (the Chinese rule 避头)."""

NO_BREAK_AFTER = frozenset("（「『“‘《〈【〔［｛([{")
"""Opening punctuation never ends a line (避尾)."""

UNIT_AFTER_NUMBER = frozenset("%‰℃°")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") or char in "“”‘’—…·"


def _next_visible(text: str, index: int) -> str:
    while index < len(text) and text[index] == " ":
        index += 1
    return text[index] if index < len(text) else ""


def can_break(text: str, index: int) -> bool:
    """May a line end between text[index - 1] and text[index]?

    At a space, or next to a wide (CJK) character, unless that would start a line with
    closing punctuation, end one with opening punctuation, or part a number from its unit
    (`30万元`, `30 万元`, `3000公里`, `50%`). Never inside a Latin word.
    """
    if index <= 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    if before.isdigit() and (_wide(after) or after in UNIT_AFTER_NUMBER):
        return False
    if before.isdigit() and after == " " and _wide(_next_visible(text, index)):
        return False
    if before == " ":
        # `30 万元`: the space inside a number and its unit is no break either.
        previous = text[:index].rstrip(" ")
        return not (previous and previous[-1].isdigit() and _wide(after))
    if after == " ":
        return _next_visible(text, index) not in NO_BREAK_BEFORE
    return _wide(before) or _wide(after)


def line_breaks(text: str, width: int, indent: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of one paragraph wrapped to `width` cells.

    Lines break where `can_break` allows, or anywhere in a run longer than a line that
    allows none. Spaces at a break are dropped. Lines after the first are `indent` cells
    narrower (the caller draws the indent).
    """
    lines: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length:
        available = max(1, width - (indent if lines else 0))
        used = 0
        end = start
        last_break = -1
        while end < length:
            size = cell_len(text[end])
            if used + size > available:
                break
            used += size
            end += 1
            if can_break(text, end):
                last_break = end
        if end < length and last_break > start and not (text[end] == " " and can_break(text, end)):
            end = last_break
        lines.append((start, end))
        start = end
        while start < length and text[start] == " ":
            start += 1
    return lines or [(0, 0)]


_LEAD = re.compile(r"^( *)((?:[·•✓✗▶-]|\d+\.) )?")


def _hanging(paragraph: str) -> int:
    """The cells before a paragraph's text: its leading spaces and a bullet or number."""
    match = _LEAD.match(paragraph)
    return cell_len(match.group(0)) if match else 0


class Wrapped:
    """A rich renderable of a Text wrapped with `line_breaks`, keeping its styles.

    `indent` is the hanging indent of a paragraph's later lines; `prefix` starts every line
    (a block quote's bar, a list's nesting) and narrows the text by its width.
    """

    def __init__(
        self, text: Text, indent: int = 0, prefix: Text | None = None, hang: bool = False
    ) -> None:
        self.text = text
        self.indent = indent
        self.prefix = prefix
        self.hang = hang
        """Each paragraph hangs under its own first word: `    · text` continues under `text`,
        `  1. text` under `text` (a scorecard's evidence, a list of feedback)."""

    def lines(self, width: int) -> list[Text]:
        out: list[Text] = []
        prefix = self.prefix or Text()
        inner = max(1, width - prefix.cell_len)
        for paragraph in self.text.split("\n", allow_blank=True):
            plain = paragraph.plain
            indent = _hanging(plain) if self.hang else self.indent
            for number, (start, end) in enumerate(line_breaks(plain, inner, indent)):
                line = paragraph[start:end]
                line.rstrip()
                if number and indent:
                    line = Text(" " * indent) + line
                out.append(prefix + line if self.prefix else line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        extra = self.prefix.cell_len if self.prefix else 0
        longest = max((cell_len(p) for p in self.text.plain.split("\n")), default=0) + extra
        return Measurement(min(4, longest), min(longest, options.max_width))
