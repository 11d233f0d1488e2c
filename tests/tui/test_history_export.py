"""History's export key writes a finished attempt's report where the notice says."""

from __future__ import annotations

from sim.library import data_home
from sim.practice import Attempt
from sim.store import open_store
from sim.tui.screens.end import EndScreen
from sim.tui.screens.history import HistoryScreen
from tests.tui.helpers import BEST_PATH, ba008, make_app, sync


@sync
async def test_x_in_history_exports_the_highlighted_attempt() -> None:
    attempt = Attempt.begin(ba008(), open_store(), steps=BEST_PATH)
    assert attempt.run.finished
    app = make_app(lang="en", with_case=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(ba008()))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        exports = data_home() / "exports"
        report = exports / f"session-{attempt.session_id}.md"
        assert report.is_file()
        assert "Flight BA008" in report.read_text(encoding="utf-8")
        data = exports / f"session-{attempt.session_id}.report.json"
        assert '"format": "sim-report/1"' in data.read_text(encoding="utf-8")
        assert any(str(exports) in n.message for n in app._notifications)


@sync
async def test_esc_from_a_result_opened_from_history_goes_back_to_history() -> None:
    Attempt.begin(ba008(), open_store(), steps=BEST_PATH)
    app = make_app(lang="zh", with_case=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(ba008()))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


@sync
async def test_the_export_notice_keeps_each_file_name_on_one_line() -> None:
    attempt = Attempt.begin(ba008(), open_store(), steps=BEST_PATH)
    app = make_app(lang="zh", with_case=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(ba008()))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        message = next(n.message for n in app._notifications)
        # A notice wraps each line at its own width: a name alone on a line stays whole.
        lines = message.splitlines()
        for suffix in ("html", "md", "csv"):
            assert f"· session-{attempt.session_id}.{suffix}" in lines, message
