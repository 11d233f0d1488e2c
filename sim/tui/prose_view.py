"""Author Markdown drawn on screen with our own wrapper, so Chinese line breaking holds.

Textual's Markdown widget wraps at spaces only: Chinese lines start with `、` or `，` and a
number is parted from its unit. Here the blocks from `sim.prose` (the one text pipeline
shared with the reports) become rich Text wrapped by `Wrapped`, which follows the rules.
Everything is plain text: nothing the author typed is read as Textual or Rich markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from sim.prose import Block, Span, blocks
from sim.tui.text import clean
from sim.tui.wrap import Wrapped

QUOTE_BAR = "▎ "
"""Drawn before every line of a block quote (a `>` would look like a typo on screen)."""


def _style(span: Span) -> str:
    styles = []
    if span.strong:
        styles.append("bold")
    if span.em or span.code:
        styles.append("italic")
    return " ".join(styles)


def _text(block: Block) -> Text:
    text = Text()
    for span in block.spans:
        text.append(clean(span.text), style=_style(span))
    return text


def block_view(block: Block) -> RenderableType:
    """One block wrapped to the width it is given, with its quote bar and list indent."""
    prefix = Text(QUOTE_BAR * block.quotes, style="dim")
    if block.items > 1:
        prefix.append("   " * (block.items - 1))
    if block.kind == "rule":
        return Text("─" * 24, style="dim")
    text = _text(block)
    indent = 0
    if block.items:
        lead = f"{block.marker} " if block.marker else ""
        width = 3 if block.ordered else 2
        lead = lead.ljust(width) if lead else " " * width
        text = Text(lead) + text
        indent = len(lead)
    if block.kind == "heading":
        text.stylize("bold underline" if block.level <= 2 else "bold")
    elif block.kind == "code":
        text.stylize("dim")
    return Wrapped(text, indent=indent, prefix=prefix if prefix.plain else None)


def markdown_view(markdown: str) -> RenderableType:
    """Author Markdown as a renderable: blank lines between blocks, none inside a tight list."""
    parts: list[RenderableType] = []
    previous: Block | None = None
    for block in blocks(markdown):
        if previous is not None:
            same_list = block.items and previous.items and block.quotes == previous.quotes
            if not same_list:
                parts.append(Text(QUOTE_BAR * min(block.quotes, previous.quotes), style="dim"))
        parts.append(block_view(block))
        previous = block
    return Group(*parts)
