"""Every bundled case at 80×24 in both languages: its briefing, its first scene, its results.

One frame each (7 cases × 2 languages × 3 screens): what a student reads first, where they
choose, and what they are told at the end, so a case edit or a layout change that breaks
Chinese typesetting or cuts an option shows up as a picture. The run to the results takes,
at every scene, the first choice and the first reason that supports it (file order: the tests
turn the option shuffle off), so each case's frame is stable.
Regenerate with `pytest tests/tui/test_case_snapshots.py --snapshot-update`, then look.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from textual.pilot import Pilot

from sim.cases import Case, load_case
from sim.engine import Step, available_choices, choose, give_reason, reasons, start
from sim.library import bundled_scenarios
from sim.practice import Attempt
from sim.tui.app import SimApp
from sim.tui.screens.end import EndScreen
from sim.tui.screens.play import PlayScreen

SnapCompare = Callable[..., bool]
PATHS = {path.stem: path for path in bundled_scenarios()}


@cache
def case(name: str) -> Case:
    return load_case(PATHS[name])


def first_path(loaded: Case) -> tuple[Step, ...]:
    """First choice, first supporting reason, until an ending (or 60 steps)."""
    sc = loaded.scenario
    run = start(sc)
    steps: list[Step] = []
    while not run.finished and len(steps) < 60:
        scene = run.scene
        choice = available_choices(sc, run)[0]
        run = choose(sc, run, choice.id)
        reason = None
        if run.pending is not None:
            offered = reasons(sc, run)
            reason = next((r for r in offered if choice.id in r.supports), offered[0]).id
            run = give_reason(sc, run, reason)
        steps.append(Step(scene, choice.id, reason))
    assert run.finished, sc.id
    return tuple(steps)


def attempt(app: SimApp, loaded: Case, finished: bool) -> Attempt:
    steps = first_path(loaded) if finished else ()
    return Attempt.begin(loaded, app.store, {"lang": app.lang}, steps=steps)


def at(screen: str, loaded: Case) -> Callable[[Pilot[Any]], Any]:
    async def setup(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, SimApp)
        if screen == "scene":
            await app.push_screen(PlayScreen(attempt(app, loaded, finished=False)))
        elif screen == "results":
            await app.push_screen(EndScreen(attempt(app, loaded, finished=True)))
        await pilot.pause()
        await pilot.pause()

    return setup


@pytest.mark.parametrize("screen", ["briefing", "scene", "results"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(PATHS))
def test_case_at_80x24(snap_compare: SnapCompare, name: str, lang: str, screen: str) -> None:
    loaded = case(name)
    app = SimApp(case=loaded, lang=lang)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(screen, loaded))
