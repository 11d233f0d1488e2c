"""The two jinja2 environments: HTML (autoescaped) and Markdown (escaped by filter).

Autoescape is set explicitly: `select_autoescape()` only matches names ending in `.html`,
`.htm` or `.xml`, so our `*.html.j2` templates would not be escaped by it (PRODUCT.md, known
traps). Author and team text only ever reaches a template as data; templates are fixed files
of this package, never compiled from case text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from sim.report import richtext

TEMPLATES = Path(__file__).resolve().parent / "templates"


def number(value: float | None, digits: int = 1, missing: str = "—") -> str:
    return missing if value is None else f"{value:.{digits}f}"


def percent(value: float | None, missing: str = "—") -> str:
    return missing if value is None else f"{value:.1f}%"


def rich_html(text: str) -> Markup:
    return richtext.to_html(text)


@cache
def html_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=number, pct=percent, rich=rich_html)
    return env


# Markdown ------------------------------------------------------------------------------------


class MarkdownText(str):
    """Text already made safe for Markdown by one of the filters below."""

    __slots__ = ()


_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Inline punctuation that can start emphasis, code, links, table cells or strikethrough.
_MD_PUNCTUATION = set("\\`*_[]|~")
# Block markers that only count at a line start: lists ("- ", "+ ", "1. "), rules and setext
# underlines ("---", "==="), ATX headings ("# ").
_LINE_START = re.compile(r"^(\s*)(\d+[.)]|-+|\++|=+|#{1,6})(?=\s|$)", re.MULTILINE)


def _neutral_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():  # "1." -> "1\." (a backslash before a digit would show)
        return indent + marker[:-1] + "\\" + marker[-1]
    return indent + "\\" + marker


def md_escape(value: object) -> MarkdownText:
    """Plain text for Markdown: HTML characters as entities, inline Markdown punctuation
    backslash-escaped, and list, heading and rule markers at a line start neutralised.
    Newlines are kept (a paragraph's soft line breaks)."""
    text = str(value)
    out = "".join(
        _MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_PUNCTUATION else ch) for ch in text
    )
    return MarkdownText(_LINE_START.sub(_neutral_marker, out))


def md_cell(value: object) -> MarkdownText:
    """Text for one table cell: escaped, on one line."""
    return MarkdownText(" ".join(md_escape(value).split()))


def md_rich(text: str) -> MarkdownText:
    """Author Markdown (case text): formatting kept, raw HTML and links neutralised."""
    return MarkdownText(richtext.to_markdown(text))


def md_number(value: float | None, digits: int = 1, missing: str = "—") -> MarkdownText:
    return MarkdownText(number(value, digits, missing))


def md_percent(value: float | None, missing: str = "—") -> MarkdownText:
    return MarkdownText(percent(value, missing))


def _md_finalize(value: object) -> object:
    # A safety net under the explicit filters: anything printed without one is escaped too.
    if isinstance(value, MarkdownText | int | float):
        return value
    return md_escape(value)


@cache
def markdown_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_md_finalize,
    )
    env.filters.update(md=md_escape, cell=md_cell, rich=md_rich, num=md_number, pct=md_percent)
    return env
