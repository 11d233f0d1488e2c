"""Grade sheets in a learning platform's own import layout: Moodle and Canvas.

Each platform matches a row to a student by an identifier, never by a team, so these need a
roster (`sim roster`): one row per student, one grade column out of 100 holding the team's
total. A team that did not finish has no grade: its students' cells are left empty, which
both platforms read as "no grade to import" (they never see a 0 that was not earned).

Layouts followed (see README, Reports):
- Moodle, "Grade import" (docs.moodle.org, Moodle 4.5 documentation, CSV import): any columns,
  mapped at import; "Map from" an identifier column to `useridnumber` ("ID number") or
  `useremail` ("Email address"), and the grade column to a new or existing grade item. The
  identifier columns are named as Moodle's own grade export names them.
- Canvas, "How do I import grades in the Gradebook?" (Instructure Canvas Instructor Guide):
  the columns `Student, ID, SIS User ID, SIS Login ID, Section`, then one column per
  assignment (a new column creates the assignment), with the `Points Possible` row that
  Canvas's own export carries. sim leaves ID (Canvas's internal number, which it cannot know)
  and Section empty, puts the student id in SIS User ID and the e-mail in SIS Login ID.
"""

from __future__ import annotations

from typing import Literal

from sim.report.context import SessionView
from sim.report.gradesheet import Cell, Sheet
from sim.report.source import ReportError

Lms = Literal["moodle", "canvas"]
LMS_NAMES: tuple[Lms, ...] = ("moodle", "canvas")

MOODLE_IDENTIFIERS = ["ID number", "Email address", "Full name"]
"""Moodle's own export names the first two so; "Full name" is for the reader (not mapped)."""
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "Points Possible"
MAX_GRADE = 100.0


def grade_item(view: SessionView) -> str:
    """The grade column's header, which becomes the grade item's (assignment's) name."""
    return f"{view.title} (sim {view.session_id})"


def _grade(total: float | None, finished: bool) -> Cell:
    """The grade out of 100 (the team's total), or nothing for an unfinished team."""
    if not finished or total is None:
        return None
    return min(max(total, 0.0), MAX_GRADE)


def _need_roster(view: SessionView, lms: str) -> None:
    if not view.roster:
        raise ReportError(
            f"session {view.session_id} has no roster, and {lms} matches grades to students by "
            f"their id or e-mail: attach one with `sim roster {view.session_id} FILE` (columns "
            "team, name, student_id, email), then export again"
        )


def moodle_sheet(view: SessionView) -> Sheet:
    """Moodle's CSV grade import: ID number, Email address, Full name, then the grade."""
    _need_roster(view, "Moodle")
    rows: list[list[Cell]] = []
    for team in view.teams:
        grade = _grade(team.total, team.finished)
        for student in team.students:
            rows.append([student.student_id, student.email, student.name, grade])
    return Sheet([*MOODLE_IDENTIFIERS, grade_item(view)], rows)


def canvas_sheet(view: SessionView) -> Sheet:
    """Canvas's Gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the
    assignment, with its Points Possible row first."""
    _need_roster(view, "Canvas")
    rows: list[list[Cell]] = [[CANVAS_POINTS_ROW, "", "", "", "", MAX_GRADE]]
    for team in view.teams:
        grade = _grade(team.total, team.finished)
        for student in team.students:
            rows.append([student.name, "", student.student_id, student.email, "", grade])
    return Sheet([*CANVAS_HEADER, grade_item(view)], rows)


def lms_sheet(view: SessionView, lms: Lms) -> Sheet:
    return moodle_sheet(view) if lms == "moodle" else canvas_sheet(view)
