"""What the eye must see: home, briefing, play and results, in Chinese and English, at 80×24
and 120×40. Regenerate after a deliberate change with `pytest tests/tui --snapshot-update` and
look at the SVGs before committing them.

Frames are deterministic: each test has a fresh SIM_HOME (attempt #1, one ending found), the
app shows no clock, and no animation runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from sim.practice import Attempt
from sim.tui.app import SimApp
from sim.tui.screens.end import EndScreen
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.play import PlayScreen
from tests.tui.helpers import BEST_PATH, ba008, make_app, until

SnapCompare = Callable[..., bool]
Setup = Callable[[Pilot[Any]], Awaitable[None]]

LANGS = ["zh", "en"]


async def at_home(pilot: Pilot[Any]) -> None:
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await until(pilot, lambda: bool(home.entries))
    await pilot.pause()


async def at_briefing(pilot: Pilot[Any]) -> None:
    await pilot.pause()


def attempt(app: SimApp, steps: int) -> Attempt:
    """An attempt with its first steps already stored (the Pilot tests play them by keys)."""
    return Attempt.begin(ba008(), app.store, {"lang": app.lang}, steps=BEST_PATH[:steps])


async def at_play(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, SimApp)
    await app.push_screen(PlayScreen(attempt(app, 1)))
    await pilot.pause()


async def at_results(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, SimApp)
    await app.push_screen(EndScreen(attempt(app, len(BEST_PATH))))
    await pilot.pause()


SCREENS: dict[str, tuple[bool, Setup]] = {
    "home": (False, at_home),
    "briefing": (True, at_briefing),
    "play": (True, at_play),
    "results": (True, at_results),
}


CASES = [
    # Every screen in both languages at 80×24, the smallest size the app promises ...
    *[
        pytest.param(screen, lang, (80, 24), id=f"{screen}-{lang}-80x24")
        for screen in SCREENS
        for lang in LANGS
    ],
    # ... and each screen once at 120×40, the two languages taking turns (CI time is short).
    *[
        pytest.param(screen, lang, (120, 40), id=f"{screen}-{lang}-120x40")
        for screen, lang in zip(SCREENS, ["en", "zh", "en", "zh"], strict=True)
    ],
]


@pytest.mark.parametrize(("screen", "lang", "size"), CASES)
def test_screen(snap_compare: SnapCompare, screen: str, lang: str, size: tuple[int, int]) -> None:
    with_case, setup = SCREENS[screen]
    app = make_app(lang, with_case=with_case)
    assert snap_compare(app, terminal_size=size, run_before=setup)
