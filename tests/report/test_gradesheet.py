"""The CSV grade sheet: one row per student (per team where nobody is named), readable headers in
the report's language, ending titles, exact scores, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sim.cases import Case, load_case
from sim.headless import play_headless
from sim.model import localize
from sim.report import render_report, write_file
from sim.report.gradesheet import neutralise
from sim.roster import Student, roster_data
from sim.store import SqliteStore, open_store
from tests.report.helpers import (
    AUTO,
    HOSTILE,
    HOSTILE_SHOWN,
    HUMAN,
    PATHS,
    classroom,
    record,
    scale_case,
    source_of,
)

ROSTER = [
    Student("Red", "Li Wei", "2023001", "li@example.edu"),
    Student("Red", "@Wang Fang", "2023002", ""),
    Student(HOSTILE, "Zhao", "", "zhao@example.edu"),
]
"""Blue has nobody on the roster: it keeps one team row."""


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


@pytest.mark.parametrize(
    "cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Red", "", "1+2", "a=b", "红队"])
def test_other_cells_are_kept(cell: str) -> None:
    assert neutralise(cell) == cell


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for spreadsheet programs"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def titles(case: Case, lang: str) -> list[str]:
    """The rubric columns as the sheet must head them: each rubric's title in `lang`."""
    default = case.scenario.default_language
    auto = [localize(case.rubrics[r].title, lang, default) for r in case.scenario.rubrics]
    rated = [localize(r.title, lang, default) for r in case.classroom_rubrics.values()]
    percent = "{}（%）" if lang == "zh" else "{} (%)"
    return [percent.format(t) for t in [*auto, *rated]]


def ending_title(case: Case, team: str, lang: str = "en") -> str:
    run = play_headless(case, PATHS[team]).run
    ending = case.scenario.ending(run.ending or "")
    assert ending is not None
    # An ending without a title (the test case's) is named by its id, as on screen.
    return localize(ending.title, lang, case.scenario.default_language) or ending.id


def sheet(store: SqliteStore, session: int, tmp_path: Path, lang: str | None = None) -> list[dict]:
    out = tmp_path / "grades.csv"
    write_file(out, render_report(source_of(store, session), "csv", lang), "csv")
    return read(out)


def test_without_a_roster_one_row_per_named_member_or_per_team(
    store: SqliteStore, tmp_path: Path
) -> None:
    case = scale_case()
    session = classroom(store, case)
    rows = sheet(store, session.session_id, tmp_path)
    assert list(rows[0]) == [
        "Session",
        "Case",
        "Team",
        "Student",
        "Student ID",
        "Email",
        *titles(case, "en"),
        "Auto",
        "Rated",
        "Total",
        "Ending",
    ]
    # Members typed at set-up are the students (no ids); Blue, with nobody named, has one row.
    assert [(r["Team"], r["Student"]) for r in rows] == [
        ("Red", "Li Wei"),
        ("Red", "'@Wang Fang"),
        ("'" + HOSTILE_SHOWN, "'-Zhao"),
        ("Blue", ""),
    ]
    for row in rows:
        team = HOSTILE if row["Team"] == "'" + HOSTILE_SHOWN else row["Team"]
        assert float(row["Auto"]) == pytest.approx(AUTO[team], abs=0.05)
        assert float(row["Rated"]) == pytest.approx(HUMAN[team], abs=0.05)
        assert float(row["Total"]) == pytest.approx(HUMAN[team], abs=0.05)  # the course formula
        assert row["Ending"] == ending_title(case, team)  # its title, not its id
        assert row["Session"] == str(session.session_id)
        assert row["Case"] == localize(case.scenario.title, "en", "en")
        assert row["Student ID"] == row["Email"] == ""
    text = (tmp_path / "grades.csv").read_text(encoding="utf-8-sig")
    assert "\x1b" not in text and "[31m" not in text and "[2J" not in text
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_with_a_roster_one_row_per_student_with_id_and_email(
    store: SqliteStore, tmp_path: Path
) -> None:
    case = scale_case()
    session = classroom(store, case).session_id
    store.append(session, "roster", None, roster_data(ROSTER))
    rows = sheet(store, session, tmp_path)
    # The roster supersedes the members typed at set-up.
    assert [(r["Team"], r["Student"], r["Student ID"], r["Email"]) for r in rows] == [
        ("Red", "Li Wei", "2023001", "li@example.edu"),
        ("Red", "'@Wang Fang", "2023002", ""),
        ("'" + HOSTILE_SHOWN, "Zhao", "", "zhao@example.edu"),
        ("Blue", "", "", ""),
    ]
    result = source_of(store, session).result
    totals = {t.team: t.total for t in result.teams}
    for row in rows:
        team = HOSTILE if row["Team"] == "'" + HOSTILE_SHOWN else row["Team"]
        assert totals[team] is not None
        assert row["Total"] == f"{totals[team]:.1f}"


def test_headers_and_words_follow_the_language(store: SqliteStore, tmp_path: Path) -> None:
    case = load_case("airline-ba008")
    session = record(store, case, "红队", [("listen", "understand-first"), ("check-record", None)])
    source = source_of(store, session)
    rows = sheet(store, session, tmp_path)  # the session's language: the case's, Chinese
    (row,) = rows
    team = source.result.teams[0]
    auto = [t for t in titles(case, "zh")][: len(case.scenario.rubrics)]
    # A solo run is not rated in class: no rated columns.
    assert list(row) == [
        "记录",
        "案例",
        "小组",
        "学生",
        "学号",
        "邮箱",
        *auto,
        "自动评分",
        "总分",
        "结局",
    ]
    # Two decisions of six: no ending and no total, both said in words.
    assert row["结局"] == "未完成" and row["总分"] == "未完成"
    assert team.auto.overall is not None
    assert float(row["自动评分"]) == pytest.approx(team.auto.overall, abs=0.05)
    for column, result in zip(auto, team.auto.rubrics.values(), strict=True):
        assert result.percent is not None
        assert float(row[column]) == pytest.approx(result.percent, abs=0.05)
    (english,) = sheet(store, session, tmp_path, "en")
    assert list(english)[:6] == ["Session", "Case", "Team", "Student", "Student ID", "Email"]
    assert english["Total"] == "unfinished"
