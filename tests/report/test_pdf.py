"""`--format pdf`: the HTML report and handout printed by a headless Chromium."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sim.report.pdf import find_chromium

HAVE_CHROMIUM = find_chromium() is not None


def sim(home: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIM_HOME": str(home)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env, timeout=180
    )


@pytest.fixture
def recorded(sim_home: Path) -> str:
    done = sim(
        sim_home,
        "run",
        "airline-ba008",
        "--choices",
        "listen:understand-first",
        "--record",
        "--team",
        "Red",
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().split()[-1].strip(".")


@pytest.mark.skipif(not HAVE_CHROMIUM, reason="no Chromium (Debian package `chromium`)")
def test_a_report_and_a_handout_print_to_pdf(sim_home: Path, tmp_path: Path, recorded: str) -> None:
    report = tmp_path / "debrief.pdf"
    done = sim(sim_home, "report", recorded, "--format", "pdf", "--out", str(report))
    assert done.returncode == 0, done.stderr
    assert report.read_bytes().startswith(b"%PDF-") and report.stat().st_size > 5_000
    handout = tmp_path / "handout.pdf"
    done = sim(sim_home, "handout", "airline-ba008", "--format", "pdf", "--out", str(handout))
    assert done.returncode == 0, done.stderr
    assert handout.read_bytes().startswith(b"%PDF-")


def test_without_a_browser_pdf_is_refused_in_one_line(
    sim_home: Path, tmp_path: Path, recorded: str
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "debrief.pdf"
    done = sim(sim_home, "report", recorded, "--format", "pdf", "--out", str(out), path=str(empty))
    assert done.returncode == 1 and not out.exists()
    assert "Chromium" in done.stderr and "sim doctor" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_browser_that_writes_nothing_is_named(
    sim_home: Path, tmp_path: Path, recorded: str
) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    script = fake / "chromium"
    script.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "debrief.pdf"
    done = sim(
        sim_home,
        "report",
        recorded,
        "--format",
        "pdf",
        "--out",
        str(out),
        path=f"{fake}{os.pathsep}{os.environ['PATH']}",
    )
    assert done.returncode == 1
    assert str(script) in done.stderr and "cannot open display" in done.stderr


def test_pdf_needs_a_file(sim_home: Path, recorded: str) -> None:
    for args in (("report", recorded), ("handout", "airline-ba008")):
        done = sim(sim_home, *args, "--format", "pdf")
        assert done.returncode == 2 and "--out" in done.stderr


def test_find_chromium_looks_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None or sys.platform == "darwin"
    browser = tmp_path / "chromium-browser"
    browser.write_text("#!/bin/sh\n", encoding="utf-8")
    browser.chmod(0o755)
    assert find_chromium() == shutil.which("chromium-browser")
