"""`sim serve --all`: several server processes on one store serve any class, and a class's
instructor and teams may be on different ones. Two DepartmentApps on one store stand for two
processes (each opens its own store handle, as a process would); on PostgreSQL too when a
throwaway server can be started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from sim.cases import load_case
from sim.classroom import Classroom
from sim.store import SqliteStore, Store, open_store
from sim.web.department import RESCAN_EVERY, DepartmentApp
from sim.web.join import derive_codes, shown
from sim.web.links import Address, Links, ensure_links, links_json, links_of
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
ORIGIN = {"Origin": "http://testserver"}


def begin_class(store: Store, teams: list[str], mode: str = "sequential") -> tuple[int, Links]:
    room = Classroom.begin(load_case(SCALE), store, teams, None, {"mode": mode})
    return room.session_id, ensure_links(store, room.session_id, room.order)


@pytest.fixture(params=["sqlite", "postgres"])
def opener(
    request: pytest.FixtureRequest, sim_home: Any, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], Store]:
    """Opens the test's store: the data folder's SQLite file, or a PostgreSQL schema."""
    if request.param == "postgres":
        monkeypatch.setenv("SIM_DATABASE_URL", request.getfixturevalue("pg_url"))
    return open_store


@pytest.fixture
def two_servers(opener: Callable[[], Store]) -> Iterator[tuple[TestClient, TestClient]]:
    with ExitStack() as stack:
        first = stack.enter_context(TestClient(DepartmentApp(opener, watch_interval=0.05)))
        second = stack.enter_context(TestClient(DepartmentApp(opener, watch_interval=0.05)))
        yield first, second


def state(client: TestClient, token: str) -> dict[str, Any]:
    answer = client.get(f"/{token}/state.json")
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def test_a_class_played_across_two_servers_is_one_class(
    opener: Callable[[], Store], two_servers: tuple[TestClient, TestClient]
) -> None:
    one, two = two_servers
    with opener() as store:
        sid, links = begin_class(store, ["A", "B"])
    a, b, teacher = links.teams["A"], links.teams["B"], links.instructor
    assert one.post(f"/{teacher}/pause", json={"paused": True}).json()["ok"]
    # Team A, on the second server, sees the pause made through the first: every answer is
    # made after catching up with the store.
    assert state(two, a)["paused"] is True
    assert one.post(f"/{teacher}/pause", json={"paused": False}).json()["ok"]
    assert state(two, a)["your_turn"] is True
    assert state(one, b)["your_turn"] is False
    assert two.post(f"/{a}/choice", json={"choice": "warm"}).status_code == 200
    # The same team through the other server, which had not seen that move: refused, as it
    # would be by one server, and nothing stored twice.
    again = one.post(f"/{a}/choice", json={"choice": "cold"})
    assert again.status_code == 409, again.text
    with opener() as store:
        choices = [e.data["choice"] for e in store.events(sid) if e.type == "choice"]
    assert choices == ["warm"]
    assert one.post(f"/{a}/reason", json={"reason": "care"}).status_code == 200
    assert state(two, teacher)["scene"] == state(one, teacher)["scene"]


def test_a_class_made_after_the_servers_started_is_found_by_its_link(
    opener: Callable[[], Store], two_servers: tuple[TestClient, TestClient]
) -> None:
    one, _ = two_servers
    assert one.get("/nosuchtoken/state.json").status_code == 404
    assert "no such link" in one.get("/nosuchtoken/state.json").json()["message"]
    with opener() as store:
        _, links = begin_class(store, ["Red", "Blue"], mode="round")
    # Unknown tokens make the server look for new classes at most once a second (a flood of
    # guesses costs one look a second): the wrong link just now holds the next look back.
    time.sleep(RESCAN_EVERY)
    assert state(one, links.teams["Red"])["team"] == "Red"
    page = one.get(f"/{links.instructor}/")
    assert page.status_code == 200 and "Red" in page.text


def test_join_codes_are_the_same_on_every_server(
    opener: Callable[[], Store], two_servers: tuple[TestClient, TestClient]
) -> None:
    one, two = two_servers
    with opener() as store:
        _, links = begin_class(store, ["A", "B"])
    code = derive_codes(links.teams, links.form_key)["B"]
    # The instructor's page on one server shows B's code...
    assert shown(code) in one.get(f"/{links.instructor}/").text
    # ...and a phone typing it at the other is sent to B's link; a wrong code is refused.
    answer = two.post(
        "/join", data={"code": shown(code).lower()}, headers=ORIGIN, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/{links.teams['B']}/"
    wrong = two.post("/join", data={"code": "AAAAAA"}, headers=ORIGIN, follow_redirects=False)
    assert wrong.status_code == 404


def test_a_waiting_page_wakes_when_another_server_stores_a_move(
    opener: Callable[[], Store], two_servers: tuple[TestClient, TestClient]
) -> None:
    """The long poll (`?wait=V`) on one server answers once a move stored through the other
    reaches it: pushed by PostgreSQL's NOTIFY, polled on SQLite."""
    one, two = two_servers
    with opener() as store:
        _, links = begin_class(store, ["A", "B"])
    teacher = links.instructor
    seen = state(one, teacher)["version"]
    assert two.post(f"/{links.teams['A']}/choice", json={"choice": "warm"}).status_code == 200
    woke = one.get(f"/{teacher}/state.json", params={"wait": seen})
    assert woke.json()["version"] > seen


def test_sim_serve_all_serves_the_stored_classes(sim_home: Any) -> None:
    """The command: one JSON line with the URL and the open classes, then any class's links
    work through it; SIGTERM ends it with exit 0."""
    with open_store() as store:
        sid, links = begin_class(store, ["A", "B"])
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", "--all", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert process.stdout is not None
        line = json.loads(process.stdout.readline())
        assert line["classes"] == [sid]
        import urllib.request

        host, port = line["url"].removeprefix("http://").rstrip("/").rsplit(":", 1)
        urls = links_json(links, Address(host, int(port)))
        with urllib.request.urlopen(f"{urls['teams']['A']}state.json", timeout=10) as answer:  # type: ignore[index]
            assert json.loads(answer.read())["team"] == "A"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0, process.stderr.read() if process.stderr else ""


def test_one_class_served_from_postgresql_wakes_on_the_push(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, sim_home: Any
) -> None:
    """`sim serve SESSION` on PostgreSQL: a long poll wakes when another process stores a
    move, by NOTIFY alone (the look every 30 s here could not explain it)."""
    from sim.web.app import ClassApp

    monkeypatch.setenv("SIM_DATABASE_URL", pg_url)
    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B"], None, {})
    app = ClassApp(room, watch_interval=30.0)
    with TestClient(app.app) as client:
        teacher = f"/{app.links.instructor}/"
        deadline = time.monotonic() + 10
        while not app.hub.pushed and time.monotonic() < deadline:
            client.get(teacher + "state.json")  # lets the server's loop run its listener
            time.sleep(0.05)
        assert app.hub.pushed
        seen = client.get(teacher + "state.json").json()["version"]

        def elsewhere() -> None:
            time.sleep(0.3)
            with open_store() as other:
                other.append(room.session_id, "pause", None, {"paused": True})

        import threading

        writer = threading.Thread(target=elsewhere)
        writer.start()
        began = time.monotonic()
        woke = client.get(teacher + "state.json", params={"wait": seen}).json()
        writer.join()
        assert woke["version"] > seen and woke["paused"] is True
        assert time.monotonic() - began < 5


def test_a_move_another_server_stored_first_is_a_409_not_a_500(sim_home: Any) -> None:
    """The same team's choice through two servers at once: the one that had not yet heard of
    the other's (a push still on its way) finds the session moved on when it writes, re-reads
    it, and refuses the move by the view's own check, with nothing stored twice."""
    from sim.web.app import ClassApp

    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B"], None, {})
    app = ClassApp(room)
    with TestClient(app.app) as client:
        a = f"/{app.links.teams['A']}/"
        assert client.get(a + "state.json").json()["your_turn"] is True
        app.hub.pushed = True  # as while PostgreSQL pushes: no look of its own per request
        with open_store() as other:  # the other server stores A's choice first
            other.append(room.session_id, "choice", "A", {"scene": "start", "choice": "warm"})
        answer = client.post(a + "choice", json={"choice": "warm"})
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"] == "reason_due"
    with open_store() as store:
        assert sum(e.type == "choice" for e in store.events(room.session_id)) == 1


def test_an_admin_makes_a_class_for_running_servers_with_links_new(
    sim_home: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sim links --new CASE --teams … --host --port`: the class and its links at once, for
    a `sim serve --all` already running; without an address it refuses before making one."""
    from sim.cli import main

    assert main(["links", "--new", str(SCALE), "--teams", "A, B"]) == 2
    assert "--host and --port" in capsys.readouterr().err
    with open_store() as store:
        assert store.sessions() == []
    assert main(["links", "--new", str(SCALE), "--teams", "A, B", "--mode", "round",
                 "--host", "10.0.0.5", "--port", "8002", "--json"]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    urls = json.loads(out)
    assert urls["instructor"].startswith("http://10.0.0.5:8002/")
    assert set(urls["teams"]) == {"A", "B"}
    with open_store() as store:
        (info,) = store.sessions()
        links = links_of(store.events(info.id))
    assert info.kind == "classroom" and links is not None
    assert f"class {info.id} made" in err  # its id, for `sim links ID` and reports
    assert urls["teams"]["B"] == f"http://10.0.0.5:8002/{links.teams['B']}/"


def test_a_store_that_does_not_answer_is_a_503_that_retries_not_a_500(sim_home: Any) -> None:
    """While the database does not answer, each request says so at once — 503 with
    Retry-After; the store's line for a program, a page that reloads its link's page for a
    person — and nothing is stored; when it answers again, the class goes on."""
    from sim.store import StoreError
    from sim.web.app import ClassApp

    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B"], None, {})
    app = ClassApp(room)
    with TestClient(app.app) as client:
        a = f"/{app.links.teams['A']}/"
        assert client.get(a + "state.json").status_code == 200
        store = app.hub.room.store
        if not isinstance(store, SqliteStore):  # postgres mode: listening first, so that its
            deadline = time.monotonic() + 10  # LISTENING cannot arrive during the outage
            while not app.hub.pushed and time.monotonic() < deadline:
                client.get(a + "state.json")
                time.sleep(0.05)
            assert app.hub.pushed

        def down(*args: object, **kwargs: object) -> Any:
            raise StoreError("the session database postgresql://sim:***@db/sim stopped answering")

        with pytest.MonkeyPatch.context() as outage:
            outage.setattr(store, "change_marker", down)
            outage.setattr(store, "append", down)
            outage.setattr(app.hub, "pushed", False)  # on PostgreSQL: its LISTEN is lost too
            answer = client.get(a + "state.json")
            assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
            said = answer.json()
            assert said["error"] == "store" and "not answering" in said["message"]
            assert "postgresql" not in said["message"]  # the address is for the admin's eyes
            page = client.get(a + "?lang=en")
            assert page.status_code == 503 and "not answering just now" in page.text
            assert f'url={a}"' in page.text  # reloads the link's own page
            form = client.post(
                a + "choice",
                data={"choice": "warm", "csrf": app.links.form_token(app.links.teams["A"])},
                headers=ORIGIN,
            )
            assert form.status_code == 503 and f'url={a}"' in form.text
        assert client.post(a + "choice", json={"choice": "warm"}).status_code == 200
    with open_store() as other:
        assert sum(e.type == "choice" for e in other.events(room.session_id)) == 1


def test_a_move_sent_again_after_the_team_moved_on_is_already_answered(sim_home: Any) -> None:
    """A double tap, or a page left open: the move names the scene it answers, and once the
    team is past it the move is refused as answered (409), never read as an answer to the
    next question; the page's forms send the scene."""
    from sim.web.app import ClassApp

    room = Classroom.begin(load_case(SCALE), open_store(), ["A", "B"], None, {"mode": "round"})
    app = ClassApp(room)
    with TestClient(app.app) as client:
        a = f"/{app.links.teams['A']}/"
        scene = client.get(a + "state.json").json()["scene"]
        assert f'name="scene" value="{scene}"' in client.get(a + "?lang=en").text
        assert client.post(a + "choice", json={"choice": "warm", "scene": scene}).status_code == 200
        assert client.post(a + "reason", json={"reason": "care", "scene": scene}).status_code == 200
        again = client.post(a + "reason", json={"reason": "care", "scene": scene})
        assert again.status_code == 409 and again.json()["error"] == "answered"
        again = client.post(a + "choice", json={"choice": "warm", "scene": scene})
        assert again.status_code == 409 and again.json()["error"] == "answered"
        bad = client.post(a + "choice", json={"choice": "warm", "scene": 7})
        assert bad.status_code == 422
    with open_store() as store:
        moves = [e.type for e in store.events(room.session_id) if e.type in ("choice", "reason")]
    assert moves == ["choice", "reason"]
