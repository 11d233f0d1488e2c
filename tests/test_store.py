"""The SQLite session store: durability settings, migrations, corrections, many writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from sim.cases import load_case
from sim.engine import Step, replay
from sim.session import fold
from sim.store import SqliteStore, open_store
from sim.store.sqlite import MIGRATIONS
from tests.conftest import CASES

CASE = load_case(CASES / "scenarios" / "scale-check.yaml")


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    # Reopening does not re-run migrations.
    again = SqliteStore(tmp_path / "s.db")
    assert again.schema_version == len(MIGRATIONS)
    again.close()


def test_the_store_lives_in_sim_home(sim_home: Path) -> None:
    with open_store() as store:
        store.create_session("x", "practice", ["solo"])
    assert (sim_home / "sessions.sqlite3").is_file()


def test_events_replay_into_runs_and_corrections_void_without_deleting(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    sid = store.create_session("scale-check", "practice", ["A"])
    store.append(sid, "choice", "A", {"scene": "s1", "choice": "cold"})
    mistaken = store.append(sid, "reason", "A", {"scene": "s1", "reason": "care"})
    store.append(sid, "correction", None, {"undo": mistaken.seq})
    store.append(sid, "reason", "A", {"scene": "s1", "reason": "cheap"})
    store.append(sid, "choice", "A", {"scene": "s2", "choice": "refund"})
    events = store.events(sid)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    state = fold(CASE.scenario, events)
    expected = replay(CASE.scenario, [Step("s1", "cold", "cheap"), Step("s2", "refund")])
    assert state.teams["A"].run == expected
    assert state.voided == {3}


def test_an_idempotent_retry_writes_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    sid = store.create_session("x", "practice", ["A"])
    first = store.append(sid, "note", "A", {"text": "hi"}, expect_seq=2)
    again = store.append(sid, "note", "A", {"text": "hi"}, expect_seq=2)
    assert first.seq == again.seq == 2
    assert len(store.events(sid)) == 2


def test_backup_is_a_consistent_database(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    store.create_session("x", "practice", ["A"])
    store.backup(tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def _writer(path: str, session_id: int, worker: int, count: int) -> None:
    store = SqliteStore(Path(path))
    for index in range(count):
        store.append(session_id, "note", f"T{worker}", {"n": index})
    store.close()


def test_several_processes_writing_one_session_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = SqliteStore(path)
    sid = store.create_session("x", "classroom", ["T0", "T1", "T2", "T3"])
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), sid, w, 40)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    events = store.events(sid)
    assert len(events) == 1 + 4 * 40
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for worker in range(4):
        mine = [e.data["n"] for e in events if e.team == f"T{worker}"]
        assert mine == list(range(40))
