"""Reading a roster file (CSV or Excel .xlsx) into numbered rows for `sim.roster` (I/O only).

Class lists come from spreadsheets, so this accepts what spreadsheets write: UTF-8 with or
without a byte-order mark, GB18030/GBK (what Excel on a Chinese Windows saves as "CSV"),
commas, semicolons or tabs between cells, and the first sheet of an .xlsx workbook. A
student number Excel stored as a number (2023001 or 2023001.0) is read back as `2023001`.
Every failure is a RosterFileError with one line that names the file and what to do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

MAX_BYTES = 4 * 1024 * 1024
"""A class list of thousands of students is a few hundred KB; more is not a roster."""

Rows = list[tuple[int, list[str]]]

if TYPE_CHECKING:
    from sim.roster import Student


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message names it and says what to do."""


def load_roster(path: Path, teams: Sequence[str]) -> list[Student]:
    """The students of a roster file for a session with these teams.

    Raises RosterFileError when the file cannot be read, and `sim.roster.RosterError` (with
    every bad row) when it can but is not clean; nothing is returned half-checked.
    """
    from sim.roster import parse_roster

    return parse_roster(read_roster_rows(path), teams)


def read_roster_rows(path: Path) -> Rows:
    """The file's rows as `(line, cells)`, line numbers as a spreadsheet or editor shows them."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise RosterFileError(f"{path} is a folder; give the roster file (.csv or .xlsx)")
        if size > MAX_BYTES:
            raise RosterFileError(
                f"{path} is {size // 1024} KB; a roster is a class list of a few KB (at most "
                f"{MAX_BYTES // (1024 * 1024)} MB)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterFileError(
            f"{path} does not exist; give the roster file (.csv or .xlsx)"
        ) from None
    except OSError as problem:
        raise RosterFileError(f"cannot read {path}: {problem.strerror or problem}") from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(path, data)
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError(
            f"{path} is an old Excel workbook (.xls); save it as .xlsx or CSV (UTF-8) and try again"
        )
    return csv_rows(_decode(path, data))


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # UTF-16 or a binary file: neither encoding really fits
        return text
    raise RosterFileError(
        f"{path} is neither UTF-8 nor GBK text, nor an .xlsx workbook; save it from your "
        "spreadsheet as CSV (UTF-8) or .xlsx"
    )


def _delimiter(text: str) -> str:
    """Comma, unless the header row plainly uses semicolons or tabs (European Excel, pastes)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def csv_rows(text: str) -> Rows:
    """CSV text as numbered rows; a quoted cell over several lines counts from its first line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: Rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as problem:
            raise RosterFileError(f"line {line}: the CSV cannot be read ({problem})") from None
        rows.append((line, cells))
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a student number typed into a number cell
    return str(value)


def _xlsx_rows(path: Path, data: bytes) -> Rows:
    """The first sheet's rows, numbered as Excel numbers them."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as problem:
        raise RosterFileError(
            f"{path} is not a readable .xlsx workbook ({type(problem).__name__}); open it in "
            "your spreadsheet and save it again as .xlsx or CSV (UTF-8)"
        ) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise RosterFileError(f"{path} has no sheet; put the roster on its first sheet")
        rows: Rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells: Sequence[object] = values
            rows.append((number, [_cell_text(v) for v in cells]))
        return rows
    finally:
        book.close()
