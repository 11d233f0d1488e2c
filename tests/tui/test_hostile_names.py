"""Team names, paths and text that look like markup or carry controls never crash the app
and never reach the terminal raw (issue 15)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input

from sim.cases import load_case
from sim.headless import play_headless
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.export import export_and_tell
from sim.tui.screens.class_setup import ClassSetupScreen
from sim.tui.text import clean, plain
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"


def _messages(app: SimApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_markup_looking_team_names_are_refused_as_text() -> None:
    async def run() -> None:
        app = SimApp(lang="en")
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            await app.push_screen(ClassSetupScreen(load_case(SCALE)))
            await pilot.pause()
            assert isinstance(app.screen, ClassSetupScreen)
            app.screen.query_one("#teams", Input).value = "[/], [/]"
            await pilot.press("enter", "1", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ClassSetupScreen)
            assert any("[/]" in message for message in _messages(app)), _messages(app)
        assert app.return_code in (None, 0)

    asyncio.run(run())


def test_export_notice_with_markup_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "[/]home[b]"
    monkeypatch.setenv("SIM_HOME", str(home))
    case = load_case(SCALE)
    with open_store() as store:
        session = store.record_run(
            "scale-check", str(SCALE), "[/]", play_headless(case, [("warm", "care")]).run
        )

    async def run() -> None:
        app = SimApp(lang="en")
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            assert export_and_tell(app, session)
            await pilot.pause()
            assert any(str(home) in message for message in _messages(app))
        assert app.return_code in (None, 0)

    asyncio.run(run())


def test_notify_keeps_text_and_drops_controls() -> None:
    async def run() -> None:
        app = SimApp(lang="en")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            app.notify("[bold]team[/] \x1b]0;pwned\x07 \u202eevil", title="[/]")
            await pilot.pause()
            assert _messages(app) == ["[bold]team[/]  evil"]

    asyncio.run(run())


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b]0;pwned\x07b", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "alink"),
        ("\u202eevil\u2066x\u2069", "evilx"),
        ("red\x1b[31m!\x1b[0m", "red!"),
        ("a\rb\x00c\x9bd", "abcd"),
        ("keep\nnew\tline", "keep\nnew\tline"),
        ("half \ud800", "half "),
    ],
)
def test_the_screen_cleaner(raw: str, shown: str) -> None:
    assert clean(raw) == shown
    assert plain(raw).plain == shown


def test_a_store_that_fails_mid_play_is_not_called_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash line used to say "every move you made is saved" whatever had failed."""
    from sim.i18n import tr
    from sim.store import StoreError
    from tests.tui.helpers import BEST_PATH, make_app, play

    async def run() -> None:
        app = make_app(lang="en")
        with pytest.raises(StoreError):
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("enter")
                await play(pilot, BEST_PATH[:1])

                def full_disk(*_: object, **__: object) -> None:
                    raise StoreError("the session database x cannot be written (disk full)")

                monkeypatch.setattr(type(app.store), "append", full_disk)  # either backend
                await play(pilot, BEST_PATH[1:2])
        notice = app.crash_notice()
        assert notice is not None and "saved" in tr("crash.message", "en", path="-")
        assert notice.startswith("sim stopped: the session database could not be used")
        assert "disk full" in notice and "was not saved" in notice

    asyncio.run(run())


def test_a_failing_write_is_a_store_error(tmp_path: Path) -> None:
    from sim.store import StoreError

    store = open_store(tmp_path / "s.sqlite3")
    session = store.create_session("x", "practice", ["solo"])
    store.db.execute("PRAGMA query_only = ON")  # every write now fails inside SQLite
    with pytest.raises(StoreError, match=r"s\.sqlite3"):
        store.append(session, "choice", "solo", {"scene": "a", "choice": "b"})
    store.close()


def test_resuming_a_class_on_an_edited_case_says_so(tmp_path: Path) -> None:
    """A renamed choice sent the team back to step 0 with no word; now the class says why."""
    from sim.classroom import Classroom
    from tests.test_hostile_files import _library

    _library(tmp_path)
    case_file = tmp_path / "scenarios" / "case.yaml"
    case_file.write_text(SCALE.read_text(encoding="utf-8"), encoding="utf-8")
    store = open_store()
    room = Classroom.begin(load_case(case_file), store, ["A", "B"])
    room.choose("A", "warm")
    room.give_reason("A", "care")
    edited = case_file.read_text(encoding="utf-8").replace("id: warm,", "id: warmly,")
    case_file.write_text(
        edited.replace("[warm]", "[warmly]").replace("chose: warm", "chose: warmly")
    )
    again = Classroom.resume(load_case(case_file), store, room.session_id)
    assert again.state.problems  # the stored moves no longer fit

    async def run() -> None:
        app = SimApp(lang="en", store=store, classroom=again)
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            await pilot.pause()
            shown = " ".join(_messages(app))
            assert "edited since this class was played" in shown
            assert f"{len(again.state.problems)} stored move(s)" in shown

    asyncio.run(run())
