"""`sim class --serve`: the app is the projector while devices play over real HTTP, from the
same process and loop. A device's move shows on the projector without a key; a keyboard pick
made for a question a device has already answered stores nothing; a whole three-team class
runs through the API with the app following it; the join screen shows each team's QR code."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

pytest.importorskip("uvicorn")

from textual.pilot import Pilot

from sim.cases import load_case
from sim.classroom import Classroom, Debrief, Rate, Turn
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_play import ClassScreen, PauseScreen
from sim.tui.screens.join import JoinScreen
from sim.web.projector import InAppServer
from tests.tui.helpers import options, screen_text, sync, until
from tests.tui.test_classroom_screens import SCALE

PATHS = {
    "A": [("warm", "care"), ("gift", None)],
    "B": [("cold", "cheap"), ("refund", None)],
    "C": [("warm", "cheap"), ("plain", None)],
}


def _call(url: str, body: object | None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


class Device:
    """One holder's link, called over the socket from a worker thread (the server runs on the
    test's loop, so a blocking call here would stall it)."""

    def __init__(self, served: InAppServer, holder: str) -> None:
        self.url = served.instructor_url() if holder == "instructor" else served.team_urls()[holder]

    async def get(self) -> dict[str, Any]:
        status, data = await asyncio.to_thread(_call, self.url + "state.json", None)
        assert status == 200, data
        return dict(data)

    async def post(self, what: str, body: object) -> tuple[int, Any]:
        return await asyncio.to_thread(_call, self.url + what, body)


@asynccontextmanager
async def projector(
    mode: str = "sequential", watch: float | None = None
) -> AsyncIterator[tuple[Pilot[None], Classroom]]:
    store = open_store()
    room = Classroom.begin(load_case(SCALE), store, ["A", "B", "C"], settings={"mode": mode})
    served = InAppServer(room, "127.0.0.1", 0, watch_interval=watch)
    app = SimApp(lang="en", store=store, classroom=room, served=served)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: served.started)
        await pilot.press("enter")  # past the projected briefing
        await until(pilot, lambda: isinstance(app.screen, ClassScreen))
        yield pilot, room


def served_of(pilot: Pilot[None]) -> InAppServer:
    app = pilot.app
    assert isinstance(app, SimApp) and app.served is not None
    return app.served


@sync
async def test_a_device_move_shows_on_the_projector_without_a_key() -> None:
    async with projector() as (pilot, _room):
        app = pilot.app
        assert isinstance(app, SimApp)
        assert [i for i, _ in options(app)] != ["care", "cheap"]
        a = Device(served_of(pilot), "A")
        assert (await a.post("choice", {"choice": "warm"}))[0] == 200
        # No key pressed: the projector now asks A why, with A's reasons.
        await until(pilot, lambda: sorted(i for i, _ in options(app)) == ["care", "cheap"])
        assert "Devices join at http://127.0.0.1:" in screen_text(app)
        assert (await a.post("reason", {"reason": "care", "justification": "kind"}))[0] == 200
        await until(pilot, lambda: sorted(i for i, _ in options(app)) == ["gift", "plain"])


@sync
async def test_a_keyboard_pick_for_a_question_already_answered_stores_nothing() -> None:
    async with projector(watch=3600) as (pilot, room):
        app = pilot.app
        assert isinstance(app, SimApp)
        # The device's choice lands after the list was drawn, before the screen heard of it
        # (stored here on the same room, as a request would, without the notice).
        room.choose("A", "warm")
        stored = len(room.events)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert len(room.events) == stored  # the key's pick was refused
        assert any("just answered on its own device" in n.message for n in app._notifications)
        assert sorted(i for i, _ in options(app)) == ["care", "cheap"]  # the new question
        await pilot.press("1", "enter")  # now a deliberate answer to it
        await pilot.pause()
        assert len(room.run_of("A").steps) == 1


@sync
async def test_a_three_team_class_runs_through_the_api_while_the_app_follows() -> None:
    async with projector() as (pilot, room):
        app = pilot.app
        assert isinstance(app, SimApp)
        served = served_of(pilot)
        devices = {t: Device(served, t) for t in "ABC"}
        teacher = Device(served, "instructor")
        criteria = [c["id"] for c in (await teacher.get())["criteria"]]
        for team in "ABC":
            for choice, reason in PATHS[team]:
                assert (await devices[team].post("choice", {"choice": choice}))[0] == 200
                if reason is not None:
                    body = {"reason": reason, "justification": f"{team} says why"}
                    assert (await devices[team].post("reason", body))[0] == 200
            await until(pilot, lambda: "Rate" in screen_text(app) or "rat" in screen_text(app))
            assert room.phase() == Rate((team,))
            for rater in "ABC":
                if rater != team:
                    ballot = {"team": team, "levels": {c: 3 for c in criteria}}
                    assert (await devices[rater].post("rating", ballot))[0] == 200
            ballot = {"team": team, "levels": {c: 4 for c in criteria}}
            assert (await teacher.post("rating", ballot))[0] == 200
            assert (await teacher.post("next", {}))[0] == 200
        assert room.phase() == Debrief()
        await until(pilot, lambda: "debrief" in screen_text(app).lower())
        assert (await teacher.post("next", {}))[0] == 200
        assert room.finished
        assert (await devices["A"].post("choice", {"choice": "warm"}))[0] == 410
    with open_store() as store:
        assert store.events(room.session_id)[-1].type == "finished"


@sync
async def test_pause_at_the_link_covers_the_projector_and_a_key_resumes_for_all() -> None:
    async with projector() as (pilot, room):
        app = pilot.app
        served = served_of(pilot)
        teacher, a = Device(served, "instructor"), Device(served, "A")
        assert (await teacher.post("pause", {"paused": True}))[0] == 200
        await until(pilot, lambda: isinstance(app.screen, PauseScreen))
        assert (await a.get())["paused"] is True
        assert (await a.post("choice", {"choice": "warm"}))[0] == 409
        await pilot.press("space")  # any key on the projector resumes, for the devices too
        await until(pilot, lambda: not room.paused)
        assert (await a.get())["paused"] is False
        assert (await a.post("choice", {"choice": "warm"}))[0] == 200
        await pilot.press("p")  # paused on the projector: the devices show it
        await until(pilot, lambda: isinstance(app.screen, PauseScreen))
        assert (await a.get())["paused"] is True
        assert (await teacher.post("pause", {"paused": False}))[0] == 200
        await until(pilot, lambda: isinstance(app.screen, ClassScreen))


@sync
async def test_the_join_screen_shows_each_teams_code_and_hides_the_instructors() -> None:
    async with projector() as (pilot, _room):
        app = pilot.app
        served = served_of(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, JoinScreen))
        await until(pilot, lambda: "█" in screen_text(app))  # drawn, not only mounted
        text = screen_text(app)
        assert "█" in text and "▀" in text
        codes = served.join_codes()

        def every_card() -> bool:
            shown = screen_text(app)
            return all(f"join code {codes[team]}" in shown for team in "ABC")

        await until(pilot, every_card)  # two cards across at 100 columns: all three fit
        text = screen_text(app)
        assert served.links.instructor not in text
        for team in "ABC":
            assert team in text
        assert served.join_url() in text.replace("\n", "")
        await pilot.press("i")
        await pilot.pause()
        await until(
            pilot, lambda: served.links.instructor in screen_text(app).replace("\n", "")
        )
        await pilot.press("escape")
        assert isinstance(app.screen, ClassScreen)


@sync
async def test_skip_passes_over_a_team_and_undo_brings_it_back() -> None:
    async with projector() as (pilot, room):
        await pilot.press("k")
        assert room.phase() == Turn("A")  # the first k only asks
        await pilot.press("k")
        await pilot.pause()
        assert room.phase() == Rate(("A",))
        assert room.skipped == {"A"} and not room.run_of("A").finished
        await pilot.press("u")
        await pilot.pause()
        assert room.phase() == Turn("A")


async def play_a_whole(devices: dict[str, Device], team: str) -> None:
    for choice, reason in PATHS[team]:
        assert (await devices[team].post("choice", {"choice": choice}))[0] == 200
        if reason is not None:
            body = {"reason": reason, "justification": f"{team} says why"}
            assert (await devices[team].post("reason", body))[0] == 200


@sync
async def test_a_devices_ballot_shows_on_the_rating_screen_without_a_key() -> None:
    from sim.tui.screens.rating import RatingScreen

    async with projector() as (pilot, room):
        app = pilot.app
        served = served_of(pilot)
        devices = {t: Device(served, t) for t in "ABC"}
        teacher = Device(served, "instructor")
        await play_a_whole(devices, "A")
        await until(pilot, lambda: room.phase() == Rate(("A",)))
        await pilot.press("enter")  # the instructor opens the rating screen
        await until(pilot, lambda: isinstance(app.screen, RatingScreen))
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        criteria = [c["id"] for c in (await teacher.get())["criteria"]]
        everyone = len(criteria) * 3  # B, C and the instructor rate A
        assert f"{everyone} ratings missing" in screen_text(app)
        assert screen.rater == ("peer", "B")  # the first rater with a ballot to fill
        ballot = {"team": "A", "levels": {c: 3 for c in criteria}}
        assert (await devices["B"].post("rating", ballot))[0] == 200
        # No key pressed: B's levels and the new count are on the projector.
        missing = f"{everyone - len(criteria)} ratings missing"
        await until(pilot, lambda: missing in screen_text(app))
        assert "not rated" not in screen_text(app)  # B's ballot, shown as the rater on screen
        # …as given, its levels hidden while C has still to rate: the teams watch the projector
        assert "given (hidden)" in screen_text(app)
        assert screen.rater == ("peer", "B")  # the instructor's place is kept
        assert (await devices["C"].post("rating", ballot))[0] == 200
        missing = f"{everyone - 2 * len(criteria)} ratings missing"
        await until(pilot, lambda: missing in screen_text(app))
        assert "given (hidden)" not in screen_text(app)  # every peer ballot is in: shown
        # Next at the instructor's link closes the rating: the projector's screen follows.
        assert (await teacher.post("next", {}))[0] == 200
        await until(pilot, lambda: isinstance(app.screen, ClassScreen))
        assert room.phase() == Turn("B")


@sync
async def test_the_debrief_redraws_when_another_process_stores() -> None:
    from sim.tui.screens.debrief import DebriefScreen

    async with projector(watch=0.05) as (pilot, room):
        app = pilot.app
        served = served_of(pilot)
        devices = {t: Device(served, t) for t in "ABC"}
        teacher = Device(served, "instructor")
        for team in "ABC":
            await play_a_whole(devices, team)
            assert (await teacher.post("next", {}))[0] == 200
        await until(pilot, lambda: room.phase() == Debrief())
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await pilot.press("6")  # the summary section, where the class's summary shows
        await pilot.pause()
        assert "Nobody said" not in screen_text(app)
        with open_store() as other:  # another process writes: the teacher's class summary
            other.append(room.session_id, "summary", None, {"text": "Nobody said sorry."})
        # No key pressed: the watcher sees data_version move and the debrief redraws.
        await until(pilot, lambda: "Nobody said sorry." in screen_text(app))
