"""Hostile input against every text command, run as a user runs it: one line, never a traceback,
never a raw control character on the terminal (issue 15)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES, SQLITE_FILE

SCALE = CASES / "scenarios" / "scale-check.yaml"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sim(
    *args: str | bytes, home: Path | str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIM_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    # Decoded strictly: every byte the command prints must be UTF-8 text.
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert not RAW_CONTROL.search(both.replace("\r\n", "\n")), both


def library(tmp_path: Path, text: str | None = None) -> Path:
    """A case library in tmp_path holding the scale-check case (or `text` in its place)."""
    (tmp_path / "scenarios").mkdir(parents=True, exist_ok=True)
    (tmp_path / "rubrics").mkdir(exist_ok=True)
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (tmp_path / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())
    case = tmp_path / "scenarios" / "case.yaml"
    case.write_text(text if text is not None else SCALE.read_text("utf-8"), encoding="utf-8")
    return case


HOSTILE = (
    SCALE.read_text("utf-8")
    .replace("title: Scale check", 'title: "Scale \\e]0;pwned\\a check \\u202eevil"')
    .replace("text: First decision.", 'text: "First \\e[2J\\e[H decision\\r\\x9b31m"')
    .replace("{id: warm, text: Warm,", '{id: warm, text: "Warm\\e]8;;http://x\\e\\\\link",')
    .replace("  - id: delighted\n", '  - id: delighted\n    title: "Yay \\u2066\\x07"\n')
)


def test_case_text_with_escapes_is_shown_escaped_by_run(tmp_path: Path, sim_home: Path) -> None:
    case = library(tmp_path, HOSTILE)
    assert sim("validate", str(tmp_path), home=sim_home).returncode == 0
    result = sim("run", str(case), "--choices", "warm:care,gift", home=sim_home)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    assert "Scale \\u001b]0;pwned\\u0007 check \\u202eevil" in result.stdout
    assert "Warm\\u001b]8;;http://x\\u001b\\link" in result.stdout


def test_run_json_with_escapes_is_valid_json(tmp_path: Path, sim_home: Path) -> None:
    case = library(tmp_path, HOSTILE)
    result = sim("run", str(case), "--choices", "warm:care,gift", "--json", home=sim_home)
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    assert json.loads(result.stdout)["ending"] == "delighted"


def test_analyze_and_handout_with_escapes(tmp_path: Path, sim_home: Path) -> None:
    case = library(tmp_path, HOSTILE)
    for args in (["analyze", str(case)], ["handout", str(case), "--format", "md"]):
        result = sim(*args, home=sim_home)
        assert result.returncode == 0, result.stderr
        assert_clean(result)


def test_validate_escapes_the_file_name_and_message(tmp_path: Path, sim_home: Path) -> None:
    bad = tmp_path / "scenarios" / "a\x1b[31mred.yaml"
    bad.parent.mkdir()
    bad.write_bytes(b"format: 1\x1b\nid: [\n")
    result = sim("validate", str(tmp_path), home=sim_home)
    assert result.returncode == 1
    assert_clean(result)
    assert "a\\u001b[31mred.yaml:1:10: error: the file holds U+001B" in result.stdout


def test_team_names_with_controls_stay_on_one_row(tmp_path: Path, sim_home: Path) -> None:
    for team in ("Red\x1b]0;pwned\x07", "Blue\r\nfake row", "\u202eneerG"):
        made = sim("run", str(SCALE), "--choices", "warm:care", "--record", "--team", team,
                   home=sim_home)  # fmt: skip
        assert made.returncode == 0, made.stderr
    listed = sim("sessions", home=sim_home)
    assert listed.returncode == 0
    assert_clean(listed)
    assert len(listed.stdout.splitlines()) == 3
    assert "[Blue\\u000d\\u000afake row]" in listed.stdout
    as_json = sim("sessions", "--json", home=sim_home)
    assert [s["teams"] for s in json.loads(as_json.stdout)][1] == ["Blue\r\nfake row"]
    report = sim("report", "1", "--format", "md", home=sim_home)
    assert report.returncode == 0 and "Red" in report.stdout
    assert_clean(report)


@pytest.mark.parametrize("number", [str(2**63), str(10**30), "-1", "0", "x"])
def test_session_ids_out_of_range_are_refused(sim_home: Path, number: str) -> None:
    report = sim("report", number, home=sim_home)
    assert report.returncode == 1 and "is not a session id" in report.stderr
    assert_clean(report)
    resume = sim("class", "--resume", number, home=sim_home)
    assert resume.returncode == 2 and "is not a session id" in resume.stderr
    assert_clean(resume)


def test_largest_session_id_is_looked_up(sim_home: Path) -> None:
    report = sim("report", str(2**63 - 1), home=sim_home)
    assert report.returncode == 1 and f"no session {2**63 - 1}" in report.stderr


def test_team_name_that_is_not_utf8_is_a_usage_error(sim_home: Path) -> None:
    result = sim(
        "run", str(SCALE), "--choices", "warm:care", "--record", "--team", b"\xff\xfeA",
        home=sim_home,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--team holds bytes that are not UTF-8 text" in result.stderr
    assert_clean(result)


def test_case_file_name_that_is_not_utf8(tmp_path: Path, sim_home: Path) -> None:
    case = library(tmp_path)
    odd = os.fsencode(case.parent) + b"/case\xff.yaml"
    os.rename(case, odd)
    validated = sim("validate", odd, home=sim_home)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    played = sim("run", odd, "--choices", "warm:care", home=sim_home)
    assert played.returncode == 1 and "file's name is not UTF-8 text" in played.stderr
    assert "case\\udcff.yaml" in played.stderr
    assert_clean(played)


def _recorded(home: Path) -> Path:
    made = sim("run", str(SCALE), "--choices", "warm:care,gift", "--record", "--team", "A",
               home=home)  # fmt: skip
    assert made.returncode == 0, made.stderr
    return home / "sessions.sqlite3"


def _truncate(db: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _noise(db: Path) -> None:
    db.write_bytes(bytes(range(256)) * 80)


def _broken_event(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE events SET data = '{broken' WHERE seq = 2")


def _broken_settings(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE sessions SET settings = 'null'")


@SQLITE_FILE
@pytest.mark.parametrize(
    ("damage", "commands", "words"),
    [
        (_truncate, [["sessions"], ["report", "1"]], "is damaged"),
        (_noise, [["sessions"], ["report", "1"]], "is damaged (file is not a database)"),
        (_broken_event, [["report", "1"]], "event 2 of session 1 is not readable data"),
        (_broken_settings, [["sessions"], ["report", "1"]], "settings of session 1"),
    ],
)
def test_damaged_store_is_named_in_one_line(
    sim_home: Path, damage: object, commands: list[list[str]], words: str
) -> None:
    db = _recorded(sim_home)
    for extra in db.parent.glob("sessions.sqlite3-*"):
        extra.unlink()
    damage(db)  # type: ignore[operator]
    for command in commands:
        result = sim(*command, home=sim_home)
        assert result.returncode == 1, result.stdout
        assert_clean(result)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(db) in lines[0] and words in lines[0], lines


@SQLITE_FILE
@pytest.mark.parametrize("damage", [_truncate, _noise])
def test_the_app_refuses_a_damaged_store_before_it_starts(sim_home: Path, damage: object) -> None:
    """`sim`, `sim play` and `sim class` check the store first and give the very line `sim
    sessions` gives (with the `sim repair` hint): no app, no crash line, no crash log."""
    db = _recorded(sim_home)
    for extra in db.parent.glob("sessions.sqlite3-*"):
        extra.unlink()
    damage(db)  # type: ignore[operator]
    listed = sim("sessions", home=sim_home)
    refusal = listed.stderr.strip().removeprefix("sim sessions: ")
    assert listed.returncode == 1 and "`sim repair`" in refusal
    for command in ([], ["play", str(SCALE)], ["class", str(SCALE), "--teams", "A,B"],
                    ["class", "--resume", "1"]):  # fmt: skip
        result = sim(*command, home=sim_home)
        assert result.returncode == 1, (command, result.stdout)
        assert_clean(result)
        said = " ".join(["sim", *command[:1]])
        assert result.stderr.strip().splitlines() == [f"{said}: {refusal}"], command
        assert result.stdout == ""  # the app never took the terminal
    assert not (sim_home / "logs").exists()  # refused, not crashed


@SQLITE_FILE
def test_foreign_database_is_named(sim_home: Path) -> None:
    sim_home.mkdir()
    with sqlite3.connect(sim_home / "sessions.sqlite3") as connection:
        connection.execute("CREATE TABLE sessions (x)")
    result = sim("sessions", home=sim_home)
    assert result.returncode == 1
    assert "is not a sim session database" in result.stderr
    assert_clean(result)


@SQLITE_FILE
def test_newer_database_is_named(sim_home: Path) -> None:
    sim_home.mkdir()
    with sqlite3.connect(sim_home / "sessions.sqlite3") as connection:
        connection.execute("PRAGMA user_version = 99")
    result = sim("sessions", home=sim_home)
    assert result.returncode == 1 and "made by a newer sim" in result.stderr


@SQLITE_FILE
def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    for command in (["sessions"], ["report", "1"], ["run", str(SCALE), "--choices", "warm:care",
                                                     "--record"]):  # fmt: skip
        result = sim(*command, home=home)
        assert result.returncode == 1
        assert "is a file, not a folder" in result.stderr
        assert_clean(result)


@SQLITE_FILE
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_data_folder(sim_home: Path) -> None:
    sim_home.mkdir()
    sim_home.chmod(0o500)
    try:
        result = sim("sessions", home=sim_home)
    finally:
        sim_home.chmod(0o700)
    assert result.returncode == 1 and "cannot be written" in result.stderr


def test_unexpected_error_is_one_line_and_a_crash_log(
    sim_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sim.cli

    def explode(_: object) -> int:
        raise RuntimeError("boom \x1b[2J")

    monkeypatch.setattr(sim.cli, "cmd_sessions", explode)
    assert sim.cli.main(["sessions"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("sim sessions: unexpected error at sim/cli.py:")
    assert "RuntimeError: boom \\u001b[2J" in lines[0]
    logs = list((sim_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    assert "Traceback" in logs[0].read_text(encoding="utf-8")
    assert sys.stdout is not None and sim.cli.sys.stdout is sys.stdout


def test_json_never_holds_nan(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sim.cli
    from sim.headless import HeadlessOutcome

    monkeypatch.setattr(HeadlessOutcome, "as_json", lambda self: {"overall": float("nan")})
    assert sim.cli.main(["run", str(SCALE), "--choices", "warm:care", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "sim run: the result holds a number that is not finite (NaN or infinity), which JSON "
        "cannot carry; `sim validate` the case and check its weights and points"
    )


def test_xapi_never_holds_nan(sim_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.report import ReportError, load_session, render_report
    from sim.store import open_store

    _recorded(sim_home)
    with open_store() as store:
        source = load_session(store, 1)
    import sim.report.xapi as xapi

    real = xapi.statements
    monkeypatch.setattr(
        xapi, "statements", lambda *a: [*real(*a), {"result": {"score": {"raw": float("inf")}}}]
    )
    with pytest.raises(ReportError, match="not a finite number"):
        render_report(source, "xapi")


def test_class_and_play_print_escaped_too(tmp_path: Path, sim_home: Path) -> None:
    """These hand the terminal to the app, outside the text commands' filter."""
    refused = sim("class", str(SCALE), "--teams", "A\x1b[2J, A\x1b[2J", home=sim_home)
    assert refused.returncode in (1, 2)
    assert_clean(refused)
    assert "named twice" in refused.stderr  # names are cleaned before they are compared
    odd = tmp_path / "x\x1b]0;t\x07.yaml"
    odd.write_text("format: 1\x1b\n", encoding="utf-8")
    played = sim("play", str(odd), home=sim_home)
    assert played.returncode == 1
    assert_clean(played)
    assert "x\\u001b]0;t\\u0007.yaml:1:10: error" in played.stderr


def test_a_run_recorded_by_a_relative_path_is_reported_from_elsewhere(
    tmp_path: Path, sim_home: Path
) -> None:
    library(tmp_path / "lib")
    made = sim("run", "scenarios/case.yaml", "--choices", "warm:care,gift", "--record",
               home=sim_home, cwd=tmp_path / "lib")  # fmt: skip
    assert made.returncode == 0, made.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    report = sim("report", "1", "--format", "md", home=sim_home, cwd=elsewhere)
    assert report.returncode == 0, report.stderr
    assert "Scale check" in report.stdout


@SQLITE_FILE
def test_repair_copies_what_is_readable_and_keeps_the_damaged_file(sim_home: Path) -> None:
    db = _recorded(sim_home)
    for team in ("B", "C"):
        sim("run", str(SCALE), "--choices", "warm:care,gift", "--record", "--team", team,
            home=sim_home)  # fmt: skip
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE events SET data = '{broken' WHERE session_id = 2 AND seq = 2")
    refused = sim("report", "2", home=sim_home)
    assert refused.returncode == 1 and "`sim repair`" in refused.stderr
    repaired = sim("repair", home=sim_home)
    assert repaired.returncode == 0, repaired.stderr
    # Three runs of one case: its text and its three rubrics' are kept once each.
    kept_rows = "kept 3 sessions, 3 teams, 17 events, 4 case and rubric text(s); skipped 1"
    assert kept_rows in repaired.stdout
    kept = sorted(sim_home.glob("sessions.damaged-*.sqlite3"))
    assert len(kept) == 1 and str(kept[0]) in repaired.stdout
    listed = sim("sessions", home=sim_home)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3
    for session in ("1", "2", "3"):
        assert sim("report", session, "--format", "md", home=sim_home).returncode == 0


@SQLITE_FILE
def test_repair_of_noise_keeps_nothing_but_opens_again(sim_home: Path) -> None:
    db = _recorded(sim_home)
    for extra in db.parent.glob("sessions.sqlite3-*"):
        extra.unlink()
    _noise(db)
    repaired = sim("repair", home=sim_home)
    assert repaired.returncode == 0 and "nothing could be recovered" in repaired.stdout
    assert "kept as" in repaired.stdout  # the noise itself is kept, renamed, beside it
    assert sim("sessions", home=sim_home).stdout.strip() == "no sessions yet"


@SQLITE_FILE
def test_repair_without_a_database(sim_home: Path) -> None:
    result = sim("repair", home=sim_home)
    assert result.returncode == 1 and "nothing to repair" in result.stderr
    assert_clean(result)


@SQLITE_FILE
def test_repair_of_a_truncated_database_keeps_its_first_part(sim_home: Path) -> None:
    from sim.cases import load_case
    from sim.headless import play_headless
    from sim.store import open_store

    run = play_headless(load_case(SCALE), [("warm", "care"), ("gift", None)]).run
    sim_home.mkdir()
    with open_store() as store:
        for number in range(300):
            store.record_run("scale-check", str(SCALE), f"team {number} " + "x" * 200, run)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = sim_home / "sessions.sqlite3"
    for extra in db.parent.glob("sessions.sqlite3-*"):
        extra.unlink()
    db.write_bytes(db.read_bytes()[: db.stat().st_size * 2 // 3])
    assert sim("sessions", home=sim_home).returncode == 1
    repaired = sim("repair", home=sim_home)
    assert repaired.returncode == 0, repaired.stderr
    assert "could not be read at all" in repaired.stdout
    kept = int(repaired.stdout.split("kept ")[1].split(" sessions")[0].replace(",", ""))
    assert 100 < kept < 300
    listed = sim("sessions", home=sim_home)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == kept
    assert sim("report", "1", "--format", "md", home=sim_home).returncode == 0
