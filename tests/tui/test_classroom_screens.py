"""A whole class by keys: three teams, both turn modes, ratings with a correction, an undo,
the debrief, and the totals against the hand-computed values of tests/test_classroom.py.
"""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from sim.cases import load_case
from sim.classroom import Classroom, Debrief, Rate, Reveal, Turn
from sim.library import data_home
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_briefing import ClassBriefingScreen
from sim.tui.screens.class_play import ClassScreen
from sim.tui.screens.class_setup import ClassSetupScreen
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.leave_class import ConfirmLeave
from sim.tui.screens.rating import RatingScreen
from tests.conftest import CASES
from tests.test_classroom import HUMAN, RATINGS
from tests.tui.helpers import options, until

SCALE = CASES / "scenarios" / "scale-check.yaml"
# Keys that play each team's path of tests/test_classroom.py (digit, Enter per move).
KEYS = {"A": ["1", "1", "1"], "B": ["2", "2", "2"], "C": ["1", "2", "2"]}
# The same paths a decision at a time: the first decision asks why, the second does not.
ROUND_KEYS = [{t: KEYS[t][:2] for t in "ABC"}, {t: KEYS[t][2:] for t in "ABC"}]
CRITERIA = 5


def shown(widget: Widget) -> str:
    """What a Static shows, as plain text (tables and groups included)."""
    assert isinstance(widget, Static)
    console = Console(width=160, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)  # type: ignore[arg-type]
    return console.export_text()


def open_class(mode: str) -> tuple[SimApp, Classroom]:
    store = open_store()
    room = Classroom.begin(load_case(SCALE), store, ["A", "B", "C"], settings={"mode": mode})
    return SimApp(lang="en", store=store, classroom=room), room


async def move(pilot: Pilot[None], digit: str) -> None:
    await pilot.press(digit, "enter")
    await pilot.pause()


async def rate_team(pilot: Pilot[None], team: str, correct_first: bool = False) -> None:
    """Every rater, as the screen names them, gives its level on each criterion: a digit,
    then ↓ (the cursor stays after a digit); the second rater corrects a mis-keyed level."""
    screen = pilot.app.screen
    assert isinstance(screen, RatingScreen)
    while screen.team != team:
        await pilot.press("tab")
    for index in range(len(screen.raters)):
        points = RATINGS[team][screen.rater]
        if index == 1 and correct_first:
            await pilot.press("1")  # a mis-keyed level, corrected by the next digit
        for _ in range(CRITERIA):
            await pilot.press(str(points), "down")
        await pilot.press("right")
    await pilot.pause()


def check_debrief(app: SimApp, room: Classroom) -> dict[str, float]:
    """The totals from the stored events alone match the hand-computed ones."""
    assert isinstance(app.screen, DebriefScreen)
    fresh = Classroom.resume(room.case, open_store(), room.session_id)
    by_team = {t.team: t for t in fresh.result().teams}
    for team in "ABC":
        expected = HUMAN[team]  # the course method: the rated score is the total
        assert abs((by_team[team].total or 0) - expected) < 1e-3
        assert by_team[team].missing == []
    assert fresh.finished
    return {team: by_team[team].total or 0 for team in "ABC"}


def test_a_sequential_class_by_keys() -> None:
    async def run() -> None:
        app, room = open_class("sequential")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ClassBriefingScreen)  # projected before play
            assert "Scale check" in shown(app.screen.query_one("#title"))
            await pilot.press("enter")
            assert isinstance(app.screen, ClassScreen)
            for team in "ABC":
                assert room.phase() == Turn(team)
                assert f"▶ {team}" in shown(app.screen.query_one("#teambar"))
                if team == "C":  # a wrong pick, undone by the instructor
                    await move(pilot, "2")
                    await pilot.press("u")
                    await pilot.pause()
                    assert room.run_of("C").pending is None
                for digit in KEYS[team]:
                    await move(pilot, digit)
                assert room.phase() == Rate((team,))
                await pilot.press("enter")
                await pilot.pause()
                await rate_team(pilot, team, correct_first=team == "A")
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, ClassScreen)
            assert room.phase() == Debrief()
            await pilot.press("enter")
            await pilot.pause()
            totals = check_debrief(app, room)
            await pilot.press("4")  # the scores, with the chart
            await pilot.pause()
            body = shown(app.screen.query_one("#body"))
            for team in "ABC":
                assert f"{totals[team]:.1f}" in body
            assert "█" in body
            await pilot.press("x")  # the report, grade sheet and Markdown, into exports/
            await pilot.pause()
            exports = data_home() / "exports"
            html = (exports / f"session-{room.session_id}.html").read_text(encoding="utf-8")
            sheet = (exports / f"session-{room.session_id}.csv").read_text(encoding="utf-8-sig")
            assert "<svg" in html and all(f">{team}<" in html for team in "ABC")
            rows = list(csv.DictReader(io.StringIO(sheet)))
            assert [(r["Team"], float(r["Total"])) for r in rows] == [
                (team, pytest.approx(totals[team], abs=0.05))
                for team in "ABC"  # 1 decimal
            ]
            await pilot.press("w")  # half automatic: stored as a setting, totals follow
            await pilot.pause()
            body = shown(app.screen.query_one("#body"))
            assert f"{0.5 * 1025 / 12 + 0.5 * HUMAN['A']:.1f}" in body  # A's auto is 1025/12

    asyncio.run(run())


def test_a_round_class_by_keys_shows_each_decision_side_by_side() -> None:
    async def run() -> None:
        app, room = open_class("round")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the projected briefing
            for index in range(2):
                for team in "ABC":
                    assert room.phase() == Turn(team, index)
                    for digit in ROUND_KEYS[index][team]:
                        await move(pilot, digit)
                assert room.phase() == Reveal(index)
                reveal = shown(app.screen.query_one("#reveal-table"))
                assert all(name in reveal for name in "ABC")
                await pilot.press("enter")
                await pilot.pause()
            assert room.phase() == Rate(("A", "B", "C"))
            await pilot.press("enter")
            await pilot.pause()
            for team in "ABC":
                await rate_team(pilot, team)
            await pilot.press("enter")
            await pilot.pause()
            assert room.phase() == Debrief()
            await pilot.press("enter")
            await pilot.pause()
            check_debrief(app, room)

    asyncio.run(run())


def test_an_instructor_starts_a_class_from_home_and_resumes_it_from_the_list() -> None:
    async def run() -> None:
        app = SimApp(lang="en", extra_cases=[SCALE])
        async with app.run_test(size=(100, 40)) as pilot:
            await until(pilot, lambda: any("Scale check" in t for _, t in options(app, "#cases")))
            titles = [t for _, t in options(app, "#cases")]
            await pilot.press(*["down"] * next(i for i, t in enumerate(titles) if "Scale" in t))
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ClassSetupScreen)
            await pilot.press("enter")  # no teams yet: refused with a message, nothing stored
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ClassSetupScreen)
            assert open_store().sessions() == []
            app.screen.query_one("#teams", Input).value = "Red (Li, Wang), Blue, Green"
            await pilot.press("enter")  # from the teams line to the options
            await pilot.press("2", "enter")  # the turn mode: round
            await pilot.press("1", "enter")  # start
            await pilot.pause()
            await pilot.press("enter")  # past the projected briefing
            assert isinstance(app.screen, ClassScreen)
            room = app.screen.room
            assert room.order == ["Red", "Blue", "Green"]
            assert room.members == {"Red": ["Li", "Wang"]}
            assert room.mode == "round"
            await pilot.press("1", "enter")
            await pilot.pause()
            await pilot.press("escape")  # Red waits for its reason: Esc takes the choice back
            await pilot.pause()
            assert room.run_of("Red").pending is None
            await pilot.press("1", "enter")
            await pilot.press("escape", "escape")  # take back; then Esc asks before leaving
            await pilot.pause()
            assert isinstance(app.screen, ConfirmLeave)
            assert options(app, "#leave-options")[0][0] == "stay"
            await pilot.press("escape")  # Esc again stays
            await pilot.pause()
            assert isinstance(app.screen, ClassScreen)
            await pilot.press("escape", "enter")  # Enter on the highlighted "stay" stays too
            await pilot.pause()
            assert isinstance(app.screen, ClassScreen)
            await pilot.press("escape", "2", "enter")  # leave, saved
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("c")
            await pilot.pause()
            listed = options(app, "#options")
            # The unfinished class is offered first, ahead of a new one.
            assert listed[0][0] == f"resume-{room.session_id}"
            assert listed[0][1].startswith("1. Resume the unfinished class")
            await pilot.press("enter", "enter")  # to the list, then its first line: resume
            await pilot.pause()
            assert isinstance(app.screen, ClassScreen)
            assert app.screen.room.session_id == room.session_id

    asyncio.run(run())


def test_j_at_the_reason_step_types_a_justification_and_enter_picks_nothing() -> None:
    async def run() -> None:
        app, room = open_class("sequential")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the briefing
            await move(pilot, "1")  # warm: now the team is asked why
            assert room.run_of("A").pending == "warm"
            await pilot.press("j", *"lt", "enter")  # letters that are also app keys
            await pilot.pause()
            assert room.run_of("A").pending == "warm"  # Enter closed the note, chose nothing
            assert app.lang == "en" and room.state.teams["A"].notes == {}
            await move(pilot, "1")
            assert [(s.choice, s.reason) for s in room.run_of("A").steps] == [("warm", "care")]
            assert room.state.teams["A"].notes == {0: "lt"}

    asyncio.run(run())


def test_next_on_the_projector_after_another_screen_moved_on_is_refused_with_a_warning() -> None:
    """The instructor's link (another process) revealed the round while the projector still
    showed it: Enter on the projector then warns and shows the class as it is, instead of a
    second step forward; `u` then takes back the newest move, which it now shows."""

    async def run() -> None:
        app, room = open_class("round")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the projected briefing
            for team in "ABC":
                for digit in ROUND_KEYS[0][team]:
                    await move(pilot, digit)
            assert room.phase() == Reveal(0)
            elsewhere = Classroom.resume(room.case, open_store(), room.session_id)
            elsewhere.advance()
            elsewhere.choose("A", "gift")
            await pilot.press("enter")
            await pilot.pause()
            advances = [e for e in open_store().events(room.session_id) if "advance" in e.data]
            assert len(advances) == 1
            assert room.phase() == Turn("B", 1)  # it shows where the class is now
            assert any("moved on" in n.message for n in app._notifications)
            await pilot.press("u")
            await pilot.pause()
            *_, choice, correction = open_store().events(room.session_id)
            assert (choice.type, choice.team) == ("choice", "A")
            assert correction.data == {"undo": choice.seq}

    asyncio.run(run())
