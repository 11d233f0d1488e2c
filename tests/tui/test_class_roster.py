"""Rosters in the app: the set-up screen loads one (bad rows refuse it, nothing is started), and
the debrief names each team's students."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input

from sim.classroom import Classroom
from sim.roster import Student
from sim.session import fold_roster
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_play import ClassScreen
from sim.tui.screens.class_setup import ClassSetupScreen
from sim.tui.screens.debrief import DebriefScreen
from tests.report.helpers import ba008_class
from tests.tui.helpers import options, sync, until
from tests.tui.test_classroom_screens import SCALE, shown

HEADER = "team,name,student_id,email\n"


def test_the_setup_screen_loads_a_roster_and_the_class_starts_with_it(tmp_path: Path) -> None:
    asyncio.run(setup_with_roster(tmp_path))


async def setup_with_roster(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Red,Li,1,\nTeal,Wang,2,\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Red,Li,1,\nblue,Wang,,wang@example.edu\n", encoding="utf-8")
    app = SimApp(lang="en", extra_cases=[SCALE])
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: any("Scale check" in t for _, t in options(app, "#cases")))
        titles = [t for _, t in options(app, "#cases")]
        await pilot.press(*["down"] * next(i for i, t in enumerate(titles) if "Scale" in t))
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassSetupScreen)
        screen.query_one("#teams", Input).value = "Red, Blue"
        await pilot.press("enter")  # to the options
        listed = options(app, "#options")
        assert listed[-1][1].endswith("Roster: none (Enter loads a CSV or .xlsx file)")
        await pilot.press(str(len(listed)), "enter")  # the roster line: its field opens
        await pilot.pause()
        field = screen.query_one("#roster", Input)
        assert field.display and field.has_focus
        field.value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert any("Teal" in n.message for n in app._notifications)
        assert field.has_focus and screen.roster is None  # refused: nothing loaded
        field.value = str(good)
        await pilot.press("enter")
        await pilot.pause()
        assert not field.display and screen.roster is not None
        assert options(app, "#options")[-1][1].endswith(
            "Roster: good.csv, 2 students (Enter to change)"
        )
        await pilot.press("1", "enter")  # start
        await pilot.pause()
        await pilot.press("enter")  # past the projected briefing
        assert isinstance(app.screen, ClassScreen)
        room = app.screen.room
    with open_store() as store:
        assert fold_roster(store.events(room.session_id)) == (
            Student("Red", "Li", "1", ""),
            Student("Blue", "Wang", "", "wang@example.edu"),
        )


@sync
async def test_the_debrief_names_the_students_of_each_team() -> None:
    store = open_store()
    case, session_id = ba008_class(store, "en")
    room = Classroom.resume(case, store, session_id)
    room.attach_roster([Student("Red", "Li Wei", "1"), Student("Red", "Wang Fang", "2")])
    app = SimApp(lang="en", store=store, classroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = shown(app.screen.query_one("#body"))
    red = text.index("Red")
    assert text.index("Li Wei, Wang Fang") > red
    assert text.count("Li Wei") == 1  # Blue has nobody on the roster
