"""`sim report` and `sim handout`: outputs, files, and one clear line for every mistake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.store import open_store
from tests.report.helpers import HOSTILE_SHOWN, classroom, scale_case


@pytest.fixture
def session() -> int:
    with open_store() as store:
        return classroom(store, scale_case()).session_id


def test_report_formats_to_stdout(session: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(session), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# Scale check\n")
    assert main(["report", str(session), "--format", "xapi"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)
    assert main(["report", str(session), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    # Standard output is plain UTF-8 (no BOM); --out writes the BOM for spreadsheets.
    assert out.startswith("Session,Case,Team,Student,Student ID,Email,")
    assert main(["report", str(session)]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("fmt", "start"), [("html", b"<!DOCTYPE"), ("csv", b"\xef\xbb\xbf")])
def test_report_to_file(session: int, tmp_path: Path, fmt: str, start: bytes) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(session), "--format", fmt, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(start)
    assert HOSTILE_SHOWN.split("<")[0] in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "999"], "no session 999"),
        (["report", "abc"], "`abc` is not a session id"),
        (["report", "1", "--out", "/no/such/folder/r.html"], "cannot write /no/such/folder"),
        (["handout", "no-such-case"], "no case `no-such-case`"),
    ],
)
def test_mistakes_exit_1_with_one_line(
    session: int, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err


def test_handout_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handout", "airline-ba008", "--format", "md", "--lang", "en"]) == 0
    md = capsys.readouterr().out
    assert "## Roles" in md and "## What will be assessed" in md
    out = tmp_path / "handout.html"
    assert main(["handout", "airline-ba008", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh">' in html
    assert "<script" not in html


def test_unknown_session_from_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim", "report", "42", "--format", "md"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sim report: no session 42; `sim sessions` lists the stored ones"
    ]


def test_report_renders_the_text_that_was_played_after_the_file_changed_or_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: a session keeps its case's text; editing, moving or deleting the file later
    changes nothing in its report, from any folder."""
    from tests.conftest import CASES

    lib = tmp_path / "lib"
    (lib / "scenarios").mkdir(parents=True)
    (lib / "rubrics").mkdir()
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (lib / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())
    case = lib / "scenarios" / "case.yaml"
    original = (CASES / "scenarios" / "scale-check.yaml").read_text("utf-8")
    case.write_text(original.replace("text: Gift", "text: Played gift"), "utf-8")
    assert main(["run", str(case), "--choices", "warm:care,gift", "--record"]) == 0
    capsys.readouterr()

    case.write_text(original.replace("text: Gift", "text: Edited gift"), "utf-8")
    assert main(["report", "1", "--format", "md"]) == 0
    shown = capsys.readouterr().out
    assert "Played gift" in shown and "Edited gift" not in shown

    case.rename(tmp_path / "moved.yaml")
    (lib / "rubrics" / "ten.yaml").unlink()
    assert main(["report", "1", "--format", "md"]) == 0
    assert "Played gift" in capsys.readouterr().out
    assert main(["sessions"]) == 0
    assert "scale-check" in capsys.readouterr().out
