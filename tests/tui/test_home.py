"""Home lists the catalogue from cached summaries at once and builds a case only when opened."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from sim.catalog import load_catalogue
from sim.library import bundled_scenarios
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.screens.home import HomeScreen
from tests.tui.helpers import make_app, screen_text, sync, until

BROKEN = "id: broken\ntitle: [unclosed\n"


def _local_case(sim_home: Path, name: str, text: str) -> Path:
    folder = sim_home / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_warm_catalogue_is_on_screen_from_the_first_frame_broken_case_first(
    sim_home: Path,
) -> None:
    _local_case(sim_home, "broken", BROKEN)
    load_catalogue()  # what an earlier start leaves in the cache

    @sync
    async def check() -> None:
        app = make_app(with_case=False)
        async with app.run_test(size=(100, 32)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert len(home.entries) == len(bundled_scenarios()) + 1  # no worker to wait for
            first = home.entries[0]
            assert first.summary is None and first.problems
            await pilot.pause()
            assert first.problems[0].message[:20] in screen_text(app)
            await pilot.press("enter")  # a broken case does not open
            await pilot.pause()
            assert app.screen is home
            await pilot.press("down", "enter")
            await until(pilot, lambda: isinstance(app.screen, BriefingScreen))

    check()


def test_a_case_broken_after_it_was_listed_shows_its_errors_instead_of_opening(
    sim_home: Path,
) -> None:
    path = _local_case(sim_home, "mine", bundled_scenarios()[0].read_text(encoding="utf-8"))
    load_catalogue()

    @sync
    async def check() -> None:
        app = make_app(with_case=False)
        async with app.run_test(size=(100, 32)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert home.entries[0].path == path and home.entries[0].summary is not None
            path.write_text(BROKEN, encoding="utf-8")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is home
            assert home.entries[0].summary is None and home.entries[0].problems

    check()


def test_the_filter_and_the_detail_pane_join_after_the_first_frame_and_work_as_composed(
    sim_home: Path,
) -> None:
    """Home mounts them right after its first frame: then the filter sits between the title
    and the list, `/` focuses it, typing narrows the list, Enter hands the keys back to the
    list, and the detail pane shows the highlighted case."""
    load_catalogue()

    @sync
    async def check() -> None:
        app = make_app(with_case=False)
        async with app.run_test(size=(80, 24)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            await pilot.pause()
            ids = [w.id for w in home.children]
            assert ids[:4] == ["title", "filter", "catalogue", "hint"], ids  # then the footer
            assert app.focused is not None and app.focused.id == "cases"
            first = home.shown[0].summary
            assert first is not None and first.id in screen_text(app)  # the detail pane
            await pilot.press("slash")
            assert app.focused is not None and app.focused.id == "filter"
            needle = first.id[:6]
            await pilot.press(*needle)
            await pilot.pause()
            assert home.shown and all(needle in e.id for e in home.shown)
            assert len(home.shown) < len(home.entries)
            await pilot.press("enter")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == "cases"
            # Esc in the filter takes it back: the whole list, the keys to the list.
            await pilot.press("slash", "z")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == "filter"
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == "cases"
            assert len(home.shown) == len(home.entries)
            assert app.screen is home
            # `/` and a word in one burst (typed fast, pasted): every letter reaches the
            # filter, though all were sent while the list had the keys.
            for key, character in [("slash", "/"), *((c, c) for c in needle)]:
                app.post_message(events.Key(key, character))
            await pilot.pause()
            await pilot.pause()
            assert app.focused is not None and app.focused.id == "filter"
            assert home.query_one("#filter", Input).value == needle

    check()


def test_the_other_screens_rules_are_read_while_the_list_is_read(sim_home: Path) -> None:
    """Home's first frame parses only its own rules; its warm-up reads the other screens'
    (in their order), so opening the first case does not stop to re-parse the stylesheet."""
    from sim.tui.screens.base import SCREEN_STYLES

    load_catalogue()

    @sync
    async def check() -> None:
        app = make_app(with_case=False)
        async with app.run_test(size=(80, 24)) as pilot:
            home = app.screen
            assert isinstance(home, HomeScreen)
            await pilot.pause()
            home.read_screen_styles()  # as its timer does, half a second after the list
            assert all(app.stylesheet.has_source(str(p), "") for p in SCREEN_STYLES)
            parses = []
            reparse = app.stylesheet.reparse
            app.stylesheet.reparse = lambda: parses.append(1) or reparse()  # type: ignore[method-assign]
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
            assert parses == []  # the briefing found its rules read

    check()
