"""A bug that ends the app leaves a crash log, a one-line message instead of a traceback, and
on the next start a prompt that reopens the unfinished attempt where it stopped.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sim.crash import log_folder, pending_crash
from sim.i18n import tr
from sim.tui.screens.crash_notice import CrashNotice
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.play import PlayScreen
from tests.tui.helpers import BEST_PATH, make_app, options, play


class Crash(RuntimeError):
    """Stands for any bug that escapes a handler."""


def test_a_crash_is_logged_and_the_next_start_offers_to_resume(
    capsys: pytest.CaptureFixture[str],
) -> None:
    asyncio.run(crash_then_resume(capsys))


async def crash_then_resume(capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(lang="en")
    with pytest.raises(Crash):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await play(pilot, BEST_PATH[:2])

            def broken() -> None:
                raise Crash("a bug in a handler")

            app.call_later(broken)
            await pilot.pause()
    log = pending_crash()
    assert log is not None and log.parent == log_folder()
    text = log.read_text(encoding="utf-8")
    assert "Crash: a bug in a handler" in text and "screen: PlayScreen" in text
    assert "Traceback" not in capsys.readouterr().err
    assert app.crash_notice() == tr("crash.message", "en", path=log)  # what `sim` prints

    again = make_app(lang="en", with_case=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, CrashNotice)
        listed = options(again, "#resumable")
        assert len(listed) == 1 and "#1" in listed[0][1]
        await pilot.press("1", "enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.steps == BEST_PATH[:2]
    assert pending_crash() is None  # offered once

    third = make_app(lang="en", with_case=False)
    async with third.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(third.screen, HomeScreen)


def test_the_log_folder_follows_sim_home(sim_home: Path) -> None:
    assert log_folder() == sim_home / "logs"
