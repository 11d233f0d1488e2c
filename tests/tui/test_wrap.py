"""CJK-aware wrapping: Chinese breaks between characters, English at spaces."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from sim.tui.wrap import Wrapped, line_breaks


def wrapped(text: str, width: int, indent: int = 0) -> list[str]:
    return [line.plain for line in Wrapped(Text(text), indent).lines(width)]


def test_chinese_with_a_space_fills_each_line() -> None:
    lines = wrapped("1. 把她请到安静的休息区坐下，再问她 BA008 对您为什么这么重要？", 20, 3)
    assert lines[0].startswith("1. 把她")  # the number stays with its text
    assert all(cell_len(line) <= 20 for line in lines)
    assert all(cell_len(line) >= 17 for line in lines[:-1])  # no ragged gaps
    assert lines[1].startswith("   ")  # hanging indent
    assert (
        "".join(line.strip() for line in lines).replace(" ", "")
        == "1.把她请到安静的休息区坐下，再问她BA008对您为什么这么重要？"
    )


def test_english_breaks_at_spaces_only() -> None:
    lines = wrapped("Apologise, sit with her and ask why this flight matters.", 20)
    assert lines == ["Apologise, sit with", "her and ask why this", "flight matters."]


def test_a_word_longer_than_the_line_is_folded() -> None:
    assert line_breaks("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_newlines_and_styles_survive() -> None:
    text = Text("标题\n正文")
    text.stylize("bold", 0, 2)
    lines = Wrapped(text).lines(10)
    assert [line.plain for line in lines] == ["标题", "正文"]
    console = Console(width=10, record=True, color_system=None)
    console.print(Wrapped(text))
    assert console.export_text() == "标题\n正文\n"


def test_closing_punctuation_never_starts_a_line() -> None:
    # 21 characters, 42 cells: at 40 cells "。" alone would start the second line.
    lines = wrapped("不先弄清她为什么坚持，任何方案都只是猜测。", 40)
    assert lines == ["不先弄清她为什么坚持，任何方案都只是猜", "测。"]


def test_opening_punctuation_never_ends_a_line() -> None:
    # "（" would be the 10th character at 20 cells: it moves down with what it opens.
    lines = wrapped("一二三四五六七八九（十一）十二", 20)
    assert lines[0] == "一二三四五六七八九"
    assert lines[1].startswith("（")


def test_a_number_stays_with_its_unit() -> None:
    for text in ("从东京到伦敦飞13000公里", "客户续存一笔 30 万元", "增长了50%以上"):
        for width in range(8, 30):
            for line, following in zip(lines := wrapped(text, width), lines[1:], strict=False):
                assert not (
                    line[-1].isdigit() and (following[0] in "%万公" or following[0].isdigit())
                ), (
                    text,
                    width,
                    lines,
                )


def test_dashes_and_ellipses_are_not_split_or_start_a_line() -> None:
    for width in range(6, 24):
        for line in wrapped("他说——这件事……还没有完。", width)[1:]:
            assert line[0] not in "—…。", (width, line)


def test_hanging_paragraphs_continue_under_their_first_word() -> None:
    text = Text(
        "总分\n    · 把她请到安静的休息区坐下，先为延误郑重道歉\n  12. 第十二步的选择写得很长很长"
    )
    lines = [line.plain for line in Wrapped(text, hang=True).lines(24)]
    assert lines[1] == "    · 把她请到安静的休息"
    assert lines[2].startswith("      区坐下")
    assert lines[-1].startswith("      ") and lines[-2].startswith("  12. ")
