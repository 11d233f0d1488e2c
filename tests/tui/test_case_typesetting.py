"""Every bundled case's text, as the screen draws it, keeps the rules of Chinese typesetting.

Each text field of each case and rubric (plain fields through `local`, Markdown through
`markdown_view`, the briefing as a whole) is wrapped at several widths, and every line is
checked: none starts with closing punctuation, none ends with opening punctuation, no number
is parted from its unit or split; and no space is left between two Han characters (the space
that ends a Weibo @mention excepted).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache

import pytest
from pydantic import BaseModel
from rich.console import Console, RenderableType
from rich.text import Text

from sim.cases import Case, load_case
from sim.library import bundled_scenarios
from sim.tui.prose_view import markdown_view
from sim.tui.screens.briefing import briefing_markdown
from sim.tui.text import local, local_markdown
from sim.tui.wrap import Wrapped

CLOSING = "，。、；：？！）」』》〉】”’…"
OPENING = "（「『《〈【“‘"
MARKDOWN_FIELDS = {"case", "real_outcome"}
WIDTHS = (38, 57, 76)
HAN = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
HAN_GAP = re.compile(rf"(\S*)({HAN}) +(?={HAN})")


@cache
def case(path: str) -> Case:
    return load_case(path)


CASES = [str(p) for p in bundled_scenarios()]


def fields(value: object, name: str = "") -> Iterator[tuple[str, object]]:
    """(field name, text value) of every text field in a model tree."""
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            yield from fields(getattr(value, key), key)
    elif isinstance(value, dict):
        if value and all(isinstance(v, str) for v in value.values()) and name:
            yield name, value
        else:
            for key, item in value.items():
                yield from fields(item, name if isinstance(key, int) else str(key))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from fields(item, name)
    elif isinstance(value, str) and name not in ("id", "next", "start", "ending", "speaker"):
        yield name, value


def lines(renderable: RenderableType, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text().splitlines()


def check(lines_: list[str], where: str) -> list[str]:
    """Rule breaks between each line and the next (a paragraph's or item's first line may
    start with `……`: only lines that continue the one above are checked for their start)."""
    problems = []
    for number, raw in enumerate(lines_):
        line = raw.strip().lstrip("▎").strip()
        following_raw = lines_[number + 1] if number + 1 < len(lines_) else ""
        following = following_raw.strip().lstrip("▎").strip()
        if not line:
            continue
        if line[-1] in OPENING:
            problems.append(f"{where}: line ends with {line[-1]!r}: {raw!r}")
        if not following or re.match(r"(•|\d+\.)\s", following):
            continue  # the next line starts a paragraph or an item
        if following[0] in CLOSING:
            problems.append(f"{where}: line starts with {following[0]!r}: {following_raw!r}")
        if line[-1].isdigit() and re.match(rf"[%‰万亿元]|{HAN}", following):
            problems.append(f"{where}: number parted from its unit: {raw!r} / {following!r}")
    return problems


def han_gaps(text: str, where: str) -> list[str]:
    return [
        f"{where}: space between Han characters: {m.group(0)!r}"
        for m in HAN_GAP.finditer(text)
        if "@" not in m.group(1)
    ]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.rsplit("/", 1)[-1].removesuffix(".yaml"))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_case_text_follows_the_line_breaking_rules(path: str, lang: str) -> None:
    loaded = case(path)
    scenario = loaded.scenario
    default = scenario.default_language
    problems: list[str] = []
    sources = [("scenario", scenario), *((r.id, r) for r in loaded.rubrics.values())]
    sources += [(r.id, r) for r in loaded.classroom_rubrics.values()]
    for owner, model in sources:
        for name, value in fields(model):
            where = f"{scenario.id}/{owner}.{name}"
            if name in MARKDOWN_FIELDS:
                shown: RenderableType = markdown_view(local_markdown(value, lang, default))  # type: ignore[arg-type]
                flat = "\n".join(lines(shown, 400))
            else:
                text = local(value, lang, default)  # type: ignore[arg-type]
                shown = Wrapped(Text(text), indent=3)
                flat = text
            problems += han_gaps(flat, where)
            for width in WIDTHS:
                problems += check(lines(shown, width), f"{where}@{width}")
    for width in WIDTHS:
        briefing = markdown_view(briefing_markdown(loaded, lang))
        problems += check(lines(briefing, width), f"{scenario.id}/briefing@{width}")
    assert not problems, "\n".join(problems[:30])
