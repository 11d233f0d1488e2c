"""The networked class through its JSON API only (Starlette's TestClient, no socket): a whole
three-team class in both modes to the debrief, checked against the stored report, and every
refusal with nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from sim.cases import load_case
from sim.classroom import Classroom
from sim.cli import main
from sim.store import open_store
from sim.web.app import ClassApp
from sim.web.links import Links
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
PATHS = {
    "A": [("warm", "care"), ("gift", None)],
    "B": [("cold", "cheap"), ("refund", None)],
    "C": [("warm", "cheap"), ("plain", None)],
}
LEVEL = {"A": 4, "B": 2, "C": 3}
"""Every peer gives a team this level on every criterion."""


class Class:
    """A served class and a client for it, with each holder's link path."""

    def __init__(self, client: TestClient, app: ClassApp) -> None:
        self.client = client
        self.app = app
        self.links: Links = app.links
        self.room: Classroom = app.room

    def link(self, holder: str) -> str:
        token = self.links.instructor if holder == "instructor" else self.links.teams[holder]
        return f"/{token}/"

    def state(self, holder: str) -> dict[str, Any]:
        answer = self.client.get(self.link(holder) + "state.json")
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data

    def post(self, holder: str, what: str, body: object) -> Any:
        return self.client.post(self.link(holder) + what, json=body)

    def stored(self) -> int:
        return len(open_store().events(self.room.session_id))


def serve(mode: str) -> Iterator[Class]:
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B", "C"], None, {"mode": mode})
    app = ClassApp(room, sse_lifetime=0.2)
    with TestClient(app.app) as client:
        yield Class(client, app)


@pytest.fixture
def sequential() -> Iterator[Class]:
    yield from serve("sequential")


@pytest.fixture
def rounds() -> Iterator[Class]:
    yield from serve("round")


def levels_for(served: Class, points: int) -> dict[str, int]:
    return {c["id"]: points for c in served.state("instructor")["criteria"]}


def play(served: Class, team: str, step: int) -> None:
    choice, reason = PATHS[team][step]
    seen = served.state(team)
    assert seen["phase"] == "play" and seen["your_turn"] is True
    assert choice in [c["id"] for c in seen["choices"]]
    assert served.post(team, "choice", {"choice": choice}).status_code == 200
    if reason is not None:
        asked = served.state(team)
        assert asked["choices"] == [] and reason in [r["id"] for r in asked["reasons"]]
        answer = served.post(
            team, "reason", {"reason": reason, "justification": f"{team} <b>why</b> {step}"}
        )
        assert answer.status_code == 200, answer.text


def rate_round(served: Class, rated: list[str]) -> None:
    for rater in "ABC":
        seen = served.state(rater)
        expected = [t for t in rated if t != rater]
        assert seen["to_rate"] == expected
        assert seen["phase"] == ("rate" if expected else "wait")
        for team in expected:
            answer = served.post(
                rater, "rating", {"team": team, "levels": levels_for(served, LEVEL[team])}
            )
            assert answer.status_code == 200, answer.text
        assert served.state(rater)["to_rate"] == []
    for team in rated:
        answer = served.post(
            "instructor", "rating", {"team": team, "levels": levels_for(served, 4)}
        )
        assert answer.status_code == 200, answer.text


def report(session: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["report", str(session), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def check_report(served: Class, capsys: pytest.CaptureFixture[str]) -> None:
    data = report(served.room.session_id, capsys)
    for team in data["teams"]:
        name = team["name"]
        taken = [
            (s["choice"]["id"], s["reason"]["id"] if s["reason"] else None) for s in team["path"]
        ]
        assert taken == PATHS[name]
        assert team["path"][0]["justification"] == f"{name} <b>why</b> 0"
        peers = [r for r in team["ratings"] if r["rater_kind"] == "peer"]
        assert {r["rater"] for r in peers} == set("ABC") - {name}
        assert all(r["complete"] for r in team["ratings"])
        assert {p for r in peers for p in r["levels"].values()} == {LEVEL[name]}
        instructor = [r for r in team["ratings"] if r["rater_kind"] == "instructor"]
        assert instructor and set(instructor[0]["levels"].values()) == {4}
        assert team["total"] is not None


def test_a_sequential_class_runs_to_the_debrief_through_the_api(
    sequential: Class, capsys: pytest.CaptureFixture[str]
) -> None:
    served = sequential
    for team in "ABC":
        for other in set("ABC") - {team}:
            assert served.state(other)["phase"] in ("wait", "rate")
            assert served.state(other)["your_turn"] is False
        play(served, team, 0)
        play(served, team, 1)
        rate_round(served, [team])
        assert served.post("instructor", "next", {}).status_code == 200
    assert {served.state(t)["phase"] for t in "ABC"} == {"debrief"}
    assert served.state("instructor")["phase"] == "debrief"
    check_report(served, capsys)
    assert served.post("instructor", "next", {}).status_code == 200  # ends the class
    for holder in ["instructor", "A", "B", "C"]:
        assert served.client.get(served.link(holder) + "state.json").status_code == 410
        assert served.client.get(served.link(holder)).status_code == 410
    assert open_store().session(served.room.session_id).finished  # type: ignore[union-attr]


def test_a_round_class_lets_every_team_answer_each_decision(
    rounds: Class, capsys: pytest.CaptureFixture[str]
) -> None:
    served = rounds
    for step in (0, 1):
        for team in "CAB":  # any order: each team on its own device
            assert served.state(team)["your_turn"] is True
            play(served, team, step)
            assert served.state(team)["phase"] == "wait"
        assert served.state("instructor")["step"] == "reveal"
        assert served.post("instructor", "next", {}).status_code == 200
    rate_round(served, ["A", "B", "C"])
    assert served.post("instructor", "next", {}).status_code == 200
    assert {served.state(t)["phase"] for t in "ABC"} == {"debrief"}
    check_report(served, capsys)


def test_state_has_the_contract_keys_and_no_ballots(sequential: Class) -> None:
    seen = sequential.state("A")
    for key in ("team", "phase", "your_turn", "scene", "choices", "reasons", "to_rate", "criteria"):
        assert key in seen
    assert seen["team"] == "A" and seen["scene"] == "s1"
    assert all(set(c) == {"id", "text"} for c in seen["choices"])
    assert all(set(c) == {"id", "title", "levels"} for c in seen["criteria"])
    assert sequential.state("instructor")["team"] is None


@pytest.mark.shuffled
def test_choices_come_in_the_teams_own_order() -> None:
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B", "C"], None, {"mode": "round"})
    app = ClassApp(room)
    with TestClient(app.app) as client:
        for team in "ABC":
            seen = client.get(f"/{app.links.teams[team]}/state.json").json()
            assert [c["id"] for c in seen["choices"]] == [c.id for c in room.choices(team)]


def test_links_are_kept_in_the_log_and_survive_a_restart(sequential: Class) -> None:
    again = ClassApp(
        Classroom.resume(sequential.room.case, open_store(), sequential.room.session_id)
    )
    assert again.links == sequential.links
    tokens = [sequential.links.instructor, *sequential.links.teams.values()]
    assert len(set(tokens)) == 4 and all(len(t) >= 22 for t in tokens)  # ≥ 128 bits, base64


def test_an_event_from_another_process_reaches_the_server(sequential: Class) -> None:
    other = Classroom.resume(sequential.room.case, open_store(), sequential.room.session_id)
    other.choose("A", "warm")
    seen = sequential.state("A")
    assert seen["choices"] == [] and seen["reasons"]  # the choice made elsewhere counts here


def test_events_stream_says_when_the_class_moved(sequential: Class) -> None:
    link = sequential.link("A")
    first = sequential.client.get(link + "events")
    assert first.headers["content-type"].startswith("text/event-stream")
    assert "event: change" in first.text
    version = sequential.state("A")["version"]
    sequential.post("A", "choice", {"choice": "warm"})
    assert sequential.state("A")["version"] > version
    answer = sequential.client.get(link + f"state.json?wait={version}")
    assert answer.json()["version"] > version


# Refusals: each stores nothing -------------------------------------------------------------


def refused(served: Class, holder: str, what: str, body: object, status: int) -> None:
    before = served.stored()
    answer = served.post(holder, what, body)
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()
    assert served.stored() == before


def test_an_unknown_token_is_refused(sequential: Class) -> None:
    before = sequential.stored()
    for path in ("/nope/state.json", "/nope/", "/" + "A" * 32 + "/events"):
        assert sequential.client.get(path).status_code == 404
    assert sequential.client.post("/nope/choice", json={"choice": "warm"}).status_code == 404
    assert sequential.client.post("/nope/next", json={}).status_code == 404
    assert sequential.stored() == before


def test_out_of_turn_and_wrong_phase_are_409(sequential: Class) -> None:
    refused(sequential, "B", "choice", {"choice": "warm"}, 409)  # A's turn
    refused(sequential, "A", "reason", {"reason": "care"}, 409)  # no choice yet
    refused(sequential, "A", "rating", {"team": "B", "levels": levels_for(sequential, 3)}, 409)
    refused(sequential, "instructor", "next", {}, 409)  # the teams are playing
    sequential.post("A", "choice", {"choice": "warm"})
    refused(sequential, "A", "choice", {"choice": "warm"}, 409)  # the reason is due


def test_malformed_bodies_and_unknown_ids_are_422(sequential: Class) -> None:
    refused(sequential, "A", "choice", {"choice": "nope"}, 422)
    refused(sequential, "A", "choice", {"choose": "warm"}, 422)
    refused(sequential, "A", "choice", {"choice": 3}, 422)
    refused(sequential, "A", "choice", ["warm"], 422)
    before = sequential.stored()
    link = sequential.link("A")
    bad = sequential.client.post(
        link + "choice", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 422
    plain = sequential.client.post(link + "choice", content=b"choice=warm")
    assert plain.status_code == 422  # neither JSON nor a form
    assert sequential.stored() == before
    sequential.post("A", "choice", {"choice": "warm"})
    refused(sequential, "A", "reason", {"reason": "nope"}, 422)
    refused(sequential, "A", "reason", {"reason": "care", "justification": "x" * 501}, 422)
    refused(sequential, "A", "reason", {"reason": "care", "justification": 5}, 422)


def test_ratings_refused_for_oneself_and_for_bad_ballots(sequential: Class) -> None:
    play(sequential, "A", 0)
    play(sequential, "A", 1)
    levels = levels_for(sequential, 3)
    refused(sequential, "A", "rating", {"team": "A", "levels": levels}, 403)
    refused(sequential, "B", "rating", {"team": "C", "levels": levels}, 409)  # C not rated now
    refused(sequential, "B", "rating", {"team": "Z", "levels": levels}, 422)
    refused(sequential, "B", "rating", {"team": "A", "levels": {**levels, "nope": 3}}, 422)
    refused(sequential, "B", "rating", {"team": "A", "levels": {**levels, "knowledge": 9}}, 422)
    refused(sequential, "B", "rating", {"team": "A", "levels": {"knowledge": 3}}, 422)
    refused(sequential, "B", "rating", {"team": "A", "levels": []}, 422)
    refused(sequential, "B", "rating", {"team": "A", "levels": {**levels, "knowledge": True}}, 422)
    assert sequential.post("B", "rating", {"team": "A", "levels": levels}).status_code == 200


def test_instructor_endpoints_are_not_reachable_with_a_team_token(sequential: Class) -> None:
    play(sequential, "A", 0)
    play(sequential, "A", 1)
    refused(sequential, "B", "next", {}, 403)
    refused(sequential, "instructor", "choice", {"choice": "warm"}, 403)


def test_a_large_body_is_refused_unread(sequential: Class) -> None:
    refused(sequential, "A", "choice", {"choice": "warm", "pad": "x" * 20_000}, 413)


def test_a_post_from_another_site_is_refused(sequential: Class) -> None:
    before = sequential.stored()
    answer = sequential.client.post(
        sequential.link("A") + "choice",
        json={"choice": "warm"},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    assert sequential.stored() == before
