"""A class roster: which student is in which team, read from rows of a spreadsheet (pure).

A teaching assistant keeps the class list in a spreadsheet; grade books (Moodle, Canvas) match
grades to people by a student id or an e-mail address, never by a team. This module turns the
rows of such a sheet (already read from a file by `sim.roster_file`) into `Student`s attached
to a session's teams, and names every bad row by its line with what is wrong and what would
be right. Nothing is attached unless every row is clean, so a roster is never half-applied.

No I/O here: the rows come in as `(line, cells)` pairs; the session's teams as names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.textsafe import clean_line

FIELDS: tuple[str, ...] = ("team", "name", "student_id", "email")
"""The roster's columns, in the order a new roster file is written."""

HEADERS: dict[str, str] = {
    # English, as the issue and the README name them, and the ways spreadsheets spell them.
    "team": "team",
    "group": "team",
    "name": "name",
    "student": "name",
    "student name": "name",
    "full name": "name",
    "student_id": "student_id",
    "student id": "student_id",
    "id number": "student_id",
    "sis user id": "student_id",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    # Chinese, as a class list from the academic office is headed.
    "小组": "team",
    "组": "team",
    "组别": "team",
    "姓名": "name",
    "学生": "name",
    "学号": "student_id",
    "邮箱": "email",
    "电子邮箱": "email",
    "电子邮件": "email",
}
"""Header text (compared without case, spaces or underscores around words) → field."""

MAX_STUDENTS = 2000
MAX_CELL = 120
"""Longer than any real name, id or address; a longer cell is a pasted paragraph."""

_EMAIL = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"'.][^@\s,;<>\"']*$")


@dataclass(frozen=True)
class Student:
    """One student of a team: the name to show, and how a grade book knows them."""

    team: str
    name: str
    student_id: str = ""
    """The institution's student number (学号); Moodle's "ID number", Canvas's "SIS User ID"."""
    email: str = ""

    def as_data(self) -> dict[str, str]:
        """As stored in the session's `roster` event."""
        return {
            "team": self.team,
            "name": self.name,
            "student_id": self.student_id,
            "email": self.email,
        }

    @classmethod
    def from_data(cls, data: object) -> Student | None:
        """A stored student, or None for anything malformed (a damaged or foreign event)."""
        if not isinstance(data, Mapping):
            return None
        values = {key: data.get(key) for key in FIELDS}
        if not all(isinstance(v, str) for v in values.values()):
            return None
        if not values["team"] or not values["name"]:
            return None
        # The team is a key (the session's own name, as stored); the rest is shown, so cleaned.
        return cls(
            str(values["team"]),
            clean_line(str(values["name"])),
            clean_line(str(values["student_id"])),
            clean_line(str(values["email"])),
        )


@dataclass(frozen=True)
class RosterProblem:
    """One bad row (or the header), printed as `FILE:LINE: what is wrong; what would be right`."""

    line: int
    message: str

    def text(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}"


class RosterError(ValueError):
    """The roster cannot be attached; `problems` name every bad row (nothing was attached)."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__(problems[0].message if problems else "the roster is empty")
        self.problems = problems


def header_key(text: str) -> str:
    """Header text as compared: no case, no BOM, underscores and runs of spaces as one space."""
    return " ".join(text.replace("\ufeff", "").replace("_", " ").strip().lower().split())


def _columns(line: int, cells: Sequence[str]) -> dict[str, int]:
    """Which column holds which field; a RosterError if team or name is missing or doubled."""
    found: dict[str, int] = {}
    problems: list[RosterProblem] = []
    for index, cell in enumerate(cells):
        field = HEADERS.get(header_key(cell))
        if field is None:
            continue  # other columns (a note, a class number) are left alone
        if field in found:
            problems.append(
                RosterProblem(
                    line,
                    f"two columns are headed `{field}` (columns {found[field] + 1} and "
                    f"{index + 1}); keep one",
                )
            )
        found.setdefault(field, index)
    missing = [f for f in ("team", "name") if f not in found]
    if missing:
        shown = ", ".join(clean_line(c) for c in cells if clean_line(c)) or "nothing"
        problems.append(
            RosterProblem(
                line,
                f"the first row must be the header, with columns team, name, student_id, email "
                f"(or 小组, 姓名, 学号, 邮箱); missing {', '.join(missing)} (found: {shown[:120]})",
            )
        )
    if problems:
        raise RosterError(problems)
    return found


def _cell(cells: Sequence[str], columns: Mapping[str, int], field: str) -> str:
    """A field's cell in a row (empty when the column is absent or the row is short)."""
    index = columns.get(field)
    return cells[index] if index is not None and index < len(cells) else ""


def _team_lookup(teams: Sequence[str]) -> dict[str, str]:
    """A team as typed in a sheet → the session's own name (case and spacing forgiven)."""
    return {" ".join(t.split()).casefold(): t for t in teams}


def _unknown_team(typed: str, teams: Sequence[str]) -> str:
    near = difflib.get_close_matches(typed, list(teams), n=1, cutoff=0.6)
    hint = f"did you mean `{near[0]}`? " if near else ""
    return f"team `{typed}` is not in this session; {hint}the teams are " + ", ".join(
        f"`{t}`" for t in teams
    )


def parse_roster(rows: Iterable[tuple[int, Sequence[str]]], teams: Sequence[str]) -> list[Student]:
    """The students of a roster whose first non-empty row is its header.

    `rows` are `(line, cells)` with the line as the file numbers it (1-based); blank rows are
    skipped. Every problem of every row is collected, then raised together as a RosterError,
    so a teaching assistant fixes the sheet once rather than one error per try.
    A row needs a team of the session and a name, and a student id or an e-mail (grade books
    match people by one of them); a student id or an e-mail appears once in the whole roster
    (the same person in two teams is named as such).
    """
    lookup = _team_lookup(teams)
    problems: list[RosterProblem] = []
    students: list[Student] = []
    columns: dict[str, int] | None = None
    seen_id: dict[str, tuple[int, str]] = {}
    seen_email: dict[str, tuple[int, str]] = {}
    for line, raw in rows:
        cells = [str(c) if c is not None else "" for c in raw]
        if not any(c.strip() for c in cells):
            continue
        if columns is None:
            columns = _columns(line, cells)
            continue
        if len(students) >= MAX_STUDENTS:
            problems.append(
                RosterProblem(line, f"more than {MAX_STUDENTS} students; is this the class list?")
            )
            break

        values = {field: clean_line(_cell(cells, columns, field)) for field in FIELDS}
        row_problems: list[str] = []
        for field, value in values.items():
            if len(value) > MAX_CELL:
                row_problems.append(
                    f"the {field} is {len(value)} characters long; at most {MAX_CELL}"
                )
                values[field] = value[:MAX_CELL]
        team = lookup.get(" ".join(values["team"].split()).casefold())
        if not values["team"]:
            row_problems.append("no team; write one of " + ", ".join(f"`{t}`" for t in teams))
        elif team is None:
            row_problems.append(_unknown_team(values["team"], teams))
        if not values["name"]:
            row_problems.append("no name; write the student's name as it should be shown")
        email = values["email"]
        if email and not _EMAIL.match(email):
            row_problems.append(
                f"`{email}` is not an e-mail address; write it as name@example.edu, or leave it "
                "empty"
            )
        if not values["student_id"] and not email:
            row_problems.append(
                "no student id and no e-mail; give at least one, so a grade book (Moodle, "
                "Canvas) can match the grade to the student"
            )
        student_id = values["student_id"]
        for key, value, seen, what in (
            ("id", student_id, seen_id, "student id"),
            ("email", email.casefold(), seen_email, "e-mail"),
        ):
            if not value:
                continue
            earlier = seen.get(value)
            if earlier is None:
                seen[value] = (line, team or values["team"])
                continue
            first_line, first_team = earlier
            shown = student_id if key == "id" else email
            if team is not None and first_team != team:
                row_problems.append(
                    f"{what} `{shown}` is already in team `{first_team}` (line {first_line}): "
                    f"a student is in one team only; delete one of the two rows"
                )
            else:
                row_problems.append(
                    f"{what} `{shown}` is given twice (first on line {first_line}); each student "
                    "appears once"
                )
        if row_problems:
            problems.extend(RosterProblem(line, message) for message in row_problems)
            continue
        assert team is not None
        students.append(Student(team, values["name"], student_id, email))
    if columns is None:
        problems.append(
            RosterProblem(
                1,
                "the file is empty; its first row is the header (team, name, student_id, email "
                "or 小组, 姓名, 学号, 邮箱), then one row per student",
            )
        )
    elif not students and not problems:
        problems.append(
            RosterProblem(1, "the file has a header but no students; add one row per student")
        )
    if problems:
        raise RosterError(problems)
    return students


def roster_data(students: Iterable[Student]) -> dict[str, Any]:
    """The `roster` event's data: the whole list (a later roster replaces an earlier one)."""
    return {"students": [s.as_data() for s in students]}


def roster_of(data: Mapping[str, Any]) -> tuple[Student, ...]:
    """The students of a stored `roster` event; malformed entries are left out."""
    raw = data.get("students")
    if not isinstance(raw, list):
        return ()
    found = (Student.from_data(item) for item in raw)
    return tuple(s for s in found if s is not None)


def by_team(students: Iterable[Student], teams: Iterable[str]) -> dict[str, list[Student]]:
    """Each team's students, in roster order; a team without any has an empty list."""
    out: dict[str, list[Student]] = {team: [] for team in teams}
    for student in students:
        out.setdefault(student.team, []).append(student)
    return out


__all__ = [
    "FIELDS",
    "RosterError",
    "RosterProblem",
    "Student",
    "by_team",
    "parse_roster",
    "roster_data",
    "roster_of",
]
