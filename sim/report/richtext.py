"""The small, safe subset of Markdown that case text uses: headings, lists, paragraphs, emphasis.

Author text is escaped first and only then given the few tags this module writes, so nothing
the author typed can become markup. Links and raw HTML stay visible as text. Headings are
shifted so the case's top heading sits one level below the report's section heading (h3).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_CODE = re.compile(r"`([^`]+)`")


def _inline(line: str) -> str:
    """One escaped line with **strong**, *emphasis* and `code` turned into tags."""
    html = str(escape(line))
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    return _EM.sub(r"<em>\1</em>", html)


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def demotion(text: str, top: int = 3) -> int:
    """How many levels to push the text's headings down so the highest becomes `top`."""
    levels = [len(m.group(1)) for m in map(_HEADING.match, text.split("\n")) if m]
    return max(0, top - min(levels)) if levels else 0


def to_html(text: str, top: int = 3) -> Markup:
    """Case text as HTML, its highest heading as h`top`; everything else is escaped."""
    demote = demotion(text, top)
    out: list[str] = []
    for block in _blocks(text):
        items: list[str] = []
        list_tag = ""
        paragraph: list[str] = []

        def flush() -> None:
            nonlocal items, list_tag, paragraph
            if paragraph:
                out.append("<p>" + "<br>\n".join(paragraph) + "</p>")
                paragraph = []
            if items:
                out.append(f"<{list_tag}>" + "".join(items) + f"</{list_tag}>")
                items, list_tag = [], ""

        for line in block:
            heading = _HEADING.match(line)
            bullet = _BULLET.match(line)
            numbered = None if bullet else _NUMBERED.match(line)
            if heading:
                flush()
                level = min(len(heading.group(1)) + demote, 6)
                out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            elif bullet or numbered:
                tag = "ul" if bullet else "ol"
                if paragraph or (items and tag != list_tag):
                    flush()
                list_tag = tag
                match = bullet or numbered
                assert match is not None
                items.append(f"<li>{_inline(match.group(1))}</li>")
            else:
                if items:
                    flush()
                paragraph.append(_inline(line.strip()))
        flush()
    # Every piece of author text above went through `escape`; only our own tags are added.
    return Markup("\n".join(out))


_MD_NEUTRAL = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "[": "\\[", "]": "\\]", "`": "\\`"}


def to_markdown(text: str, top: int = 3) -> str:
    """Case text for a Markdown report: the author's emphasis, lists and headings kept (the
    highest as level `top`), raw HTML, links, images and code fences neutralised."""
    demote = demotion(text, top)
    lines = []
    for line in text.split("\n"):
        safe = "".join(_MD_NEUTRAL.get(ch, ch) for ch in line)
        heading = _HEADING.match(safe)
        if heading:
            hashes = len(heading.group(1)) + demote
            safe = (
                ("#" * hashes + " " + heading.group(2))
                if hashes <= 6
                else ("**" + heading.group(2) + "**")
            )
        lines.append(safe)
    return "\n".join(lines).strip("\n")
