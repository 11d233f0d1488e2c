"""The CSV grade sheet: one row per team and member, exact scores, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sim.cases import load_case
from sim.report import render_report, write_file
from sim.report.gradesheet import neutralise
from sim.store import SqliteStore, open_store
from tests.report.helpers import (
    AUTO,
    HOSTILE,
    HOSTILE_SHOWN,
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


def test_classroom_grade_sheet(store: SqliteStore, tmp_path: Path) -> None:
    case = scale_case()
    session = classroom(store, case)
    out = tmp_path / "grades.csv"
    write_file(out, render_report(source_of(store, session.session_id), "csv"), "csv")
    rows = read(out)
    assert list(rows[0]) == [
        "session",
        "scenario",
        "team",
        "member",
        "ten %",
        "four %",
        "classroom-performance %",
        "auto",
        "human",
        "total",
        "ending",
    ]
    # One row per team, then one per named member.
    expected_rows = sum(1 + len(MEMBERS.get(team, [])) for team in AUTO)
    assert len(rows) == expected_rows
    for team in AUTO:
        shown = "'" + HOSTILE_SHOWN if team == HOSTILE else team
        mine = [row for row in rows if row["team"] == shown]
        assert len(mine) == 1 + len(MEMBERS.get(team, []))
        for row in mine:
            assert float(row["auto"]) == pytest.approx(AUTO[team], abs=0.05)
            assert float(row["human"]) == pytest.approx(HUMAN[team], abs=0.05)
            total = HUMAN[team]  # the course formula: the rated score is the grade
            assert float(row["total"]) == pytest.approx(total, abs=0.05)
            assert row["session"] == str(session.session_id)
    members = [row["member"] for row in rows if row["member"]]
    # "@Wang Fang" and "-Zhao" would be formulas; the escape in Zhao's name is stripped.
    assert members == ["Li Wei", "'@Wang Fang", "'-Zhao"]
    text = out.read_text(encoding="utf-8-sig")
    assert "\x1b" not in text and "[31m" not in text and "[2J" not in text
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_recorded_run_grade_sheet(store: SqliteStore, tmp_path: Path) -> None:
    case = load_case("airline-ba008")
    session = record(store, case, "红队", [("listen", "understand-first"), ("check-record", None)])
    source = source_of(store, session)
    out = tmp_path / "grades.csv"
    write_file(out, render_report(source, "csv"), "csv")
    rows = read(out)
    assert len(rows) == 1
    row = rows[0]
    team = source.result.teams[0]
    assert row["team"] == "红队" and row["human"] == ""
    # Two decisions of six: no ending and no total, both said in words (session language zh).
    assert row["ending"] == "未完成" and row["total"] == "未完成"
    assert team.auto.overall is not None
    assert float(row["auto"]) == pytest.approx(team.auto.overall, abs=0.05)
    for rubric_id, result in team.auto.rubrics.items():
        assert result.percent is not None
        assert float(row[f"{rubric_id} %"]) == pytest.approx(result.percent, abs=0.05)
    # Solo runs are not rated in class: no classroom-rubric column.
    assert "classroom-performance %" not in row
