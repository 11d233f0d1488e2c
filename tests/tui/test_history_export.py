"""History's export key writes a finished attempt's report where the notice says."""

from __future__ import annotations

from sim.library import data_home
from sim.practice import Attempt
from sim.store import open_store
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
