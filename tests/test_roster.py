"""Rosters: rows of a class list become students of a session's teams, or every bad row is named
by its line and nothing is attached (sim/roster.py, sim/roster_file.py, `sim roster`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from sim.cli import main
from sim.roster import RosterError, Student, parse_roster
from sim.roster_file import RosterFileError, csv_rows, load_roster, read_roster_rows
from sim.session import fold, fold_roster
from sim.store import open_store
from tests.report.helpers import scale_case

TEAMS = ["Red", "Blue", "Green"]
HEADER = "team,name,student_id,email\n"


def problems_of(text: str, teams: list[str] = TEAMS) -> list[tuple[int, str]]:
    with pytest.raises(RosterError) as raised:
        parse_roster(csv_rows(text), teams)
    return [(p.line, p.message) for p in raised.value.problems]


def test_clean_rows_become_students_in_order() -> None:
    text = HEADER + "Red,Li Wei,2023001,li@example.edu\n\nblue ,Wang Fang,,wang@example.edu\n"
    students = parse_roster(csv_rows(text), TEAMS)
    assert students == [
        Student("Red", "Li Wei", "2023001", "li@example.edu"),
        # The team as the session spells it (case and spaces forgiven); a blank row skipped.
        Student("Blue", "Wang Fang", "", "wang@example.edu"),
    ]


def test_chinese_headers_in_any_order_and_extra_columns_are_read() -> None:
    text = "学号,姓名,备注,小组,邮箱\n2023001,李伟,班长,Red,li@example.edu\n"
    assert parse_roster(csv_rows(text), TEAMS) == [
        Student("Red", "李伟", "2023001", "li@example.edu")
    ]


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        ("Gren,Li,1,\n", 2, "team `Gren` is not in this session; did you mean `Green`?"),
        (",Li,1,\n", 2, "no team; write one of `Red`, `Blue`, `Green`"),
        ("Red,,1,\n", 2, "no name"),
        ("Red,Li,,\n", 2, "no student id and no e-mail"),
        ("Red,Li,,li-at-example\n", 2, "`li-at-example` is not an e-mail address"),
        ("Red,Li,7,\nRed,Wang,7,\n", 3, "student id `7` is given twice (first on line 2)"),
        (
            "Red,Li,7,\nBlue,Li,7,\n",
            3,
            "student id `7` is already in team `Red` (line 2): a student is in one team only",
        ),
        (
            "Red,Li,,li@example.edu\nGreen,Li,,LI@example.edu\n",
            3,
            "e-mail `LI@example.edu` is already in team `Red` (line 2)",
        ),
    ],
)
def test_each_kind_of_bad_row_is_named_by_its_line(rows: str, line: int, fragment: str) -> None:
    found = problems_of(HEADER + rows)
    assert any(at == line and fragment in message for at, message in found), found


def test_every_bad_row_is_reported_at_once_with_lines_counted_as_the_file_does() -> None:
    text = HEADER + 'Red,"Li\nWei",1,\nRed,Wang,2,\nPurple,Zhao,3,\n\nRed,,4,\n'
    found = problems_of(text)
    # The quoted name spans lines 2–3, so Purple is on line 5 and the nameless row on line 7.
    assert [at for at, _ in found] == [5, 7]


def test_a_header_without_team_or_name_is_refused_on_its_line() -> None:
    found = problems_of("\n\nstudent_id,email\n1,a@b.cn\n")
    assert len(found) == 1 and found[0][0] == 3
    assert "missing team, name" in found[0][1] and "小组, 姓名, 学号, 邮箱" in found[0][1]


def test_an_empty_file_or_a_header_alone_is_refused() -> None:
    assert "empty" in problems_of("")[0][1]
    assert "no students" in problems_of(HEADER)[0][1]


def test_a_roster_saved_by_excel_in_gbk_and_with_semicolons_is_read(tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_bytes("小组;姓名;学号;邮箱\r\nRed;李伟;2023001;\r\n".encode("gbk"))
    assert load_roster(path, TEAMS) == [Student("Red", "李伟", "2023001", "")]


def test_an_xlsx_roster_is_read_from_its_first_sheet_with_excel_row_numbers(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["小组", "姓名", "学号", "邮箱"])
    sheet.append(["Red", "李伟", 2023001, "li@example.edu"])  # a number cell, as Excel keeps ids
    sheet.append([None, None, None, None])
    sheet.append(["Blue", "王芳", 2023002.0, None])
    sheet.append(["Nowhere", "赵", 2023003, None])
    path = tmp_path / "class.xlsx"
    book.save(path)
    rows = read_roster_rows(path)
    assert rows[1] == (2, ["Red", "李伟", "2023001", "li@example.edu"])
    with pytest.raises(RosterError) as raised:
        load_roster(path, TEAMS)
    assert [p.line for p in raised.value.problems] == [5]
    sheet.delete_rows(5)
    book.save(path)
    assert [s.student_id for s in load_roster(path, TEAMS)] == ["2023001", "2023002"]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.csv", None, "does not exist"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel workbook (.xls)"),
        ("broken.xlsx", b"PK\x03\x04not really a zip", "not a readable .xlsx workbook"),
        ("utf16.csv", "team,name\n".encode("utf-16"), "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_files_are_named_in_one_line(
    tmp_path: Path, name: str, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RosterFileError) as raised:
        read_roster_rows(path)
    assert fragment in str(raised.value) and name in str(raised.value)


def class_session() -> int:
    case = scale_case()
    with open_store() as store:
        return store.create_session(case.scenario.id, "classroom", TEAMS, str(case.path), {})


def test_sim_roster_attaches_and_a_later_roster_replaces_the_earlier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = class_session()
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "Red,Li,1,\nBlue,Wang,2,\n", encoding="utf-8")
    assert main(["roster", str(session), str(first)]) == 0
    out = capsys.readouterr().out
    assert "2 student(s) attached" in out and "Red 1, Blue 1, Green 0" in out
    assert "no students listed for team(s): Green" in out
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "Green,Zhao,3,\n", encoding="utf-8")
    assert main(["roster", str(session), str(second)]) == 0
    assert "replaces the roster attached before (2 student(s))" in capsys.readouterr().out
    with open_store() as store:
        events = store.events(session)
    assert fold_roster(events) == (Student("Green", "Zhao", "3", ""),)
    assert fold(scale_case().scenario, events).roster == (Student("Green", "Zhao", "3", ""),)


def test_sim_roster_with_bad_rows_attaches_nothing_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = class_session()
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Red,Li,1,\nRed,Wang,1,\nTeal,Zhao,2,\n", encoding="utf-8")
    assert main(["roster", str(session), str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:3: student id `1` is given twice")
    assert err[1].startswith(f"{path}:4: team `Teal` is not in this session")
    assert "nothing attached: 2 problem(s)" in err[2]
    with open_store() as store:
        assert fold_roster(store.events(session)) is None
    assert main(["roster", "999", str(path)]) == 1
    assert "there is no session 999" in capsys.readouterr().err


def test_hostile_roster_text_is_stored_clean(tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(HEADER + "Red,\x1b[31mLi\u202e Wei,=1+2,\n", encoding="utf-8")
    students = load_roster(path, TEAMS)
    assert students == [Student("Red", "Li Wei", "=1+2", "")]  # formulas are neutralised on output


def test_sim_class_with_a_bad_roster_starts_no_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Red,Li,1,\nPurple,Wang,2,\n", encoding="utf-8")
    case = str(scale_case().path)
    assert main(["class", case, "--teams", "Red, Blue", "--roster", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:3: team `Purple` is not in this session" in err
    assert "no class started: 1 problem(s)" in err
    with open_store() as store:
        assert store.sessions() == []


def test_a_class_begun_with_a_roster_stores_it_before_anything_else() -> None:
    from sim.classroom import ClassError, Classroom

    roster = [Student("Red", "Li", "1", "")]
    with open_store() as store:
        room = Classroom.begin(scale_case(), store, ["Red", "Blue"], roster=roster)
        assert [e.type for e in room.events] == ["started", "roster"]
        assert room.state.roster == tuple(roster)
        assert room.undo() is None  # the class list is not a move to take back
        with pytest.raises(ClassError):
            Classroom.begin(scale_case(), store, ["A", "B"], roster=roster)
