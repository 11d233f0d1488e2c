"""Theme, language, feedback timing and gauges are remembered in the data folder."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sim.tui.app import SimApp
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.settings import Preferences, load_preferences, settings_path
from sim.tui.themes import DARK, PROJECTOR
from tests.tui.helpers import ba008, until


def test_first_run_defaults_and_a_damaged_file_fall_back_to_them(sim_home: Path) -> None:
    assert load_preferences() == Preferences()
    assert settings_path() == sim_home / "settings.json"
    sim_home.mkdir(parents=True, exist_ok=True)
    (sim_home / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_preferences() == Preferences()
    (sim_home / "settings.json").write_text(
        json.dumps({"theme": "nope", "lang": "fr", "feedback": "end", "gauges": "no"}),
        encoding="utf-8",
    )
    assert load_preferences() == Preferences(feedback="end")  # each bad value keeps its default


def test_settings_survive_a_restart(sim_home: Path) -> None:
    asyncio.run(restart_in(sim_home))


async def restart_in(sim_home: Path) -> None:
    first = SimApp(case=ba008())
    async with first.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(first.screen, BriefingScreen))
        assert first.theme == DARK and first.lang == "zh"
        await pilot.press("t", "l", "f", "g")
        await pilot.pause()
        assert first.theme == PROJECTOR.name and first.lang == "en"
        assert first.feedback == "end" and first.gauges is False
    assert (sim_home / "settings.json").is_file()

    again = SimApp(case=ba008())
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(again.screen, BriefingScreen))
        assert again.theme == PROJECTOR.name
        assert again.lang == "en"
        assert again.feedback == "end" and again.gauges is False

    # An explicit language (`sim play CASE --lang zh`) wins for that run only.
    explicit = SimApp(case=ba008(), lang="zh")
    async with explicit.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(explicit.screen, BriefingScreen))
        assert explicit.lang == "zh"
    assert load_preferences().lang == "en"
