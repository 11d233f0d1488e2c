"""Case text (author Markdown) for the reports: HTML and Markdown from `sim.prose`.

The same parse as the screen (markdown-it-py with the CJK-friendly plugin, soft breaks joined
without a space inside Chinese), so the handout, the report and the TUI read alike. Raw HTML,
links and images are not Markdown here: they stay visible as the author typed them, escaped.
Headings are shifted so the case's top heading sits one level below the report's section
heading (h3).
"""

from __future__ import annotations

import re

from markupsafe import Markup

from sim.prose import Block, Span, blocks, demotion, parse, parser

__all__ = ["demotion", "to_html", "to_markdown"]


def to_html(text: str, top: int = 3) -> Markup:
    """Case text as HTML, its highest heading as h`top`; everything the author typed is
    escaped by markdown-it's renderer (raw HTML is off), so only its own tags appear."""
    demote = demotion(text, top)
    tokens = parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1:]) + demote, 6)}"
    md = parser()
    return Markup(md.renderer.render(tokens, md.options, {}).strip())


_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_PUNCTUATION = set("\\`*_[]|~#")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def _escape(text: str) -> str:
    return "".join(
        _MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_PUNCTUATION else ch) for ch in text
    )


def _span(span: Span) -> str:
    text = _escape(span.text)
    if span.code:
        text = f"`{span.text.replace('`', '')}`"
    if span.em:
        text = f"*{text}*"
    if span.strong:
        text = f"**{text}**"
    return text


def _line(block: Block) -> str:
    out = "".join(_span(span) for span in block.spans).replace("\n", "  \n")
    # A paragraph that starts like a list item or a rule would become one: neutralise it.
    return _LINE_START.sub(
        lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3), out
    )


def to_markdown(text: str, top: int = 3) -> str:
    """Case text for a Markdown report: emphasis, lists, quotes and headings kept (the highest
    as level `top`), each paragraph on one line (soft breaks joined as on screen), raw HTML,
    links, images and code fences neutralised."""
    demote = demotion(text, top)
    out: list[str] = []
    previous: Block | None = None
    for block in blocks(text):
        quote = "> " * block.quotes
        indent = "   " * max(0, block.items - 1)
        if block.kind == "heading":
            level = block.level + demote
            body = _line(block)
            line = ("#" * level + " " + body) if level <= 6 else f"**{body}**"
        elif block.kind == "rule":
            line = "---"
        elif block.kind == "code":
            line = "\n".join(f"    {_escape(row)}" for row in block.plain.split("\n"))
        elif block.items:
            marker = ("-" if not block.ordered else block.marker) if block.marker else ""
            lead = f"{marker} " if marker else ("   " if block.ordered else "  ")
            line = indent + lead + _line(block)
        else:
            line = _line(block)
        if previous is not None:
            tight = (
                block.items and previous.items and block.marker and block.quotes == previous.quotes
            )
            if not tight:
                out.append(("> " * min(block.quotes, previous.quotes)).rstrip())
        out.append("\n".join(quote + row if row else quote.rstrip() for row in line.split("\n")))
        previous = block
    return "\n".join(out).strip("\n")
