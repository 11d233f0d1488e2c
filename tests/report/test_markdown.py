"""The Markdown report and handout: same content as HTML, safe to paste into a platform or chat."""

from __future__ import annotations

import pytest

from sim.cases import load_case
from sim.report import render_handout, render_report
from sim.report.environment import md_cell, md_escape
from sim.report.richtext import to_html, to_markdown
from sim.store import SqliteStore, open_store
from tests.report.helpers import (
    AUTO,
    HOSTILE,
    HOSTILE_CASE,
    HUMAN,
    MEMBERS,
    classroom,
    record,
    scale_case,
    source_of,
)


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("# heading", "\\# heading"),
        ("---", "\\---"),
        ("a|b *c* _d_ [l](u) `x`", "a\\|b \\*c\\* \\_d\\_ \\[l\\](u) \\`x\\`"),
        ("<b> & </b>", "&lt;b&gt; &amp; &lt;/b&gt;"),
        ("2026-11-24 #1", "2026-11-24 #1"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_md_cell_is_one_line() -> None:
    assert md_cell("two\nlines | here") == "two lines \\| here"


def test_richtext_keeps_only_the_safe_subset() -> None:
    text = "## Title\n<script>x</script> **bold** [a](javascript:y)\n- one\n- two"
    html = str(to_html(text))
    assert html.startswith("<h3>Title</h3>")
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html.replace("\n", "") and "<a" not in html
    md = to_markdown(text)
    assert md.startswith("### Title")
    assert "&lt;script&gt;" in md and "\\[a\\](javascript:y)" in md and "**bold**" in md


def test_classroom_report(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    md = render_report(source_of(store, session.session_id), "md")
    assert md.startswith(f"# {case.scenario.title}\n")
    assert "\x1b" not in md and "[31m" not in md and "<script>" not in md
    shown = "=1+2&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"### {shown}\n" in md
    for team in AUTO:
        name = shown if team == HOSTILE else team
        total = HUMAN[team]  # the course formula: the rated score is the grade
        row = next(line for line in md.splitlines() if line.startswith(f"| {name}"))
        assert f"{AUTO[team]:.1f}" in row and f"**{total:.1f}**" in row
    assert ", ".join(MEMBERS["Red"]) in md
    assert "Red chose warmth \\| because \\*she\\* matters &lt;em&gt;" in md
    assert "- peer team **Red**:" in md
    # Every table row has as many cells as its header.
    for block in md.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if lines:
            widths = {line.replace("\\|", "").count("|") for line in lines}
            assert len(widths) == 1, block


def test_recorded_run_with_hostile_case_text(store: SqliteStore) -> None:
    case = load_case(HOSTILE_CASE)
    session = record(store, case, "Solo", [("kind", None)])
    md = render_report(source_of(store, session), "md")
    assert "<script>" not in md and "<img" not in md and "\x1b" not in md and "\x07" not in md
    assert "{{ 7\\*7 }}" in md and "Why {{ config }}?" in md
    assert "Really &lt;script&gt;" in md
    # One line per fact: the recorded team, its ending, its score.
    assert "### Solo" in md and "Good &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in md


def test_handout(store: SqliteStore) -> None:
    case = load_case("airline-ba008")
    md = render_handout(case, "md", "en")
    scenario = case.scenario
    assert scenario.debrief is not None
    for role in scenario.roles:
        assert (
            f"**{md_escape(role.name if isinstance(role.name, str) else role.name['en'])}**" in md
        )
    for point in scenario.knowledge_points:
        title = point.title if isinstance(point.title, str) else point.title["en"]
        assert str(md_cell(title)) in md
    for rubric in [*case.rubrics.values(), *case.classroom_rubrics.values()]:
        title = rubric.title if isinstance(rubric.title, str) else rubric.title["en"]
        assert f"### {md_escape(title)}" in md
        for level in rubric.levels:
            label = level.label if isinstance(level.label, str) else level.label["en"]
            assert f"{md_cell(label)} ({level.points:g})" in md
    # The handout prepares; it never gives away the ending or the debrief.
    real = scenario.debrief.real_outcome
    assert real is not None
    first = (real if isinstance(real, str) else real["en"]).split("\n")[0][:30]
    assert first not in md
