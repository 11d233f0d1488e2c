"""The grade sheet as an Excel workbook (`sim report SESSION --format xlsx`), with openpyxl.

The same rows as the CSV grade sheet (`sim.report.gradesheet.grade_sheet`), but typed: scores
are numbers shown with one decimal (rounded to it, so the workbook and the CSV hold the same
figures), text is stored as text. Text is never read as a formula: every text cell is written
with the string type, so a team named `=1+2` stays those four characters.
"""

from __future__ import annotations

import io

from sim.report.context import SessionView
from sim.report.gradesheet import Sheet, grade_sheet

NUMBER_FORMAT = "0.0"
MAX_WIDTH = 40


def sheet_xlsx(sheet: Sheet, title: str) -> bytes:
    """A one-sheet workbook: a bold, frozen header row, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook always has its first sheet
    # Excel's sheet titles are at most 31 characters and cannot hold []:*?/\
    ws.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet1"
    for column, text in enumerate(sheet.header, start=1):
        cell = ws.cell(row=1, column=column)
        cell.value = text
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for row_number, row in enumerate(sheet.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = ws.cell(row=row_number, column=column)
            if isinstance(value, float):
                cell.value = round(value, 1)
                cell.number_format = NUMBER_FORMAT
            elif isinstance(value, int):
                cell.value = value
            elif value:
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever it starts with
    for column, text in enumerate(sheet.header, start=1):
        longest = max(
            [len(text), *(len(str(r[column - 1] or "")) for r in sheet.rows if len(r) >= column)]
        )
        ws.column_dimensions[get_column_letter(column)].width = min(longest + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grade_sheet_xlsx(view: SessionView) -> bytes:
    """The grade sheet as .xlsx bytes."""
    return sheet_xlsx(grade_sheet(view), view.labels["grades_sheet"])
