"""`sim doctor`, run as a user runs it: a real process, its data folder and its PATH.

Tools are faked by PATH: a folder holding small scripts named `fc-list`, `dot` and
`chromium` stands for a machine that has them; an empty one for a machine that has none.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.doctor import TEXT, System, colour_check, install_command, linux_family, say
from tests.conftest import SQLITE_FILE

FAMILY = "Noto Sans CJK SC"


def doctor(home: Path, *args: str, path: str | None = None, **env: str) -> tuple[int, Any]:
    """Exit status and the JSON of `sim doctor --json`."""
    environment = {**os.environ, "SIM_HOME": str(home), **env}
    if path is not None:
        environment["PATH"] = path
    done = subprocess.run(
        [sys.executable, "-m", "sim", "doctor", "--json", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def by_id(report: Any) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in report["checks"]}


def tool(folder: Path, name: str, body: str) -> None:
    script = folder / name
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A PATH folder with fontconfig that knows a Chinese font, Graphviz and Chromium."""
    folder = tmp_path / "bin-with-tools"
    folder.mkdir()
    tool(folder, "fc-list", f'echo "{FAMILY},{FAMILY} Regular"\necho "WenQuanYi Micro Hei"')
    tool(folder, "dot", 'echo "dot - graphviz version 2.43.0 (0)" >&2')
    tool(folder, "chromium", "exit 0")
    return folder


@pytest.fixture
def no_tools(tmp_path: Path) -> Path:
    """A PATH folder with fontconfig that knows no Chinese font, and nothing else."""
    folder = tmp_path / "bin-bare"
    folder.mkdir()
    tool(folder, "fc-list", "exit 0")
    return folder


@SQLITE_FILE
def test_a_writable_data_folder_and_no_database_yet_is_a_working_core(
    sim_home: Path, tools: Path
) -> None:
    status, report = doctor(sim_home, path=str(tools))
    checks = by_id(report)
    assert status == 0 and report["ok"] is True
    for core in ("python", "packages", "cases", "folder", "database"):
        assert checks[core]["status"] == "ok", checks[core]
    assert str(sim_home) in checks["folder"]["detail"]
    assert not (sim_home / "sessions.sqlite3").exists()  # looking is not making


@SQLITE_FILE
def test_the_database_is_counted_once_sessions_are_stored(sim_home: Path, tools: Path) -> None:
    for team in ("Red", "Blue"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                "airline-ba008",
                "--choices",
                "listen:understand-first",
                "--record",
                "--team",
                team,
            ],
            capture_output=True,
            env={**os.environ, "SIM_HOME": str(sim_home)},
            check=True,
        )
    status, report = doctor(sim_home, "--lang", "en", path=str(tools))
    database = by_id(report)["database"]
    assert status == 0 and database["status"] == "ok"
    assert "2 session(s)" in database["detail"]


def test_a_data_folder_that_cannot_be_written_fails_the_core(tmp_path: Path, tools: Path) -> None:
    # A file where the folder should be: no one can write there, root included.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    status, report = doctor(blocker / "sim", "--lang", "en", path=str(tools))
    folder = by_id(report)["folder"]
    assert status == 1 and report["ok"] is False
    assert folder["status"] == "fail" and str(blocker / "sim") in folder["detail"]
    assert "SIM_HOME" in folder["fix"]
    assert "database" not in by_id(report)  # nothing to open there


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_a_read_only_data_folder_fails_the_core(tmp_path: Path, tools: Path) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o500)
    try:
        status, report = doctor(home, path=str(tools))
    finally:
        home.chmod(0o700)
    assert status == 1 and by_id(report)["folder"]["status"] == "fail"


@SQLITE_FILE
def test_a_damaged_database_fails_the_core_and_names_the_repair(
    sim_home: Path, tools: Path
) -> None:
    sim_home.mkdir(parents=True, exist_ok=True)
    (sim_home / "sessions.sqlite3").write_bytes(b"this is not SQLite" * 400)
    status, report = doctor(sim_home, "--lang", "en", path=str(tools))
    database = by_id(report)["database"]
    assert status == 1 and database["status"] == "fail"
    assert "sessions.sqlite3" in database["detail"]
    assert "sim repair" in database["fix"]


def test_tools_that_are_there_are_named(sim_home: Path, tools: Path) -> None:
    status, report = doctor(sim_home, "--lang", "en", path=str(tools))
    checks = by_id(report)
    assert status == 0
    assert checks["font"]["status"] == "ok" and FAMILY in checks["font"]["detail"]
    assert checks["graphviz"]["status"] == "ok" and "2.43.0" in checks["graphviz"]["detail"]
    assert checks["chromium"]["status"] == "ok"
    assert str(tools / "chromium") in checks["chromium"]["detail"]


def test_tools_that_are_missing_are_named_with_their_fix_and_do_not_fail_the_core(
    sim_home: Path, no_tools: Path
) -> None:
    status, report = doctor(sim_home, "--lang", "en", path=str(no_tools))
    checks = by_id(report)
    system = System.here()
    assert status == 0 and report["ok"] is True
    for name, what in (("font", "font"), ("graphviz", "graphviz"), ("chromium", "chromium")):
        assert checks[name]["status"] == "missing", checks[name]
        assert checks[name]["fix"] == install_command(what, system)


def test_without_fontconfig_the_font_cannot_be_checked(sim_home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    status, report = doctor(sim_home, path=str(empty))
    assert status == 0
    if System.here().os not in ("macos", "windows"):
        assert by_id(report)["font"]["status"] == "warn"


def test_a_database_url_is_connected_to_and_a_bad_one_fails(
    sim_home: Path, tools: Path, pg_url: str
) -> None:
    _, plain = doctor(sim_home, path=str(tools), SIM_DATABASE_URL="")  # unset, in either mode
    assert by_id(plain)["postgres"]["status"] == "off"
    status, configured = doctor(
        sim_home, "--lang", "en", path=str(tools), SIM_DATABASE_URL=pg_url
    )
    found = by_id(configured)["postgres"]
    assert (status, found["status"], found["group"]) == (0, "ok", "core")
    assert re.search(r"\(server \d+\.\d+, 0 session\(s\), schema 3\)", found["detail"])
    assert "database" not in by_id(configured)  # the data folder's SQLite is not the store
    bad = "postgresql://teacher:pw-secret@127.0.0.1:1/sim"
    status, refused = doctor(sim_home, path=str(tools), SIM_DATABASE_URL=bad)
    found = by_id(refused)["postgres"]
    assert (status, found["status"]) == (1, "fail")
    assert "cannot be reached" in found["detail"] and "pw-secret" not in str(found)


def test_the_text_is_in_the_users_language_and_lists_every_fix(
    sim_home: Path, no_tools: Path
) -> None:
    def text(*args: str, **env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "sim", "doctor", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "SIM_HOME": str(sim_home), "PATH": str(no_tools), **env},
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr
        return done.stdout

    chinese = text(LANG="zh_CN.UTF-8")
    english = text("--lang", "en")
    assert TEXT["group.core"][0] in chinese and TEXT["all_ok"][0] in chinese
    assert TEXT["group.core"][1] in english and TEXT["all_ok"][1] in english
    assert text(LANG="en_US.UTF-8").startswith(say("title", "en", version="").split(" 0")[0])
    # every check that is not ok is followed by its fix
    assert english.count(say("fix", "en")) == 3 + 2  # font, chromium, graphviz; tty, colours
    assert install_command("graphviz", System.here()) in english


def test_the_web_extra_is_named_with_its_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from sim import doctor as module

    assert module.check_web("en").status == "ok"  # the test extra includes the web extra
    real = metadata.version

    def without_uvicorn(name: str) -> str:
        if name == "uvicorn":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(module.metadata, "version", without_uvicorn)
    check = module.check_web("en")
    assert check.status == "missing" and not check.broken
    assert "uvicorn" in check.detail and check.fix is not None and ".[web]" in check.fix


def test_linux_families_come_from_os_release() -> None:
    assert linux_family('ID=ubuntu\nID_LIKE="debian"\n') == "debian"
    assert linux_family("ID=debian\n") == "debian"
    assert linux_family('ID="rocky"\nID_LIKE="rhel centos fedora"\n') == "fedora"
    assert linux_family("ID=arch\n") == "arch"
    assert linux_family("ID=gentoo\n") == "linux"
    assert linux_family("") == "linux"


def test_colour_depth_follows_no_color_colorterm_and_term() -> None:
    assert colour_check("en", {"NO_COLOR": "1", "COLORTERM": "truecolor"}).status == "warn"
    assert colour_check("en", {"COLORTERM": "truecolor"}).status == "ok"
    assert colour_check("en", {"TERM": "xterm-256color"}).status == "ok"
    if not sys.platform.startswith("win"):
        assert colour_check("en", {"TERM": "xterm"}).status == "warn"


def test_a_missing_or_outdated_package_fails_the_core_with_this_pythons_pip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import metadata

    from sim import doctor as module

    real = metadata.version

    def pretend(name: str) -> str:
        if name.lower() == "textual":
            raise metadata.PackageNotFoundError(name)
        if name.lower() == "pydantic":
            return "1.10.0"
        return real(name)

    monkeypatch.setattr(module.metadata, "version", pretend)
    check = module.check_packages("en")
    assert check.status == "fail" and check.broken
    assert "textual" in check.detail and "not installed" in check.detail
    if module.satisfied("1.10.0", ">=2.7") is not None:  # `packaging` is there to tell
        assert "pydantic 1.10.0" in check.detail
    assert check.fix is not None and sys.executable in check.fix
