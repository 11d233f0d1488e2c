"""The grade sheet: one row per student (per team where no one is named), safe in a spreadsheet.

The rows are made once, as typed cells (text, or a number, or nothing), and written as CSV here
or as a workbook by `sim.report.workbook`, so both hold the same figures. Headers are words in
the report's language (the rubrics' titles, not their ids); the ending is its title. A team
that did not reach an ending has no total: the cell says so in words.

CSV is written with the stdlib csv module; with `--out` in UTF-8 with a byte-order mark (so
spreadsheet programs read Chinese names correctly). Any text cell a spreadsheet could take for
a formula gets a leading apostrophe (PRODUCT.md, known traps).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sim.report.context import SessionView, StudentView

ENCODING = "utf-8-sig"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None
"""Text, a whole number (the session id), a score (a float, unrounded: each format rounds it),
or nothing known."""


def neutralise(cell: str) -> str:
    """A text cell that cannot start a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def number_text(value: float | None) -> str:
    """A score as the sheets show it: one decimal, like the screens and reports."""
    return "" if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class Sheet:
    """A grade sheet as typed cells: its header, then its rows."""

    header: list[str]
    rows: list[list[Cell]]


def grade_sheet(view: SessionView) -> Sheet:
    """Session, case, team, student, student id, e-mail, each rubric's percent, the automatic
    and rated scores, the total, and the ending: one row per student of each team, or one row
    for a team with nobody named (the person columns empty)."""
    words = view.labels
    # The classroom rubrics' columns only where someone could rate them (not a solo run).
    human_columns = view.human_columns if view.show_human else []
    header = [
        words["session"],
        words["case"],
        words["team"],
        words["student"],
        words["student_id"],
        words["email"],
        *(words["percent_of"].format(title=column.title) for column in view.columns),
        *(words["percent_of"].format(title=column.title) for column in human_columns),
        words["auto"],
        *([words["human_short"]] if view.show_human else []),
        words["total"],
        words["ending"],
    ]
    rows: list[list[Cell]] = []
    for team in view.teams:
        percents = {rubric.id: rubric.percent for rubric in team.auto}
        rated = {rubric.id: rubric.percent for rubric in team.human}
        scores: list[Cell] = [
            *(percents.get(column.id) for column in view.columns),
            *(rated.get(column.id) for column in human_columns),
            team.auto_overall,
            *([team.human_percent] if view.show_human else []),
            # No total (unfinished, not rated): say why rather than leave a blank read as 0.
            team.total_word or team.total,
            (team.ending_title or team.ending_id or "") if team.finished else words["unfinished"],
        ]
        people: Sequence[StudentView] = team.students or [StudentView("")]
        for student in people:
            rows.append(
                [
                    view.session_id,
                    view.title,
                    team.name,
                    student.name,
                    student.student_id,
                    student.email,
                    *scores,
                ]
            )
    return Sheet(header, rows)


def cell_text(cell: Cell) -> str:
    """A cell as CSV text: scores with one decimal, whole numbers as they are, text
    neutralised."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return number_text(cell)
    if isinstance(cell, int):
        return str(cell)
    return neutralise(cell)


def sheet_csv(sheet: Sheet) -> str:
    """A sheet as CSV text (CRLF rows, as spreadsheets write); encode with ENCODING to a file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in sheet.header])
    writer.writerows([cell_text(cell) for cell in row] for row in sheet.rows)
    return buffer.getvalue()


def grade_sheet_csv(view: SessionView) -> str:
    """The grade sheet as text; encode it with ENCODING (`utf-8-sig`) when writing."""
    return sheet_csv(grade_sheet(view))
