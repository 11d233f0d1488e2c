"""`sim report SESSION --format json`: the whole debrief as data, valid against the schema that
`sim schema --report` prints, with finite numbers only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sim.classroom import Classroom
from sim.cli import main
from sim.debrief import settings_of, totals_formula
from sim.report import load_session, render_report
from sim.report.json_report import report_schema
from sim.store import open_store
from tests.report.helpers import (
    AUTO,
    HOSTILE,
    HOSTILE_SHOWN,
    HUMAN,
    MEMBERS,
    ba008_class,
    classroom,
    scale_case,
)
from tests.report.test_held_feedback import expected_feedback

jsonschema = pytest.importorskip("jsonschema")


def _no_nan(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the report")

    return json.loads(text, parse_constant=refuse)


def document(session_id: int, store: Any, lang: str | None = None) -> dict[str, Any]:
    data = _no_nan(render_report(load_session(store, session_id), "json", lang))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert isinstance(data, dict)
    return data


def test_the_scored_class_as_data() -> None:
    store = open_store()
    session_id = classroom(store, scale_case()).session_id
    data = document(session_id, store)
    assert data["format"] == "sim-report/1"
    assert data["session"]["kind"] == "classroom" and data["session"]["finished"] is True
    # The course method by default: the rated score is the total.
    assert data["formula"] | {"text": ""} == {
        "auto_weight": 0.0,
        "human_weight": 1.0,
        "policy": "course",
        "text": "",
    }
    assert data["formula"]["text"] == totals_formula(settings_of({}), "en")
    teams = {t["name"]: t for t in data["teams"]}
    assert list(teams) == ["Red", HOSTILE_SHOWN, "Blue"]  # control characters removed
    for name, team in teams.items():
        raw = HOSTILE if name == HOSTILE_SHOWN else name
        assert team["auto"]["overall"] == pytest.approx(AUTO[raw], abs=1e-3)
        assert team["rated"]["percent"] == pytest.approx(HUMAN[raw])
        assert team["total"] == pytest.approx(HUMAN[raw], abs=1e-3)
        assert team["finished"] is True
    assert teams["Red"]["members"] == [m.replace("\x1b[2J", "") for m in MEMBERS["Red"]]
    # Ballots by rater, peers first; Blue's by Red is missing and listed as such.
    red_ballots = teams["Red"]["ratings"]
    assert [b["rater_kind"] for b in red_ballots] == ["peer", "peer", "instructor"]
    assert all(b["complete"] for b in red_ballots)
    assert set(red_ballots[-1]["levels"].values()) == {4}
    blue = teams["Blue"]
    assert {m["rater"] for m in blue["missing"]} == {"Red"}
    rated = blue["rated"]["rubrics"]["classroom-performance"]["criteria"]
    assert all(c["instructor_mean"] == 3 and c["peer_mean"] == 2 for c in rated.values())
    # The path: Blue's `cheap` does not support `warm`.
    first = blue["path"][0]
    assert first["choice"]["id"] == "warm" and first["reason"]["id"] == "cheap"
    assert first["reason"]["supports_choice"] is False and first["mismatch"]
    assert teams["Red"]["path"][0]["justification"].startswith("Red chose warmth")
    assert [r["id"] for r in data["rubrics"]] == ["ten", "four", "classroom-performance"]
    assert data["rubrics"][0]["weight"] == 3 and data["rubrics"][2]["weight"] is None


def test_held_feedback_notes_and_an_unfinished_team_as_data() -> None:
    store = open_store()
    case, session_id = ba008_class(store)
    room = Classroom.resume(case, store, session_id)
    room.summarize("Red", "Red listened first.")
    room.summarize(None, "Lifetime value, next week.")
    data = document(session_id, store)
    feedback = [
        text
        for team in data["teams"]
        for step in team["path"]
        for text in (step["choice"]["feedback"], (step["reason"] or {}).get("feedback"))
        if text
    ]
    assert sorted(feedback) == sorted(expected_feedback("en"))
    red, blue = data["teams"]
    assert red["summary"] == "Red listened first." and blue["summary"] == ""
    assert data["debrief"]["summary"] == "Lifetime value, next week."
    assert data["debrief"]["real_outcome"] and data["debrief"]["questions"]
    assert blue["path"][0]["mismatch"] and red["path"][0]["mismatch"] is None
    assert red["path"][0]["question"]  # what the customer said at that decision
    assert red["ending"]["id"] == room.run_of("Red").ending
    # Nobody rated Red, and the class's total is the rated score: no total until it is rated
    # (the automatic score alone is not the grade; it stays beside it under `auto`).
    assert red["rated"]["percent"] is None and red["awaiting_ratings"] is True
    assert red["total"] is None and red["auto"]["overall"] is not None

    # A class stopped mid-way: the unfinished team says so, with no ending.
    partial = Classroom.begin(case, store, ["Red", "Blue"])
    partial.choose("Red", "listen")
    data = document(partial.session_id, store, "zh")
    red = data["teams"][0]
    assert red["finished"] is False and red["ending"] is None and red["path"] == []
    assert data["session"]["finished"] is False and data["session"]["lang"] == "zh"


def test_cli_prints_the_report_and_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store()
    session_id = classroom(store, scale_case()).session_id
    assert main(["report", str(session_id), "--format", "json"]) == 0
    data = _no_nan(capsys.readouterr().out)
    assert main(["schema", "--report"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"].startswith("sim debrief report")
    jsonschema.Draft202012Validator(schema).validate(data)
    # The case format's schema is still what `sim schema` prints by default.
    assert main(["schema"]) == 0
    assert "report" not in json.loads(capsys.readouterr().out)["title"]
