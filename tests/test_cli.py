"""The command-line contract of PRODUCT.md, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BROKEN, CASES

SCALE = str(CASES / "scenarios" / "scale-check.yaml")


def sim(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIM_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_validate_exit_codes(sim_home: Path, tmp_path: Path) -> None:
    assert sim("validate", str(CASES), home=sim_home).returncode == 0
    broken = sim("validate", str(BROKEN / "scenarios" / "unknown-key.yaml"), home=sim_home)
    assert broken.returncode == 1
    assert (
        "unknown-key.yaml:17:5: error: unknown key `choice` (did you mean `choices`?)"
        in broken.stdout
    )
    warn = sim("validate", str(BROKEN / "scenarios" / "unreachable-scene.yaml"), home=sim_home)
    assert warn.returncode == 0 and ": warning: " in warn.stdout
    assert sim("validate", home=sim_home).returncode == 2


def test_no_traceback_for_any_broken_file(sim_home: Path) -> None:
    result = sim("validate", str(BROKEN), home=sim_home)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for line in result.stdout.splitlines():
        path, line_no, column, rest = line.split(":", 3)
        assert Path(path).exists() and int(line_no) >= 1 and int(column) >= 1
        assert rest.startswith((" error: ", " warning: "))


def test_run_json_shape(sim_home: Path) -> None:
    result = sim("run", SCALE, "--choices", "warm:care,gift", "--json", home=sim_home)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["scenario"] == "scale-check"
    assert out["path"] == [
        {"scene": "s1", "choice": "warm", "reason": "care"},
        {"scene": "s2", "choice": "gift", "reason": None},
    ]
    assert out["ending"] == "delighted"
    assert out["state"] == {"mood": 10.0, "money": 50.0}
    assert abs(out["scores"]["overall"] - 85.41666666666667) < 1e-9
    c = out["scores"]["rubrics"]["ten"]["criteria"]
    assert c["a"] == {"score": 7.5, "level": 10, "observed": True}
    assert c["c"] == {"score": None, "level": None, "observed": False}


def test_run_refuses_unknown_and_unavailable_choices(sim_home: Path) -> None:
    unknown = sim("run", SCALE, "--choices", "hug", home=sim_home)
    assert unknown.returncode == 1 and "valid: warm, cold" in unknown.stderr
    unavailable = sim("run", SCALE, "--choices", "cold:cheap,gift", home=sim_home)
    assert unavailable.returncode == 1
    assert "not available" in unavailable.stderr and "valid: plain, refund" in unavailable.stderr
    missing_reason = sim("run", SCALE, "--choices", "warm", home=sim_home)
    assert missing_reason.returncode == 1 and "care, cheap" in missing_reason.stderr
    bad_reason = sim("run", SCALE, "--choices", "warm:because", home=sim_home)
    assert bad_reason.returncode == 1 and "valid: care, cheap" in bad_reason.stderr
    assert "Traceback" not in unknown.stderr + unavailable.stderr + bad_reason.stderr


def test_run_on_a_broken_case_names_the_problem(sim_home: Path) -> None:
    result = sim(
        "run", str(BROKEN / "scenarios" / "dangling-next.yaml"), "--choices", "x", home=sim_home
    )
    assert result.returncode == 1
    assert "dangling-next.yaml:23:15: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_case_id_suggests_a_close_one(sim_home: Path) -> None:
    result = sim("run", "airline-ba08", "--choices", "x", home=sim_home)
    assert result.returncode == 1 and "airline-ba008" in result.stderr


def test_record_stores_a_finished_session(sim_home: Path) -> None:
    result = sim(
        "run", SCALE, "--choices", "warm:care,gift", "--record", "--team", "Blue", home=sim_home
    )
    assert result.returncode == 0
    session_id = int(result.stderr.strip())
    listed = json.loads(sim("sessions", "--json", home=sim_home).stdout)
    assert listed == [
        {
            "id": session_id,
            "scenario": "scale-check",
            "kind": "record",
            "teams": ["Blue"],
            "events": 6,
            "finished": True,
        }
    ]


def test_schema_is_json_schema_of_both_formats(sim_home: Path) -> None:
    result = sim("schema", home=sim_home)
    schema = json.loads(result.stdout)
    assert result.returncode == 0
    names = json.dumps(schema)
    assert "Scenario" in names and "Rubric" in names and "Choice" in names
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_a_reader_that_stops_early_gets_no_traceback(sim_home: Path) -> None:
    env = {**os.environ, "SIM_HOME": str(sim_home)}
    with subprocess.Popen(
        [sys.executable, "-m", "sim", "analyze", "airline-ba008"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # like `| head` that has had enough before sim writes anything
        errors = proc.stderr.read().decode()
        proc.wait(timeout=120)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_class_refuses_bad_set_ups_with_one_line_and_no_app(sim_home: Path) -> None:
    usage = sim("class", home=sim_home)
    assert usage.returncode == 2 and "--teams" in usage.stderr
    one = sim("class", "airline-ba008", "--teams", "Solo", home=sim_home)
    assert one.returncode == 1
    assert one.stderr.strip() == (
        "sim class: a class needs 2 to 8 teams, separated by commas (got 1): for example "
        '--teams "Red, Blue, Green"'
    )
    missing = sim("class", "--resume", "99", home=sim_home)
    assert missing.returncode == 1 and "no classroom session 99" in missing.stderr
    assert "Traceback" not in usage.stderr + one.stderr + missing.stderr


def test_team_without_record_is_a_usage_error_and_resume_names_the_kind(sim_home: Path) -> None:
    lone = sim("run", SCALE, "--choices", "warm:care,gift", "--team", "Blue", home=sim_home)
    assert lone.returncode == 2 and "add --record" in lone.stderr
    stored = sim("run", SCALE, "--choices", "warm:care,gift", "--record", home=sim_home)
    session_id = int(stored.stderr.strip())
    wrong = sim("class", "--resume", str(session_id), home=sim_home)
    assert wrong.returncode == 1
    assert f"session {session_id} is a record session, not a class" in wrong.stderr
