"""An attempt survives the app: resume after a restart or a crash; history finds it again."""

from __future__ import annotations

import pytest

from sim.engine import replay
from sim.i18n import tr
from sim.model import localize
from sim.practice import attempts_of
from sim.scoring import score_path
from sim.store import open_store
from sim.tui.screens.end import EndScreen
from sim.tui.screens.history import HistoryScreen
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.play import PlayScreen
from tests.tui.helpers import (
    BA008,
    BEST_PATH,
    ba008,
    entries,
    make_app,
    options,
    pick,
    play,
    screen_text,
    shown,
    sync,
)


class Crash(RuntimeError):
    """Stands for any bug that escapes a handler and ends the app."""


@sync
async def test_an_attempt_resumes_at_the_same_scene_with_the_same_transcript() -> None:
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play(pilot, BEST_PATH[:2])
        await pick(pilot, BEST_PATH[2].choice)  # chosen, its reason not yet given
        before = entries(first)
        offered = options(first)
        session_id = first.screen.attempt.session_id  # type: ignore[attr-defined]
        await pilot.exit(None)

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        status = shown(second.screen.query_one("#status"))
        assert tr("briefing.resume", "zh", n=session_id) in status
        await pilot.press("enter")
        await pilot.pause()
        screen = second.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.session_id == session_id
        assert screen.attempt.run.scene == BEST_PATH[2].scene
        assert screen.attempt.run.pending == BEST_PATH[2].choice
        assert entries(second) == before
        assert options(second) == offered
        assert shown(screen.query_one("#prompt")) == tr("play.why", "zh")
        # And it carries on to the end as one attempt.
        await pick(pilot, BEST_PATH[2].reason or "")
        await play(pilot, BEST_PATH[3:])
        assert screen.attempt.run.ending == replay(ba008().scenario, BEST_PATH).ending


@sync
async def test_n_in_the_briefing_starts_afresh_instead_of_resuming() -> None:
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play(pilot, BEST_PATH[:1])
    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        screen = second.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.steps == ()
        assert [i for i, _ in options(second)] == [
            c.id for c in ba008().scenario.scenes["gate"].choices
        ]


@sync
async def test_a_crash_after_a_move_loses_nothing() -> None:
    """The move is committed before the screen redraws, so a bug in drawing cannot lose it."""
    app = make_app()
    with pytest.raises(Crash):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await play(pilot, BEST_PATH[:1])
            screen = app.screen
            assert isinstance(screen, PlayScreen)

            def broken() -> None:
                raise Crash("drawing failed")

            screen.redraw = broken  # type: ignore[method-assign]
            await pick(pilot, BEST_PATH[1].choice)

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        assert tr("briefing.resume", "zh", n=1) in shown(again.screen.query_one("#status"))
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.steps == BEST_PATH[:2]
        assert [i for i, _ in options(again)] == [
            c.id for c in ba008().scenario.scenes[BEST_PATH[2].scene].choices
        ]


@sync
async def test_history_shows_the_finished_attempt_and_opens_its_results() -> None:
    case = ba008()
    sc = case.scenario
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play(pilot, BEST_PATH)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("escape")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        while (current := home.current()) is None or current.id != BA008:
            await pilot.pause(0.02)
            if home.entries:
                await pilot.press("down")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)

        store = open_store()
        (session_id,) = attempts_of(store, BA008)
        store.close()
        ending = sc.ending(replay(sc, BEST_PATH).ending or "")
        card = score_path(sc, case.rubrics, BEST_PATH, ending.id if ending else None)
        assert ending is not None and card.overall is not None
        (row,) = [text for _, text in options(app, "#attempts")]
        assert row.startswith(f"#{session_id}")
        assert f"{card.overall:.1f}" in row
        assert localize(ending.title, "zh", "zh") in row
        assert f"#{session_id}" in screen_text(app)

        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, EndScreen)
        assert review.attempt.session_id == session_id
        assert f"{card.overall:.1f}" in shown(review.query_one("#scorecard"))
