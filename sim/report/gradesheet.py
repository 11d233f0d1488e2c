"""The grade sheet: one CSV row per team (and per member), safe to open in a spreadsheet.

Written with the stdlib csv module in UTF-8 with a byte-order mark (so spreadsheet programs
read Chinese names correctly); any text cell a spreadsheet could take for a formula gets a
leading apostrophe (PRODUCT.md, known traps).
"""

from __future__ import annotations

import csv
import io

from sim.report.context import SessionView

ENCODING = "utf-8-sig"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell that cannot start a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def grade_rows(view: SessionView) -> list[list[str]]:
    """The header and one row per team, then one per member of that team."""
    # The classroom rubrics' columns only where someone could rate them (not a solo run).
    human_columns = view.human_columns if view.show_human else []
    header = [
        "session",
        "scenario",
        "team",
        "member",
        *(f"{column.id} %" for column in view.columns),
        *(f"{column.id} %" for column in human_columns),
        "auto",
        "human",
        "total",
        "ending",
    ]
    rows = [[neutralise(cell) for cell in header]]
    for team in view.teams:
        percents = {rubric.id: rubric.percent for rubric in team.auto}
        rated = {rubric.id: rubric.percent for rubric in team.human}
        scores = [
            *(_number(percents.get(column.id)) for column in view.columns),
            *(_number(rated.get(column.id)) for column in human_columns),
            _number(team.auto_overall),
            _number(team.human_percent),
            # An unfinished run has no total: say so rather than leave a blank to be read as 0.
            _number(team.total) if team.finished else view.labels["unfinished"],
        ]
        for member in ["", *team.members]:
            rows.append(
                [
                    str(view.session_id),
                    neutralise(view.scenario_id),
                    neutralise(team.name),
                    neutralise(member),
                    *scores,
                    neutralise(team.ending_id or view.labels["unfinished"]),
                ]
            )
    return rows


def grade_sheet_csv(view: SessionView) -> str:
    """The grade sheet as text; encode it with ENCODING (`utf-8-sig`) when writing."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(grade_rows(view))
    return buffer.getvalue()
