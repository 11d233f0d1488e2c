"""The Stats screen: from Home (`s`) and from a case's briefing, the figures in both languages."""

from __future__ import annotations

import io

from rich.console import Console

from sim.library import data_home
from sim.practice import Attempt
from sim.store import open_store
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.stats import StatsScreen, render
from tests.tui.helpers import BA008, BEST_PATH, ba008, make_app, sync, until


def shown(screen: StatsScreen) -> str:
    """What the body shows, laid out at the screen's width."""
    view = screen.view()
    assert view is not None
    console = Console(width=78, record=True, file=io.StringIO())
    console.print(render(view))
    return console.export_text()


@sync
async def test_s_on_home_opens_the_highlighted_cases_stats_at_80x24() -> None:
    Attempt.begin(ba008(), open_store(), steps=BEST_PATH)
    Attempt.begin(ba008(), open_store(), steps=BEST_PATH[:2])  # unfinished
    app = make_app(lang="en", with_case=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and bool(app.screen.shown))
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.query_one("#cases").highlighted = next(  # type: ignore[attr-defined]
            i for i, e in enumerate(home.shown) if e.id == BA008
        )
        await pilot.press("s")
        await until(
            pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.stats is not None
        )
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        text = shown(screen)
        assert "2 sessions · 2 team runs · 1 finished · 1 unfinished" in text
        assert "Accepted gladly" in text
        await pilot.press("l")
        await pilot.pause()
        assert "2 个记录" in shown(screen)
        await pilot.press("x")
        await pilot.pause()
        assert (data_home() / "exports" / f"stats-{BA008}.html").is_file()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@sync
async def test_s_on_a_briefing_opens_that_cases_stats() -> None:
    app = make_app(lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("s")
        await until(
            pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.stats is not None
        )
        assert isinstance(app.screen, StatsScreen)
        assert "这个案例还没有存储的记录" in shown(app.screen)
