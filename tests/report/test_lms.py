"""Grade sheets in Moodle's and Canvas's import layouts (`sim report --format csv --lms …`):
the documented header row, one row per rostered student, the team's total out of 100, and no
grade at all for a team that did not finish."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sim.cli import main
from sim.headless import play_headless
from sim.model import localize
from sim.report import load_session
from sim.roster import Student, roster_data
from sim.store import open_store
from tests.report.helpers import HOSTILE, classroom, scale_case

# Moodle 4.5 documentation, "Grade import", CSV: map "Email address" to useremail or
# "ID number" to useridnumber (the names Moodle's own grade export gives these columns).
MOODLE_ID_COLUMNS = ["ID number", "Email address"]
# Canvas Instructor Guide, "How do I import grades in the Gradebook?": these columns, in this
# order, then one column per assignment.
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

ROSTER = [
    Student("Red", "Li Wei", "2023001", "li@example.edu"),
    Student("Red", "Wang Fang", "2023002", ""),
    Student(HOSTILE, "=Zhao", "", "zhao@example.edu"),
    Student("Blue", "Sun Li", "2023004", "sun@example.edu"),
    Student("Late", "Zhou Ming", "2023005", "zhou@example.edu"),
]


@pytest.fixture
def session() -> int:
    """The three-team class, a paper team that stopped after one decision, and a roster."""
    case = scale_case()
    with open_store() as store:
        session_id = classroom(store, case).session_id
        partial = play_headless(case, [("warm", "care")]).run
        store.append_team_run(session_id, "Late", partial)
        store.append(session_id, "roster", None, roster_data(ROSTER))
    return session_id


def export(session: int, *args: str, capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    assert main(["report", str(session), "--format", "csv", *args]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def expected_grades(session: int) -> dict[str, str]:
    """Each team's grade as the sheets must give it, from the session itself: the total to one
    decimal, or nothing for a team that did not finish."""
    with open_store() as store:
        result = load_session(store, session).result
    return {
        t.team: f"{t.total:.1f}" if t.finished and t.total is not None else "" for t in result.teams
    }


def grade_item() -> str:
    case = scale_case()
    return localize(case.scenario.title, "en", case.scenario.default_language)


def test_moodle_layout(session: int, capsys: pytest.CaptureFixture[str]) -> None:
    rows = export(session, "--lms", "moodle", capsys=capsys)
    header, body = rows[0], rows[1:]
    assert header[:2] == MOODLE_ID_COLUMNS
    assert header[-1] == f"{grade_item()} (sim {session})"  # the one grade column
    grades = expected_grades(session)
    assert grades["Late"] == ""  # the paper team stopped early: no grade
    assert [(r[0], r[1], r[-1]) for r in body] == [
        (s.student_id, s.email, grades[s.team]) for s in ROSTER
    ]
    assert all(0 <= float(r[-1]) <= 100 for r in body if r[-1])
    assert "'=Zhao" in [r[2] for r in body]  # names are neutralised like any cell


def test_canvas_layout(session: int, capsys: pytest.CaptureFixture[str]) -> None:
    rows = export(session, "--lms", "canvas", capsys=capsys)
    header = rows[0]
    assert header[:5] == CANVAS_COLUMNS and len(header) == 6
    assert header[5] == f"{grade_item()} (sim {session})"
    assert rows[1] == ["Points Possible", "", "", "", "", "100.0"]
    grades = expected_grades(session)
    assert rows[2:] == [
        [
            s.name if not s.name.startswith("=") else "'" + s.name,
            "",
            s.student_id,
            s.email,
            "",
            grades[s.team],
        ]
        for s in ROSTER
    ]


def test_lms_files_are_written_with_a_bom_for_spreadsheets(
    session: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moodle.csv"
    assert main(["report", str(session), "--lms", "moodle", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf" + b"ID number,Email address,")


def test_without_a_roster_the_lms_layouts_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with open_store() as store:
        session = classroom(store, scale_case()).session_id
    for lms in ("moodle", "canvas"):
        assert main(["report", str(session), "--format", "csv", "--lms", lms]) == 1
        err = capsys.readouterr().err
        assert "has no roster" in err and f"sim roster {session} FILE" in err
    assert main(["report", str(session), "--format", "html", "--lms", "moodle"]) == 2
    assert "use --format csv" in capsys.readouterr().err
