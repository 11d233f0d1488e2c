"""The HTML pages without JavaScript: plain forms with POST-redirect-GET, their CSRF token,
escaped team and case text, and the language switch."""

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
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
HOSTILE = "<script>alert(1)</script>"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def served() -> Iterator[tuple[TestClient, ClassApp]]:
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", HOSTILE, "C"], None, {})
    app = ClassApp(room, sse_lifetime=0.1)
    with TestClient(app.app, follow_redirects=False) as client:
        yield client, app


def link(app: ClassApp, holder: str) -> str:
    token = app.links.instructor if holder == "instructor" else app.links.teams[holder]
    return f"/{token}/"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def stored(app: ClassApp) -> int:
    return len(open_store().events(app.room.session_id))


def post_form(client: TestClient, url: str, body: str) -> object:
    return client.post(url, content=body.encode(), headers=FORM)


def test_a_turn_and_a_ballot_by_plain_forms(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    a = link(app, "A")
    page = client.get(a).text
    assert 'action="choice"' in page and "<script" in page  # the progressive part is there too
    token = csrf_of(page)
    answer = client.post(a + "choice", content=f"csrf={token}&choice=warm", headers=FORM)
    assert answer.status_code == 303 and answer.headers["location"] == a
    page = client.get(a).text
    assert 'action="reason"' in page and 'name="justification"' in page
    note = "She wants <b>respect</b> & tea"
    answer = client.post(
        a + "reason",
        data={"csrf": token, "reason": "care", "justification": note},
        headers=FORM,
    )
    assert answer.status_code == 303
    client.post(a + "choice", data={"csrf": token, "choice": "gift"}, headers=FORM)
    assert app.room.run_of("A").finished
    assert app.room.state.teams["A"].notes[0] == note

    c = link(app, "C")
    page = client.get(c).text
    assert "She wants &lt;b&gt;respect&lt;/b&gt; &amp; tea" in page  # the rated team's reasons
    criteria = [c["id"] for c in client.get(c + "state.json").json()["criteria"]]
    fields = {"csrf": csrf_of(page), "team": "A", **{f"level.{cid}": "3" for cid in criteria}}
    answer = client.post(c + "rating", data=fields, headers=FORM)
    assert answer.status_code == 303
    assert client.get(c + "state.json").json()["to_rate"] == []


def test_a_form_without_its_token_or_with_another_links_is_refused(
    served: tuple[TestClient, ClassApp],
) -> None:
    client, app = served
    a, c = link(app, "A"), link(app, "C")
    before = stored(app)
    for body in (
        "choice=warm",
        "csrf=&choice=warm",
        f"csrf={app.links.form_token(c.strip('/'))}&choice=warm",  # C's token on A's link
    ):
        assert client.post(a + "choice", content=body, headers=FORM).status_code == 403
    token = csrf_of(client.get(a).text)
    cross = client.post(
        a + "choice",
        content=f"csrf={token}&choice=warm",
        headers={**FORM, "origin": "http://elsewhere.example"},
    )
    assert cross.status_code == 403
    assert stored(app) == before


def test_a_refused_form_comes_back_with_the_reason(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    c = link(app, "C")
    before = stored(app)
    token = app.links.form_token(app.links.teams["C"])
    answer = client.post(c + "choice", data={"csrf": token, "choice": "warm"}, headers=FORM)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?e=not_your_turn")
    page = client.get(answer.headers["location"]).text
    assert "It is not your turn now." in page  # the case's language (this one is English)
    assert stored(app) == before


def test_team_names_are_escaped_everywhere(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    for holder in ("instructor", HOSTILE):
        page = client.get(link(app, holder)).text
        assert HOSTILE not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_language_switch_is_remembered(served: tuple[TestClient, ClassApp]) -> None:
    client, app = served
    a = link(app, "A")
    assert "Your turn" in client.get(a).text
    switched = client.get(a + "?lang=zh")
    assert "轮到你们了" in switched.text and "sim_lang=zh" in switched.headers["set-cookie"]
    assert "轮到你们了" in client.get(a).text
    assert client.get(a + "state.json").json()["choices"][0]["text"] in ("Cold", "Warm")


def test_the_instructor_moves_on_by_form_and_ended_links_say_so(
    served: tuple[TestClient, ClassApp],
) -> None:
    client, app = served
    # Another process's moves (the app on the projector): the server sees them by itself.
    room = Classroom.resume(app.room.case, open_store(), app.room.session_id)
    for team, path in (
        ("A", "warm:care,gift"),
        (HOSTILE, "cold:cheap,refund"),
        ("C", "warm:cheap,plain"),
    ):
        for item in path.split(","):
            choice, _, reason = item.partition(":")
            room.choose(team, choice)
            if reason:
                room.give_reason(team, reason)
        room.advance()  # the rating of that team closes
    instructor = link(app, "instructor")
    page = client.get(instructor).text
    assert 'action="next"' in page and "<img" in page  # the QR codes
    assert 'action="pause"' not in page  # nothing is played at the debrief: nothing to pause
    answer = client.post(instructor + "next", data={"csrf": csrf_of(page)}, headers=FORM)
    assert answer.status_code == 303
    room.refresh()
    assert room.finished
    gone = client.get(link(app, "A"))
    assert gone.status_code == 410 and "The class has ended" in gone.text
