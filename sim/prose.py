"""Case text as readers see it: one pipeline for the screen, the handout and the reports.

Authors write case text in YAML, usually as blocks folded at their editor's width. YAML keeps
those line breaks (`|`) or turns them into spaces (`>`), and neither belongs in Chinese: a
break or a space between two Han characters shows as a hard break mid-word (`谁买了什` /
`么`) or as a stray gap (`企业的 亲和力`). This module is the one place that decides what such
text means, so every face shows the same thing:

- a soft line break inside a paragraph joins with nothing when either side is CJK and with a
  space between Latin words (CommonMark's rule as the CJK-friendly extension states it);
- a space between two CJK characters is dropped, except the space that ends a Weibo
  `@mention` (it is what ends the name);
- `case` and `real_outcome` are Markdown, parsed by markdown-it-py with the CJK-friendly
  plugin (emphasis next to full-width punctuation works, `**标题：**正文`); links, images and
  raw HTML are not Markdown here and stay visible as the author typed them.

The result is face-neutral data (`Block`s of `Span`s); the TUI and the reports draw it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BlockKind = Literal["heading", "paragraph", "code", "rule"]

_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef\u2014\u2026\u2018\u2019\u201c\u201d\u00b7"


def is_cjk(char: str) -> bool:
    """A character that Chinese (or Japanese, Korean) sets without spaces around it.

    East-Asian wide and full-width characters (Han, kana, full-width punctuation) plus the
    ambiguous-width punctuation Chinese uses as its own (— … “ ” ‘ ’ ·).
    """
    if not char:
        return False
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return True
    return char in "—…“”‘’·"


def cells(text: str) -> int:
    """Terminal columns `text` takes: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def short(text: str, limit: int) -> str:
    """`text` cut to `limit` terminal columns, with `…` where it was cut (a stats table's
    labels, a case map's node labels)."""
    if cells(text) <= limit:
        return text
    out, used = [], 1
    for ch in text:
        used += cells(ch)
        if used > limit:
            break
        out.append(ch)
    return "".join(out) + "…"


def joiner(before: str, after: str) -> str:
    """What a soft line break between `before` and `after` becomes: "" or " "."""
    if not before or not after:
        return ""
    if is_cjk(before[-1]) or is_cjk(after[0]):
        return ""
    return " "


_GAP = re.compile(r"(\S+)([ \t\u3000]+)(?=(\S))")


def _close_gap(match: re.Match[str]) -> str:
    word, gap, nxt = match.group(1), match.group(2), match.group(3)
    if is_cjk(word[-1]) and is_cjk(nxt) and "@" not in word:
        return word
    return word + gap


def unfold(line: str) -> str:
    """`line` without the spaces a folded YAML block left between CJK characters.

    `企业的 亲和力` → `企业的亲和力`, `服务： 专属` → `服务：专属`; `在@松果记 买了` keeps its
    space (it ends the mention), and spaces next to Latin letters or digits stay.
    """
    return _GAP.sub(_close_gap, line)


def join_lines(lines: list[str]) -> str:
    """One paragraph's source lines as one line, joined by `joiner`, then `unfold`ed."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        out = out + joiner(out, line) + line if out else line
    return unfold(out)


def paragraphs(text: str) -> list[str]:
    """Plain author text (a scene, a line, a choice, a persona) as its paragraphs, each one
    line: blank lines separate paragraphs, single line breaks are soft."""
    out: list[str] = []
    block: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            out.append(join_lines(block))
            block = []
    if block:
        out.append(join_lines(block))
    return out


def flow(text: str) -> str:
    """Plain author text with its soft breaks joined: paragraphs separated by a blank line."""
    return "\n\n".join(paragraphs(text))


def flow_line(text: str) -> str:
    """Plain author text on one line (names, titles, table cells)."""
    return join_lines(text.replace("\r\n", "\n").split("\n"))


# Markdown ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    strong: bool = False
    em: bool = False
    code: bool = False


@dataclass(frozen=True)
class Block:
    """One block of author Markdown, flattened: where it sits (quotes, list items) and what
    it says. `marker` ("•", "1.") is set on an item's first block only; `items` counts the
    enclosing list items (for indentation), `quotes` the enclosing block quotes."""

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    level: int = 0
    quotes: int = 0
    items: int = 0
    marker: str = ""
    ordered: bool = False

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


@cache
def parser() -> MarkdownIt:
    """CommonMark with the CJK-friendly plugin; no raw HTML, links, images or references.

    Case text is shown on a terminal and printed: a link target would be invisible in
    both, so `[text](url)` stays as typed, as it always has here.
    """
    from markdown_it import MarkdownIt
    from mdit_py_cjk_friendly import cjk_friendly

    md = MarkdownIt("commonmark", {"html": False}).use(cjk_friendly)
    md.disable(["link", "image", "autolink", "html_inline", "html_block", "reference"])
    # The plugin joins a break only between two CJK characters; a break between `30` and
    # `万元` or after `，` must not become a space either, so HTML follows `joiner` too.
    md.add_render_rule("softbreak", _softbreak_html)
    return md


def _softbreak_html(renderer: object, tokens: list[Token], idx: int, *_: object) -> str:
    before = tokens[idx - 1].content if idx > 0 else ""
    after = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    return "\n" if joiner(before, after) else ""


def parse(text: str) -> list[Token]:
    """markdown-it tokens of author Markdown, with folded spaces between CJK removed."""
    source = "\n".join(unfold(line) for line in text.replace("\r\n", "\n").split("\n"))
    return parser().parse(source)


def _spans(inline: Token) -> tuple[Span, ...]:
    spans: list[Span] = []
    strong = em = 0
    pending_break = False

    def add(text: str, code: bool = False) -> None:
        nonlocal pending_break
        if pending_break:
            before = spans[-1].text if spans else ""
            glue = joiner(before, text)
            if glue:
                spans.append(Span(glue, strong > 0, em > 0))
            pending_break = False
        if text:
            spans.append(Span(text, strong > 0, em > 0, code))

    for child in inline.children or []:
        if child.type == "text":
            add(child.content)
        elif child.type == "code_inline":
            add(child.content, code=True)
        elif child.type == "softbreak":
            pending_break = True
        elif child.type == "hardbreak":
            spans.append(Span("\n"))
            pending_break = False
        elif child.type == "strong_open":
            strong += 1
        elif child.type == "strong_close":
            strong -= 1
        elif child.type == "em_open":
            em += 1
        elif child.type == "em_close":
            em -= 1
        elif child.content:
            add(child.content)
    # Neighbouring spans of one style read as one (and wrap as one).
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and (last.strong, last.em, last.code) == (span.strong, span.em, span.code):
            merged[-1] = Span(last.text + span.text, span.strong, span.em, span.code)
        else:
            merged.append(span)
    return tuple(merged)


def blocks(text: str) -> list[Block]:
    """Author Markdown as flat blocks in reading order."""
    out: list[Block] = []
    quotes = 0
    lists: list[list[int]] = []  # per open list: [ordered?, next number]
    items = 0
    marker = ""
    heading = 0
    for token in parse(text):
        kind = token.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "bullet_list_open":
            lists.append([0, 0])
        elif kind == "ordered_list_open":
            start = token.attrGet("start")
            lists.append([1, int(start) if start is not None else 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            items += 1
            current = lists[-1]
            if current[0]:
                marker = f"{current[1]}."
                current[1] += 1
            else:
                marker = "•"
        elif kind == "list_item_close":
            items -= 1
            marker = ""
        elif kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind == "inline":
            spans = _spans(token)
            ordered = bool(lists and lists[-1][0])
            if heading:
                out.append(Block("heading", spans, heading, quotes, items))
            else:
                out.append(Block("paragraph", spans, 0, quotes, items, marker, ordered))
            marker = ""
        elif kind in ("fence", "code_block"):
            code = (Span(token.content.rstrip("\n"), code=True),)
            out.append(Block("code", code, 0, quotes, items, marker))
            marker = ""
        elif kind == "hr":
            out.append(Block("rule", (), 0, quotes, items))
    return out


def demotion(text: str, top: int) -> int:
    """How many levels to push the text's headings down so its highest becomes `top`."""
    levels = [b.level for b in blocks(text) if b.kind == "heading"]
    return max(0, top - min(levels)) if levels else 0


_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Plain author text to embed in Markdown we build (a role name in the briefing's list):
    every ASCII punctuation mark backslash-escaped, which CommonMark shows as itself."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", flow_line(text))
