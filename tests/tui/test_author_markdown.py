"""Author Markdown: bold lead-ins ending in Chinese punctuation render bold, not as asterisks."""

from __future__ import annotations

from markdown_it import MarkdownIt

from sim.tui.widgets.author_markdown import author_markdown

COMMONMARK = MarkdownIt("commonmark")


def html(text: str) -> str:
    return str(COMMONMARK.render(author_markdown(text)))


def test_a_bold_lead_in_ending_in_a_full_width_colon_closes() -> None:
    assert "**" in COMMONMARK.render("**真实的结局：**实在无奈")  # the trap itself
    assert html("**真实的结局：**实在无奈") == "<p><strong>真实的结局</strong>：实在无奈</p>\n"


def test_english_and_already_good_markdown_are_left_alone() -> None:
    for text in ("**The reaction:** In", "- **社会营销观念**：现代", "**要解决的问题？**\n"):
        assert author_markdown(text) == text


def test_control_characters_are_stripped() -> None:
    # The whole escape sequence goes (the shared cleaner), not just its ESC: no "[31m" residue.
    assert author_markdown("a\x1b[31mb") == "ab"
    assert author_markdown("a\x1b]0;pwned\x07b\u202ec") == "abc"
