"""Driving the app by keys and reading what its widgets really show, for the Pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static

from sim.cases import Case, load_case
from sim.engine import Step
from sim.tui.app import SimApp
from sim.tui.widgets.gauges import GaugeLine
from sim.tui.wrap import Wrapped

BA008 = "airline-ba008"

BEST_PATH = (
    Step("gate", "listen", "understand-first"),
    Step("needs", "check-record"),
    Step("profile", "tailor-alt", "delivered-value-reason"),
    Step("alt-offer", "tailored-package", "raise-value-cut-cost"),
    Step("her-answer", "escort"),
    Step("follow-up", "personal-follow-up"),
)
"""A whole path through BA008 (the analyser's best one), played by keys in several tests."""


def sync(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async Pilot test on its own event loop (no async plugin is needed)."""

    def run() -> None:
        asyncio.run(test())

    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


@cache
def ba008() -> Case:
    return load_case(BA008)


def make_app(lang: str = "zh", with_case: bool = True) -> SimApp:
    """The app as `sim play airline-ba008` (or bare `sim`) opens it, in the test's SIM_HOME."""
    return SimApp(case=ba008() if with_case else None, lang=lang)


def plain_of(content: object) -> str:
    """The plain text of whatever a widget or an option holds (ours are never markup)."""
    if isinstance(content, Wrapped):
        return content.text.plain
    if isinstance(content, GaugeLine):
        return content.line(10_000).plain  # every gauge in its widest form
    if isinstance(content, Text | Content):
        return content.plain
    if isinstance(content, str):
        return content
    raise TypeError(f"cannot read text from {type(content).__name__}")


def shown(widget: Widget) -> str:
    """The text a Static shows."""
    assert isinstance(widget, Static), widget
    return plain_of(widget.content)


def options(app: SimApp, selector: str = "#choices") -> list[tuple[str, str]]:
    """(id, text) of each option in a list on the current screen."""
    listed = app.screen.query_one(selector, OptionList)
    out = []
    for index in range(listed.option_count):
        option = listed.get_option_at_index(index)
        out.append((option.id or "", plain_of(option.prompt)))
    return out


def entries(app: SimApp) -> list[str]:
    """The transcript's entries, oldest first."""
    return [shown(entry) for entry in app.screen.query(".entry")]


def screen_text(app: SimApp) -> str:
    """Every cell of the current frame as text: what a user sees, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for the app to reach a condition (workers, mounts) without a fixed sleep."""
    waited = 0.0
    while not condition():
        if waited >= timeout:
            raise AssertionError("the app never reached the expected state")
        await pilot.pause(0.02)
        waited += 0.02


async def pick(pilot: Pilot[None], item_id: str, selector: str = "#choices") -> None:
    """Press the digit of the option with this id, then Enter, as a user would."""
    app = pilot.app
    assert isinstance(app, SimApp)
    ids = [option_id for option_id, _ in options(app, selector)]
    assert item_id in ids, f"{item_id} is not offered; offered: {ids}"
    await pilot.press(str(ids.index(item_id) + 1), "enter")
    await pilot.pause()


async def play(pilot: Pilot[None], steps: tuple[Step, ...]) -> None:
    """Play whole steps (choice, then reason when the scene asks) by keys."""
    for step in steps:
        await pick(pilot, step.choice)
        if step.reason is not None:
            await pick(pilot, step.reason)
