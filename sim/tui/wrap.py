"""Line wrapping that treats each CJK character as a break opportunity.

Rich and Textual wrap only at spaces, so Chinese text with one embedded space (`BA008 航班`)
jumps to a new line and leaves a ragged gap, and `1. 把她…` leaves the number alone on its
line. This renderable wraps between CJK characters and at spaces, with a hanging indent.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

NO_BREAK_BEFORE = set("，。、；：！？）」』”’》〉】…—·,.;:!?)]}%")
"""Closing punctuation never starts a line (the Chinese rule 避头)."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def line_breaks(text: str, width: int, indent: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of one paragraph wrapped to `width` cells.

    A line may break after a space, before or after a wide (CJK) character, or anywhere in a
    word longer than a line. Spaces at a break are dropped. Lines after the first are
    `indent` cells narrower (the caller draws the indent).
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
            char = text[end]
            size = cell_len(char)
            if used + size > available:
                break
            used += size
            end += 1
            nxt = text[end] if end < length else ""
            breakable = char == " " or _wide(char) or (nxt and _wide(nxt)) or nxt == " "
            if breakable and nxt not in NO_BREAK_BEFORE:
                last_break = end
        if end < length and last_break > start and text[end] != " ":
            end = last_break
        lines.append((start, end))
        start = end
        while start < length and text[start] == " ":
            start += 1
    return lines or [(0, 0)]


class Wrapped:
    """A rich renderable of a Text wrapped with `line_breaks`, keeping its styles.

    `indent` is the hanging indent of a paragraph's later lines; `prefix` starts every line
    (a block quote's bar, a list's nesting) and narrows the text by its width.
    """

    def __init__(self, text: Text, indent: int = 0, prefix: Text | None = None) -> None:
        self.text = text
        self.indent = indent
        self.prefix = prefix

    def lines(self, width: int) -> list[Text]:
        out: list[Text] = []
        prefix = self.prefix or Text()
        inner = max(1, width - prefix.cell_len)
        for paragraph in self.text.split("\n", allow_blank=True):
            plain = paragraph.plain
            for number, (start, end) in enumerate(line_breaks(plain, inner, self.indent)):
                line = paragraph[start:end]
                line.rstrip()
                if number and self.indent:
                    line = Text(" " * self.indent) + line
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
