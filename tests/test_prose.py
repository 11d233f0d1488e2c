"""The one text pipeline: soft breaks, folded spaces, Markdown blocks (sim.prose)."""

from __future__ import annotations

from sim.prose import blocks, escape_markdown, flow, flow_line, parse, unfold
from sim.report.richtext import to_html, to_markdown


def test_a_soft_break_inside_chinese_joins_with_nothing() -> None:
    assert flow("谁买了什么、\n哪个批次") == "谁买了什么、哪个批次"
    assert flow("企业就立即\n提取数据") == "企业就立即提取数据"
    assert flow("续一笔 30\n万元") == "续一笔 30万元"


def test_a_soft_break_between_latin_words_keeps_its_space() -> None:
    assert flow("who\nbought what") == "who bought what"
    assert flow("BA008\n航班") == "BA008航班"


def test_paragraphs_survive() -> None:
    assert flow("第一段\n继续\n\n\n第二段\n") == "第一段继续\n\n第二段"
    assert flow_line("第一段\n\n第二段") == "第一段第二段"


def test_folded_spaces_between_han_go_but_a_mention_keeps_its_space() -> None:
    assert unfold("企业的 亲和力") == "企业的亲和力"
    assert unfold("会员服务： 专属护士") == "会员服务：专属护士"
    assert unfold("在@松果记 买了三袋") == "在@松果记 买了三袋"
    assert unfold("航班 BA008 对您") == "航班 BA008 对您"
    assert unfold("two  words") == "two  words"


def test_quotes_lists_and_emphasis_are_blocks() -> None:
    text = "> 在@松果记 买了，\n> 买了两年了。\n\n- 一\n- **标题：**正文\n\n1. first\n2. second"
    found = blocks(text)
    assert [(b.kind, b.quotes, b.items, b.marker) for b in found] == [
        ("paragraph", 1, 0, ""),
        ("paragraph", 0, 1, "•"),
        ("paragraph", 0, 1, "•"),
        ("paragraph", 0, 1, "1."),
        ("paragraph", 0, 1, "2."),
    ]
    assert found[0].plain == "在@松果记 买了，买了两年了。"
    # CommonMark alone leaves `**标题：**正文` as asterisks; the CJK-friendly plugin closes it.
    bold = [s.text for s in found[2].spans if s.strong]
    assert bold == ["标题："]


def test_links_html_and_references_stay_as_typed() -> None:
    text = "[a](javascript:x) <b>hi</b> ![i](u)\n\n[r]: http://example.com"
    assert [b.plain for b in blocks(text)] == [
        "[a](javascript:x) <b>hi</b> ![i](u)",
        "[r]: http://example.com",
    ]
    html = str(to_html(text))
    assert "<a" not in html and "<img" not in html and "&lt;b&gt;" in html


def test_html_and_markdown_reports_join_chinese_and_render_quotes() -> None:
    text = "## 案例\n\n谁买了什么、\n哪个批次\n\n> 在@松果记 买了，\n> 买了两年了。"
    html = str(to_html(text))
    assert "<h3>案例</h3>" in html
    assert "<p>谁买了什么、哪个批次</p>" in html
    assert "<blockquote>\n<p>在@松果记 买了，买了两年了。</p>\n</blockquote>" in html
    md = to_markdown(text)
    assert md == "### 案例\n\n谁买了什么、哪个批次\n\n> 在@松果记 买了，买了两年了。"


def test_markdown_report_neutralises_what_would_become_markup() -> None:
    md = to_markdown("1\\. not a list <script> *em* `code`")
    assert md == "1\\. not a list &lt;script&gt; *em* `code`"
    assert to_markdown("- a\n- b") == "- a\n- b"


def test_escaped_plain_text_round_trips() -> None:
    name = "Wang *Li* [x] #1 <b>"
    assert blocks(escape_markdown(name))[0].plain == name
    assert parse(escape_markdown("1. 不是列表"))[0].type == "paragraph_open"
