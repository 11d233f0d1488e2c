"""`sim play FILE --watch`: saving the file reloads the case, keeps the moves that still exist,
and shows the validator's findings in the app instead of ending it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sim.authoring import new_case
from sim.cases import CaseError, load_case
from sim.store import open_store
from sim.store.sqlite import SqliteStore
from sim.tui.app import SimApp
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.screens.play import PlayScreen
from sim.tui.screens.watch_errors import WatchErrors
from tests.tui.helpers import options, shown, sync

FIRST = "listen"
FIRST_REASON = "need-first"


def library(tmp: Path) -> Path:
    (tmp / "scenarios").mkdir(parents=True)
    path = tmp / "scenarios" / "draft.yaml"
    path.write_text(new_case("draft", ["en", "zh"]), encoding="utf-8")
    return path


def save(path: Path, text: str) -> None:
    """Write as an editor does, and make sure the modification time moves on."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def watched_app(path: Path, preview: Path) -> SimApp:
    problem: CaseError | None = None
    try:
        case = load_case(path)
    except CaseError as refused:
        case, problem = None, refused
    store = SqliteStore(preview / "preview.sqlite3")
    return SimApp(case=case, lang="en", store=store, watch=path, watch_problem=problem)


def workspace() -> tuple[Path, Path]:
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="watch-test-"))
    preview = tmp / "preview"
    preview.mkdir()
    return library(tmp / "lib"), preview


@sync
async def test_an_edit_reloads_the_case_and_replays_the_moves_so_far() -> None:
    path, preview = workspace()
    app = watched_app(path, preview)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # briefing → play
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        ids = [option_id for option_id, _ in options(app)]
        await pilot.press(str(ids.index(FIRST) + 1), "enter")
        await pilot.pause()
        reasons = [option_id for option_id, _ in options(app)]
        await pilot.press(str(reasons.index(FIRST_REASON) + 1), "enter")
        await pilot.pause()
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("It's ten past four.", "It is a quarter past four."))
        app.check_watched()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert [(s.choice, s.reason) for s in screen.attempt.run.steps] == [(FIRST, FIRST_REASON)]
        line = screen.attempt.case.scenario.scenes["remedy"].line
        assert line is not None and "quarter past four" in str(line)
    shutil.rmtree(path.parent.parent.parent, ignore_errors=True)


@sync
async def test_a_renamed_choice_stops_the_replay_there_and_says_so() -> None:
    path, preview = workspace()
    app = watched_app(path, preview)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        ids = [option_id for option_id, _ in options(app)]
        await pilot.press(str(ids.index(FIRST) + 1), "enter")
        await pilot.pause()
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("- id: listen\n", "- id: listen-first\n").replace(
            "supports: [listen]", "supports: [listen-first]"))
        app.check_watched()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.steps == () and screen.attempt.run.pending is None
        assert "listen-first" in [option_id for option_id, _ in options(app)]
        assert any("stopped at move 1" in str(n.message) for n in app._notifications)
    shutil.rmtree(path.parent.parent.parent, ignore_errors=True)


@sync
async def test_errors_show_in_the_app_and_the_last_good_version_plays_on() -> None:
    path, preview = workspace()
    app = watched_app(path, preview)
    good = path.read_text(encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        save(path, good.replace("initial: 20", "initial: lots").replace(
            "next: remedy", "next: remedyy", 1))
        app.check_watched()
        await pilot.pause()
        assert isinstance(app.screen, WatchErrors)
        listed = shown(app.screen.query_one("#findings"))
        assert "`state.satisfaction.initial`: expected a number" in listed
        assert "remedyy" in listed  # every problem at once, each at its line
        assert f"{path}:" in listed
        await pilot.press("escape")  # play on with the last good version
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.start_case is not None and app.start_case.scenario.state["satisfaction"]
        save(path, good.replace("The wrong name on the birthday cake", "A fixed title"))
        app.check_watched()
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "A fixed title" in shown(app.screen.query_one("#title"))
    shutil.rmtree(path.parent.parent.parent, ignore_errors=True)


@sync
async def test_a_file_broken_at_start_opens_the_app_and_plays_once_fixed() -> None:
    path, preview = workspace()
    good = path.read_text(encoding="utf-8")
    save(path, good.replace("initial: 20", "initial: lots"))
    app = watched_app(path, preview)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WatchErrors)
        await pilot.press("escape")  # nothing to play yet: it stays
        await pilot.pause()
        assert isinstance(app.screen, WatchErrors)
        save(path, good)
        await pilot.pause(2 * SimApp.WATCH_INTERVAL_S + 0.3)  # the app's own timer
        assert isinstance(app.screen, BriefingScreen)
    shutil.rmtree(path.parent.parent.parent, ignore_errors=True)


@sync
async def test_a_preview_stores_nothing_in_the_history() -> None:
    path, preview = workspace()
    app = watched_app(path, preview)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.attempt.run.pending is not None
    with open_store() as history:
        assert history.sessions() == []
    shutil.rmtree(path.parent.parent.parent, ignore_errors=True)
