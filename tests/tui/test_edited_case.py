"""Resuming a session whose case file changed since it was played (issue 15): the app says so
and offers the choice; the version played is the default and no stored move is ever dropped."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Static

from sim import cli
from sim.cases import load_case
from sim.classroom import Classroom
from sim.engine import Step
from sim.practice import Attempt
from sim.store import SqliteStore, Store, open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_play import ClassScreen
from sim.tui.screens.edited_case import EditedCase
from sim.tui.screens.play import PlayScreen
from tests.conftest import CASES
from tests.tui.helpers import options, shown, until

RENAMED = ("id: warm,", "id: warmly,"), ("[warm]", "[warmly]"), ("chose: warm", "chose: warmly")
"""The choice `warm` renamed `warmly` everywhere in the file: a consistent, valid edit."""


def _library(root: Path) -> Path:
    (root / "scenarios").mkdir(parents=True)
    (root / "rubrics").mkdir()
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (root / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())
    case = root / "scenarios" / "case.yaml"
    case.write_bytes((CASES / "scenarios" / "scale-check.yaml").read_bytes())
    return case


def _edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def _class_played(case_file: Path) -> int:
    """A class of two teams where A has chosen `warm` because `care`, stored and closed."""
    with open_store() as store:
        room = Classroom.begin(load_case(case_file), store, ["A", "B"], settings={"lang": "en"})
        room.choose("A", "warm", "kind first")
        room.give_reason("A", "care")
        return room.session_id


def _resumed_by_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> SimApp:
    """`sim class --resume N` as typed, up to the app it would run."""
    opened: list[SimApp] = []

    def keep(app: SimApp) -> int:
        opened.append(app)
        return 0

    monkeypatch.setattr(cli, "_run_app", keep)
    assert cli.main(["class", *argv]) == 0
    return opened[0]


def _body(app: SimApp) -> str:
    return shown(app.screen.query_one("#edited-body", Static))


def test_a_renamed_choice_is_named_and_the_class_goes_on_as_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_file = _library(tmp_path)
    session = _class_played(case_file)
    _edit(case_file, *RENAMED)
    app = _resumed_by_cli(monkeypatch, "--resume", str(session))

    async def run() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, EditedCase))
            body = _body(app)
            assert "was edited after session #" in body and "case.yaml" in body
            # The move that no longer exists is named, and the edited file is not offered.
            assert "the move of event 2 no longer exists" in body and "warm" in body
            assert [i for i, _ in options(app, "#edited-options")] == ["played"]
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ClassScreen))
            room = app.screen.room  # type: ignore[attr-defined]
            assert room.run_of("A").steps == (Step("s1", "warm", "care"),)  # every move kept
            assert room.state.problems == [] and room.state.teams["A"].notes == {0: "kind first"}
            assert [i for i, _ in options(app)] == ["gift", "plain"]  # the played version's s2

    asyncio.run(run())
    with open_store() as store:  # nothing was switched: the session still plays what it played
        kept = next(f for f in store.case_files(session) if f.role == "case")
        assert b"id: warm," in kept.data


def test_an_edit_that_replays_can_be_taken_and_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_file = _library(tmp_path)
    session = _class_played(case_file)
    _edit(case_file, ("text: Gift", "text: A gift, wrapped"))
    app = _resumed_by_cli(monkeypatch, "--resume", str(session))

    async def run() -> None:
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            await until(pilot, lambda: isinstance(app.screen, EditedCase))
            assert options(app, "#edited-options")[0][0] == "played"  # first, the default
            assert "all 2 stored move(s) replay in it" in options(app, "#edited-options")[1][1]
            await pilot.press("2", "enter")
            await until(pilot, lambda: isinstance(app.screen, ClassScreen))
            room = app.screen.room  # type: ignore[attr-defined]
            assert room.run_of("A").steps == (Step("s1", "warm", "care"),)
            assert ("gift", "1. A gift, wrapped") in options(app)
            assert any("Now playing the edited file" in n.message for n in app._notifications)

    asyncio.run(run())
    with open_store() as store:
        kept = next(f for f in store.case_files(session) if f.role == "case")
        assert kept.data == case_file.read_bytes()
        assert _case_versions(store, session) == 2  # the played one stays beside the edited one


def _case_versions(store: Store, session: int) -> int:
    """How many versions of its case the session keeps, read from either backend's table."""
    if isinstance(store, SqliteStore):
        return int(
            store.db.execute(
                "SELECT COUNT(*) FROM session_files WHERE session_id = ? AND role = 'case'",
                (session,),
            ).fetchone()[0]
        )
    from sim.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore) and store.pool is not None
    with store.pool.connection() as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM session_files WHERE session_id = %s AND role = 'case'",
            (session,),
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_escape_keeps_the_played_version_of_a_practice_attempt(tmp_path: Path) -> None:
    """Practice resume in the app: the briefing's Enter reopens the unfinished attempt."""
    case_file = _library(tmp_path)
    with open_store() as store:
        attempt = Attempt.begin(load_case(case_file), store, {"lang": "en"})
        attempt.choose("warm")
        attempt.give_reason("care")
    _edit(case_file, ("text: Gift", "text: A gift, wrapped"))
    app = SimApp(case=load_case(case_file), lang="en")

    async def run() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # the briefing: resume the unfinished attempt
            await until(pilot, lambda: isinstance(app.screen, EditedCase))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, PlayScreen))
            resumed = app.screen.attempt  # type: ignore[attr-defined]
            assert resumed.run.steps == (Step("s1", "warm", "care"),)
            assert ("gift", "1. Gift") in options(app)  # the text that was played

    asyncio.run(run())


def test_an_unchanged_case_resumes_without_a_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_file = _library(tmp_path)
    session = _class_played(case_file)
    app = _resumed_by_cli(monkeypatch, "--resume", str(session))
    assert app.start_edited is None


def test_a_case_named_with_resume_is_offered_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case_file = _library(tmp_path)
    session = _class_played(case_file)
    copy = tmp_path / "scenarios" / "copy.yaml"
    copy.write_text(case_file.read_text("utf-8").replace("text: Gift", "text: Wrapped"), "utf-8")
    app = _resumed_by_cli(monkeypatch, str(copy), "--resume", str(session))
    assert app.start_class is not None and app.start_edited is not None
    assert "Gift" in str(app.start_class.case.scenario.scenes["s2"].choices[0].text)
    assert app.start_edited.path == copy
    other = tmp_path / "scenarios" / "other.yaml"
    other.write_text(case_file.read_text("utf-8").replace("id: scale-check", "id: other"))
    assert cli.main(["class", str(other), "--resume", str(session)]) == 1
    assert "is a class on `scale-check`, not `other`" in capsys.readouterr().err
