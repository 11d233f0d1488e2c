"""`sim report SESSION --format xlsx`: a workbook openpyxl opens, holding the CSV's figures, with
text kept as text (never a formula)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sim.cli import main
from sim.roster import Student, roster_data
from sim.store import open_store
from tests.report.helpers import HOSTILE, classroom, scale_case


def test_the_workbook_holds_the_same_figures_as_the_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store() as store:
        session = classroom(store, scale_case()).session_id
        roster = [Student("Red", "Li Wei", "2023001", ""), Student(HOSTILE, "@Zhao", "7", "")]
        store.append(session, "roster", None, roster_data(roster))
    out = tmp_path / "grades.xlsx"
    assert main(["report", str(session), "--format", "xlsx", "--out", str(out)]) == 0
    assert main(["report", str(session), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    book = load_workbook(out)
    sheet = book.active
    assert sheet is not None and sheet.title == "Grades"
    cells = [list(row) for row in sheet.iter_rows()]
    assert [c.value for c in cells[0]] == rows[0]
    assert len(cells) == len(rows) == 4  # Red's student, the hostile team's, Blue's team row
    for csv_row, book_row in zip(rows[1:], cells[1:], strict=True):
        for text, cell in zip(csv_row, book_row, strict=True):
            if isinstance(cell.value, int | float):
                # The same figure (a score such as 85.0 reads back as the int 85), shown with
                # the CSV's one decimal; the session id is a whole number.
                if "." in text:
                    assert f"{float(cell.value):.1f}" == text
                    assert cell.number_format == "0.0"
                else:
                    assert str(cell.value) == text
            elif cell.value is None:
                assert text == ""
            else:
                assert cell.data_type == "s"  # text, never a formula
                # The CSV neutralises a formula start with an apostrophe; the workbook need not.
                assert text in (cell.value, "'" + cell.value)
    names = [row[2].value for row in cells[1:]]
    assert "=1+2<script>alert(1)</script>" in names  # stored as text, not computed


def test_a_workbook_is_not_sent_to_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store() as store:
        session = classroom(store, scale_case()).session_id

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.__stdout__", Terminal())
    assert main(["report", str(session), "--format", "xlsx"]) == 1
    assert "give --out FILE.xlsx" in capsys.readouterr().err
