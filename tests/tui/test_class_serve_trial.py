"""`sim class --serve`, from an instructor's trial: the phones keep their debrief page while
the projector holds the debrief; a stray Enter never stores a move nobody chose after a
device changed the question; the projected briefing keeps the devices from playing."""

from __future__ import annotations

import pytest

pytest.importorskip("uvicorn")

from sim.classroom import Debrief
from sim.tui.app import SimApp
from sim.tui.screens.debrief import DebriefScreen
from tests.tui.helpers import options, sync, until
from tests.tui.test_class_serve import PATHS, Device, projector, served_of


@sync
async def test_the_team_links_keep_working_through_the_projected_debrief() -> None:
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
                    assert (await devices[team].post("reason", {"reason": reason}))[0] == 200
            for rater in "ABC":
                if rater != team:
                    ballot = {"team": team, "levels": {c: 3 for c in criteria}}
                    assert (await devices[rater].post("rating", ballot))[0] == 200
            ballot = {"team": team, "levels": {c: 4 for c in criteria}}
            assert (await teacher.post("rating", ballot))[0] == 200
            assert (await teacher.post("next", {}))[0] == 200
        assert room.phase() == Debrief()
        await pilot.pause()
        await pilot.press("enter")  # "every team is done": the debrief opens on the projector
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        assert room.finished
        state = await devices["A"].get()  # 200, not 410
        assert state["phase"] == "debrief"
        assert (await devices["B"].post("choice", {"choice": "warm"}))[0] == 409
        # The instructor's link ends the class explicitly: then every link is gone.
        assert (await teacher.post("next", {}))[0] == 200
        assert (await devices["A"].post("choice", {"choice": "warm"}))[0] == 410


@sync
async def test_a_stray_enter_after_a_device_answered_stores_nothing() -> None:
    async with projector() as (pilot, room):
        app = pilot.app
        assert isinstance(app, SimApp)
        a = Device(served_of(pilot), "A")
        await pilot.press("2")  # the instructor's pick on the first question
        assert (await a.post("choice", {"choice": "warm"}))[0] == 200
        await until(pilot, lambda: sorted(i for i, _ in options(app)) == ["care", "cheap"])
        stored = len(room.events)
        await pilot.press("enter")  # nobody picked on this question: nothing is stored
        await pilot.pause()
        assert len(room.events) == stored and room.run_of("A").pending == "warm"
        assert any("question changed" in n.message for n in app._notifications)
        await pilot.press("down", "enter")  # a fresh pick on the new question is stored
        await until(pilot, lambda: len(room.run_of("A").steps) == 1)


@sync
async def test_a_pick_survives_a_redraw_for_another_teams_answer() -> None:
    """Round mode: B answers on its device while the instructor has picked 2 for A; the
    projector redraws, and A's highlight stays where the instructor put it."""
    async with projector("round") as (pilot, room):
        app = pilot.app
        assert isinstance(app, SimApp)
        b = Device(served_of(pilot), "B")
        await pilot.press("2")
        picked = options(app)[1][0]
        version = len(room.events)
        assert (await b.post("choice", {"choice": "warm"}))[0] == 200
        await until(pilot, lambda: len(room.events) > version)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: room.run_of("A").pending is not None)
        assert room.run_of("A").pending == picked


@sync
async def test_the_projected_briefing_holds_the_devices_and_shows_where_to_join() -> None:
    from contextlib import AsyncExitStack

    from sim.cases import load_case
    from sim.classroom import Classroom
    from sim.store import open_store
    from sim.tui.screens.class_briefing import ClassBriefingScreen
    from sim.tui.screens.class_play import ClassScreen
    from sim.tui.screens.join import JoinScreen
    from sim.web.projector import InAppServer
    from tests.tui.helpers import screen_text
    from tests.tui.test_classroom_screens import SCALE

    store = open_store()
    room = Classroom.begin(load_case(SCALE), store, ["A", "B", "C"])
    served = InAppServer(room, "127.0.0.1", 0)
    app = SimApp(lang="en", store=store, classroom=room, served=served)
    async with AsyncExitStack() as stack:
        pilot = await stack.enter_async_context(app.run_test(size=(100, 40)))
        await until(pilot, lambda: served.started)
        await until(pilot, lambda: isinstance(app.screen, ClassBriefingScreen))
        assert "Devices join at http://127.0.0.1:" in screen_text(app)
        a = Device(served, "A")
        state = await a.get()
        assert state["started"] is False and not state["your_turn"]
        assert (await a.post("choice", {"choice": "warm"}))[0] == 409
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, JoinScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ClassBriefingScreen))
        await pilot.press("enter")  # the instructor opens play
        await until(pilot, lambda: isinstance(app.screen, ClassScreen))
        assert (await a.get())["your_turn"] is True
        assert (await a.post("choice", {"choice": "warm"}))[0] == 200
