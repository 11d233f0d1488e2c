"""Short join codes: one per team (none for the instructor), typed at `/join` to reach the
team's link; wrong codes limited per address and overall (429 with Retry-After, a right code
too until the window passes); new codes each time the class is served; none after it ends;
nothing stored on any attempt; the projector's page shows them, escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from sim.cases import load_case
from sim.classroom import Classroom
from sim.store import open_store
from sim.web.app import ClassApp
from sim.web.join import ALPHABET, JoinCodes, TooMany, normalize, shown
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
HOSTILE = "<script>alert(1)</script>"
FORM = {"content-type": "application/x-www-form-urlencoded"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def served() -> Iterator[tuple[TestClient, ClassApp]]:
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", HOSTILE, "C"], None, {})
    app = ClassApp(room, sse_lifetime=0.1)
    with TestClient(app.app, follow_redirects=False) as client:
        yield client, app


def stored(app: ClassApp) -> int:
    return len(open_store().events(app.room.session_id))


def test_each_team_has_its_own_six_character_code_and_the_instructor_none() -> None:
    codes = JoinCodes(["A", "B", "C", "D", "E", "F", "G", "H"])
    assert list(codes.by_team) == list("ABCDEFGH")
    assert len(set(codes.by_team.values())) == 8
    for code in codes.by_team.values():
        assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert not set("IO01") & set(ALPHABET)
    assert len(ALPHABET) == 32
    assert normalize(" k7m-q2p ") == "K7MQ2P" and shown("K7MQ2P") == "K7M-Q2P"


def test_a_typed_code_leads_to_the_teams_link(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    page = client.get("/join?lang=en")
    assert page.status_code == 200 and 'name="code"' in page.text
    before = stored(app)
    typed = shown(app.join_codes.by_team["A"]).lower().replace("-", " - ")
    answer = client.post("/join", content=f"code={typed}", headers=FORM)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/{app.links.teams['A']}/"
    team_page = client.get(answer.headers["location"] + "?lang=en")
    assert team_page.status_code == 200 and "Your turn" in team_page.text
    assert stored(app) == before


def test_wrong_codes_are_limited_per_address(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    clock = Clock()
    app.join_codes.clock = clock
    right = app.join_codes.by_team["C"]
    wrong = "ZZZZZZ" if right != "ZZZZZZ" else "YYYYYY"
    before = stored(app)
    for _ in range(5):
        answer = client.post("/join?lang=en", content=f"code={wrong}", headers=FORM)
        assert answer.status_code == 404 and "no such code" in answer.text
    limited = client.post("/join?lang=en", content=f"code={right}", headers=FORM)
    assert limited.status_code == 429  # a right code too: guessing must not go on
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "Too many wrong codes" in limited.text
    clock.now += 61
    answer = client.post("/join", content=f"code={right}", headers=FORM)
    assert answer.status_code == 303 and answer.headers["location"].endswith(
        f"/{app.links.teams['C']}/"
    )
    assert stored(app) == before  # no attempt stores anything


def test_wrong_codes_from_all_addresses_together_are_limited_too() -> None:
    clock = Clock()
    codes = JoinCodes(["A", "B"], clock=clock, per_client=5, overall=12)
    right = codes.by_team["B"]
    for n in range(12):  # twelve addresses, one wrong code each: none is over its own limit
        assert codes.team_of("AAAAAA" if right != "AAAAAA" else "BBBBBB", f"10.0.0.{n}") is None
    with pytest.raises(TooMany) as limited:
        codes.team_of(right, "10.0.0.99")
    assert 1 <= limited.value.retry_after <= 60
    clock.now += 60.5
    assert codes.team_of(right, "10.0.0.99") == "B"


def test_a_long_or_hostile_entry_is_a_wrong_code(served: tuple[TestClient, ClassApp]) -> None:
    client, _app = served
    for typed in ("x" * 5000, HOSTILE, "", "%FF%FE"):
        answer = client.post("/join", content=f"code={typed}", headers=FORM)
        assert answer.status_code in (404, 413), typed[:20]
        assert HOSTILE not in answer.text
    assert (
        client.post(
            "/join", content="code=ABCDEF", headers={**FORM, "origin": "https://elsewhere.example"}
        ).status_code
        == 403
    )


def test_codes_are_new_each_time_the_class_is_served_and_stop_when_it_ends(
    served: tuple[TestClient, ClassApp],
) -> None:
    client, app = served
    room = app.room
    again = ClassApp(Classroom.resume(room.case, open_store(), room.session_id))  # a restart
    assert again.links == app.links
    assert again.join_codes.by_team != app.join_codes.by_team  # new codes (1 in 1e9 a match)
    code = app.join_codes.by_team["A"]
    token = app.links.instructor
    page = client.get(f"/{token}/")
    for t in ("A", "C"):
        assert shown(app.join_codes.by_team[t]) in page.text
    assert shown(app.join_codes.by_team[HOSTILE]) in page.text
    assert HOSTILE not in page.text  # the team's name is escaped beside its code
    assert re.search(r"/join\b", page.text)
    open_store().append(room.session_id, "finished", None, {})  # the projector ends it
    ended = client.post("/join", content=f"code={code}", headers=FORM)
    assert ended.status_code == 410
