"""The instructor's controls at the instructor's link (undo, skip, pause, a move entered for a
team, the instructor's ballot) through the JSON API and plain forms, every refusal storing
nothing; and the team pages' briefing before play and the round reveal after all answered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from sim.cases import load_case
from sim.classroom import Classroom, Rate, Reveal, Turn
from sim.store import open_store
from sim.web.app import ClassApp
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Served:
    def __init__(self, client: TestClient, app: ClassApp) -> None:
        self.client = client
        self.app = app

    def link(self, holder: str) -> str:
        links = self.app.links
        return f"/{links.instructor if holder == 'instructor' else links.teams[holder]}/"

    def post(self, holder: str, what: str, body: object) -> Any:
        return self.client.post(self.link(holder) + what, json=body)

    def state(self, holder: str) -> dict[str, Any]:
        data: dict[str, Any] = self.client.get(self.link(holder) + "state.json").json()
        return data

    @property
    def room(self) -> Classroom:
        return self.app.room

    def stored(self) -> int:
        return len(open_store().events(self.room.session_id))

    def refused(self, holder: str, what: str, body: object, status: int, code: str) -> None:
        before = self.stored()
        answer = self.post(holder, what, body)
        assert answer.status_code == status, answer.text
        assert answer.json()["error"] == code
        assert self.stored() == before, "a refusal stored something"


def serve(mode: str) -> Iterator[Served]:
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B", "C"], None, {"mode": mode})
    app = ClassApp(room, sse_lifetime=0.1)
    with TestClient(app.app, follow_redirects=False) as client:
        yield Served(client, app)


@pytest.fixture
def sequential() -> Iterator[Served]:
    yield from serve("sequential")


@pytest.fixture
def rounds() -> Iterator[Served]:
    yield from serve("round")


def test_undo_takes_back_the_last_move_as_a_correction(sequential: Served) -> None:
    sequential.refused("instructor", "undo", {}, 409, "nothing_to_undo")
    assert sequential.post("A", "choice", {"choice": "warm"}).status_code == 200
    sequential.refused("A", "undo", {}, 403, "instructor_only")
    assert sequential.post("instructor", "undo", {}).status_code == 200
    assert sequential.room.run_of("A").steps == () or not sequential.room.run_of("A").pending
    assert sequential.room.run_of("A").pending is None
    events = open_store().events(sequential.room.session_id)
    assert events[-1].type == "correction"  # kept, not deleted
    assert any(e.type == "choice" for e in events)


def test_skip_passes_over_a_team_and_undo_brings_it_back(sequential: Served) -> None:
    sequential.refused("B", "skip", {"team": "A"}, 403, "instructor_only")
    sequential.refused("instructor", "skip", {"team": "Z"}, 422, "unknown_team")
    sequential.refused("instructor", "skip", {}, 422, "malformed")
    assert sequential.post("instructor", "skip", {"team": "A"}).status_code == 200
    assert sequential.room.phase() == Rate(("A",))
    sequential.refused("instructor", "skip", {"team": "A"}, 409, "not_playing")
    sequential.refused("A", "choice", {"choice": "warm"}, 409, "not_your_turn")
    assert sequential.state("instructor")["step"] == "rate"
    assert sequential.post("instructor", "next", {}).status_code == 200
    assert sequential.room.phase() == Turn("B")  # A's run stays unfinished
    assert not sequential.room.run_of("A").finished


def test_pause_holds_every_team_until_resumed(sequential: Served) -> None:
    sequential.refused("A", "pause", {"paused": True}, 403, "instructor_only")
    sequential.refused("instructor", "pause", {"paused": "maybe"}, 422, "malformed")
    assert sequential.post("instructor", "pause", {"paused": True}).status_code == 200
    before = sequential.stored()
    assert sequential.post("instructor", "pause", {"paused": True}).status_code == 200
    assert sequential.stored() == before  # already paused: nothing more stored
    seen = sequential.state("A")
    assert seen["paused"] is True and seen["phase"] == "wait" and seen["choices"] == []
    sequential.refused("A", "choice", {"choice": "warm"}, 409, "paused")
    assert "paused" in sequential.client.get(sequential.link("A")).text
    assert sequential.post("instructor", "pause", {"paused": False}).status_code == 200
    assert sequential.state("A")["your_turn"] is True
    assert sequential.post("instructor", "undo", {}).status_code == 409  # a pause is no move


def test_the_instructor_enters_a_teams_move(sequential: Served) -> None:
    sequential.refused("instructor", "choice", {"choice": "warm"}, 403, "team_only")
    sequential.refused("instructor", "choice", {"team": "Z", "choice": "warm"}, 422, "unknown_team")
    sequential.refused(
        "instructor", "choice", {"team": "B", "choice": "warm"}, 409, "not_your_turn"
    )
    sequential.refused(
        "instructor", "choice", {"team": "A", "choice": "nope"}, 422, "unknown_choice"
    )
    assert (
        sequential.post("instructor", "choice", {"team": "A", "choice": "warm"}).status_code == 200
    )
    body = {"team": "A", "reason": "care", "justification": "said aloud"}
    assert sequential.post("instructor", "reason", body).status_code == 200
    assert sequential.room.state.teams["A"].notes[0] == "said aloud"
    assert [s.choice for s in sequential.room.run_of("A").steps] == ["warm"]


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_the_instructors_controls_by_plain_forms(sequential: Served) -> None:
    client, teacher = sequential.client, sequential.link("instructor")
    page = client.get(teacher).text
    token = csrf_of(page)
    assert 'action="pause"' in page and 'action="undo"' in page and 'action="skip"' in page
    assert "Answer for A" in client.get(teacher + "?lang=en").text
    answer = client.post(
        teacher + "choice", content=f"csrf={token}&team=A&choice=warm", headers=FORM
    )
    assert answer.status_code == 303
    assert sequential.room.run_of("A").pending == "warm"
    answer = client.post(teacher + "undo", content=f"csrf={token}", headers=FORM)
    assert answer.status_code == 303 and sequential.room.run_of("A").pending is None
    answer = client.post(teacher + "pause", content=f"csrf={token}&paused=1", headers=FORM)
    assert answer.status_code == 303 and sequential.room.paused
    before = sequential.stored()
    answer = client.post(teacher + "undo", content="csrf=forged", headers=FORM)
    assert answer.status_code == 403 and sequential.stored() == before
    client.post(teacher + "pause", content=f"csrf={token}&paused=0", headers=FORM)
    answer = client.post(teacher + "skip", content=f"csrf={token}&team=A", headers=FORM)
    assert answer.status_code == 303 and sequential.room.phase() == Rate(("A",))


def test_the_instructors_ballot_by_form(sequential: Served) -> None:
    client, teacher = sequential.client, sequential.link("instructor")
    for choice, reason in [("warm", "care"), ("gift", None)]:
        assert sequential.post("A", "choice", {"choice": choice}).status_code == 200
        if reason:
            assert sequential.post("A", "reason", {"reason": reason}).status_code == 200
    page = client.get(teacher + "?lang=en").text
    assert "The instructor&#39;s rating" in page or "The instructor's rating" in page
    token = csrf_of(page)
    criteria = [c["id"] for c in sequential.state("instructor")["criteria"]]
    fields = "&".join(f"level.{c}=4" for c in criteria)
    answer = client.post(teacher + "rating", content=f"csrf={token}&team=A&{fields}", headers=FORM)
    assert answer.status_code == 303
    kinds = {r.rater_kind for r in sequential.room.state.ratings}
    assert kinds == {"instructor"}
    assert sequential.state("instructor")["to_rate"] == []


def test_a_team_reads_the_briefing_and_roles_before_it_plays(sequential: Served) -> None:
    page = sequential.client.get(sequential.link("B") + "?lang=en").text
    assert "The case and the roles" in page
    sequential.post("B", "choice", {"choice": "warm"})  # refused (A's turn): B still fresh
    assert "The case and the roles" in sequential.client.get(sequential.link("B")).text
    sequential.post("A", "choice", {"choice": "warm"})
    assert "The case and the roles" not in sequential.client.get(sequential.link("A")).text


def test_round_answers_are_revealed_together_only_after_all_answered(rounds: Served) -> None:
    notes = {"A": "alpha-why", "B": "bravo-why", "C": "charlie-why"}
    picks = {"A": ("warm", "care"), "B": ("cold", "cheap"), "C": ("warm", "cheap")}
    for team in "AB":
        choice, reason = picks[team]
        rounds.post(team, "choice", {"choice": choice})
        rounds.post(team, "reason", {"reason": reason, "justification": notes[team]})
    for team in "ABC":  # C has not answered: nobody sees another team's answer
        page = rounds.client.get(rounds.link(team)).text
        assert not any(notes[other] in page for other in "ABC" if other != team)
    choice, reason = picks["C"]
    rounds.post("C", "choice", {"choice": choice})
    rounds.post("C", "reason", {"reason": reason, "justification": notes["C"]})
    assert rounds.room.phase() == Reveal(0)
    for holder in ["A", "B", "C", "instructor"]:
        page = rounds.client.get(rounds.link(holder)).text
        assert all(note in page for note in notes.values()), holder
    assert rounds.post("instructor", "next", {}).status_code == 200
    assert notes["B"] not in rounds.client.get(rounds.link("A")).text  # the next decision
