"""A team that did not reach an ending has no total: every report says "unfinished".

`sim run … --record` of a partial path once got a grade-sheet total of 92.6 and an empty
ending; a partial score must never be read as a grade.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from sim.cases import load_case
from sim.debrief import session_result
from sim.report import render_report
from sim.report.context import session_view
from sim.store import SqliteStore, open_store
from tests.report.helpers import record, scale_case, source_of

PARTIAL = [("warm", "care")]
"""One decision of two: the run stops before any ending."""


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


def test_an_unfinished_run_has_no_total_but_keeps_its_partial_scores(store: SqliteStore) -> None:
    case = scale_case()
    session = record(store, case, "Green", PARTIAL)
    source = source_of(store, session)
    (team,) = source.result.teams
    assert not team.finished and team.total is None
    assert team.auto.overall is not None  # shown, but only as partial
    result = session_result(
        case.scenario, case.rubrics, case.classroom_rubrics, store.events(session)
    )
    assert result.teams[0].total is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_grade_sheet_says_unfinished_instead_of_a_total(store: SqliteStore, lang: str) -> None:
    session = record(store, scale_case(), "Green", PARTIAL)
    text = render_report(source_of(store, session), "csv", lang)
    (row,) = list(csv.DictReader(io.StringIO(text)))
    total, ending = {"en": ("Total", "Ending"), "zh": ("总分", "结局")}[lang]
    assert row[total] == {"en": "unfinished", "zh": "未完成"}[lang]
    assert row[ending] == row[total]


def test_markdown_and_html_say_unfinished_and_mark_the_partial_score(store: SqliteStore) -> None:
    case = scale_case()
    session = record(store, case, "Green", PARTIAL)
    partial = source_of(store, session).result.teams[0].auto.overall
    assert partial is not None
    md = render_report(source_of(store, session), "md", "en")
    row = next(line for line in md.splitlines() if line.startswith("| Green"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[-2] == "unfinished"  # the total
    assert f"{partial:.1f} (partial: unfinished)" in cells
    assert f"**{partial:.1f}**" not in row  # never set in bold as the grade
    html = render_report(source_of(store, session), "html", "en")
    assert '<span class="muted">unfinished</span></td>' in html
    assert "(partial: unfinished)" in html
    # The chart's total bar for the team says unfinished, not a score.
    view = session_view(source_of(store, session), "en")
    total = view.chart.groups[-1]
    assert [bar.value for bar in total.bars] == ["unfinished"]


def test_xapi_has_no_completed_statement_and_no_score_for_it(store: SqliteStore) -> None:
    session = record(store, scale_case(), "Green", PARTIAL)
    statements = json.loads(render_report(source_of(store, session), "xapi", "en"))
    assert statements, "the choice is still reported"
    assert not [s for s in statements if s["verb"]["id"].endswith("/completed")]


def test_a_finished_run_keeps_its_total(store: SqliteStore) -> None:
    session = record(store, scale_case(), "Red", [("warm", "care"), ("gift", None)])
    (team,) = source_of(store, session).result.teams
    assert team.finished and team.total == pytest.approx(team.auto.overall)


def test_a_bundled_case_stopped_after_three_decisions_has_no_grade(store: SqliteStore) -> None:
    case = load_case("airline-ba008")
    path = [
        ("listen", "understand-first"),
        ("check-record", None),
        ("propose-fly", "lifetime-value"),
    ]
    session = record(store, case, "Green", path)
    text = render_report(source_of(store, session), "csv", "en")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["Total"] == "unfinished"
