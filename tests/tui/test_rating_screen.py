"""Rating that informs and does not anchor: the rated team's play beside the rubric, peers
first, the instructor's levels hidden until the peers are in, and keys that do what they say."""

from __future__ import annotations

from sim.cases import load_case
from sim.classroom import Classroom, Rate
from sim.model import localize
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.rating import RatingScreen
from sim.tui.screens.summary import SummaryScreen
from tests.report.helpers import BA008_PATHS
from tests.tui.helpers import plain_of, shown, sync

RUBRIC = "classroom-performance"


def red_played(blind: bool = True) -> Classroom:
    """A three-team BA008 class after Red's run, its rating due."""
    room = Classroom.begin(
        load_case("airline-ba008"),
        open_store(),
        ["Red", "Blue", "Green"],
        settings={"blind": blind},
    )
    for choice, reason in BA008_PATHS["Red"]:
        room.choose("Red", choice, "we asked her first" if choice == "listen" else "")
        if reason is not None:
            room.give_reason("Red", reason)
    assert room.phase() == Rate(("Red",))
    return room


def criteria_lines(app: SimApp) -> list[str]:
    listed = app.screen.query_one("#criteria")
    return [
        plain_of(listed.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
        for i in range(listed.option_count)  # type: ignore[attr-defined]
    ]


def levels(room: Classroom, kind: str, rater: str) -> list[float | None]:
    rubric = room.case.classroom_rubrics[RUBRIC]
    return [room.rating("Red", kind, rater, RUBRIC, c.id) for c in rubric.criteria]


@sync
async def test_the_rated_teams_play_stands_beside_the_rubric_and_peers_rate_first() -> None:
    room = red_played()
    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        assert [r[0] for r in screen.raters] == ["peer", "peer", "instructor"]
        assert "Now rating: Blue (peer) → Red" in shown(screen.query_one("#rater"))
        played = shown(screen.query_one("#played"))
        sc = room.case.scenario
        for step in room.run_of("Red").steps:
            choice = next(c for c in sc.scenes[step.scene].choices if c.id == step.choice)
            assert localize(choice.text, "en", sc.default_language) in played
            assert choice.feedback is None or (
                localize(choice.feedback, "en", sc.default_language) not in played
            )  # feedback waits for the debrief
        assert "we asked her first" in played
        ending = sc.ending(room.run_of("Red").ending or "")
        assert ending is not None and localize(ending.title, "en", "zh") in played
        pane = screen.query_one("#play-pane")
        await pilot.press("pagedown")  # reads on through the play; the rubric stays put
        await pilot.pause()
        assert pane.scroll_y > 0
        assert screen.query_one("#criteria").highlighted == 0  # type: ignore[attr-defined]


@sync
async def test_a_digit_rates_the_highlighted_criterion_and_the_cursor_stays() -> None:
    room = red_played()
    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        # The sequence that used to rate three of five criteria and overwrite the first.
        await pilot.press("4", "down", "3", "down", "4", "down", "3", "down", "3")
        await pilot.pause()
        assert levels(room, "peer", "Blue") == [4, 3, 4, 3, 3]
        assert app.screen.query_one("#criteria").highlighted == 4  # type: ignore[attr-defined]
        await pilot.press("up", "up", "2")  # a deliberate correction, said on screen
        await pilot.pause()
        assert levels(room, "peer", "Blue") == [4, 3, 2, 3, 3]
        assert any("Corrected" in n.message and "4 → 2" in n.message for n in app._notifications)
        await pilot.press("9")  # no such level: nothing stored, and the screen says why
        await pilot.pause()
        assert levels(room, "peer", "Blue") == [4, 3, 2, 3, 3]
        assert any("no level 9" in n.message for n in app._notifications)
        # The next rater starts at its first unrated criterion, and is named.
        await pilot.press("right")
        await pilot.pause()
        assert "Green (peer)" in shown(app.screen.query_one("#rater"))
        assert app.screen.query_one("#criteria").highlighted == 0  # type: ignore[attr-defined]


@sync
async def test_the_instructors_levels_stay_hidden_until_the_peers_are_in() -> None:
    room = red_played()
    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("left")  # straight to the instructor, before any peer
        await pilot.pause()
        assert "Now rating: Instructor" in shown(app.screen.query_one("#rater"))
        await pilot.press("4", "down", "2")
        await pilot.pause()
        lines = criteria_lines(app)
        assert "given (hidden)" in lines[0] and "Exemplary" not in " ".join(lines)
        assert "hidden until the peers have rated" in shown(app.screen.query_one("#hint"))
        assert levels(room, "instructor", "instructor")[:2] == [4, 2]  # stored all the same
        # Both peers rate every criterion: the instructor's levels appear.
        for _ in range(2):
            await pilot.press("right")
            for _ in range(5):
                await pilot.press("3", "down")
        await pilot.press("right")
        await pilot.pause()
        lines = criteria_lines(app)
        assert "given (hidden)" not in " ".join(lines) and "4 " in lines[0]


@sync
async def test_an_open_class_shows_the_instructors_levels_at_once() -> None:
    room = red_played(blind=False)
    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "left", "4")
        await pilot.pause()
        assert "hidden" not in criteria_lines(app)[0]
        await pilot.press("s")  # the teacher's summary of the team just rated
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen.team == "Red"
        await pilot.press(*"Clear listening.", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        assert room.summary("Red") == "Clear listening."
