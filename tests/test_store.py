"""The session store on both backends (SQLite and PostgreSQL, the `open_backend` fixture):
migrations, corrections, many writers, the texts played; SQLite's own settings and repair."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sim.cases import load_case
from sim.engine import Step, replay
from sim.session import fold
from sim.store import SqliteStore, Stale, Store, open_store
from sim.store.sqlite_file import MIGRATIONS
from tests.conftest import CASES, SQLITE_FILE

CASE = load_case(CASES / "scenarios" / "scale-check.yaml")

Opener = Callable[[], Store]


def _sql(store: Store, query: str, *args: Any) -> list[tuple[Any, ...]]:
    """Run SQL on either backend (`?` placeholders), for what the protocol does not show."""
    if isinstance(store, SqliteStore):
        return [tuple(r) for r in store.db.execute(query, args).fetchall()]
    from sim.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore) and store.pool is not None
    with store.pool.connection() as conn:
        cursor = conn.execute(query.replace("?", "%s"), args)  # type: ignore[arg-type]
        return [tuple(r) for r in cursor.fetchall()] if cursor.description else []


def test_the_file_checked_before_the_app_becomes_its_store(tmp_path: Path) -> None:
    """`sim` alone opens and checks the file with `sim.store.sqlite_file` only (the store's
    API is not loaded before the app's first frame); the store built on it later writes and
    reads through that very connection."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from sim.store.sqlite_file import SqliteFile; "
        f"SqliteFile(Path({str(tmp_path / 's.db')!r})).close(); "
        "loaded = [m for m in ('sim.store.protocol', 'sim.store.sqlite') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    from sim.store.sqlite_file import SqliteFile

    checked = SqliteFile(tmp_path / "s.db")
    store = SqliteStore(checked.path, checked)
    assert store.db is checked.db and store.schema_version == len(MIGRATIONS)
    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    session = store.record_run(CASE.scenario.id, CASE.stored_path, "A", run)
    assert [info.id for info in store.sessions()] == [session]
    store.close()
    assert checked.queue is None  # the store closed the file it was built on


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


@SQLITE_FILE
def test_the_store_lives_in_sim_home(sim_home: Path) -> None:
    with open_store() as store:
        store.create_session("x", "practice", ["solo"])
    assert (sim_home / "sessions.sqlite3").is_file()


def test_events_replay_into_runs_and_corrections_void_without_deleting(
    open_backend: Opener,
) -> None:
    store = open_backend()
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


def test_an_idempotent_retry_writes_once(open_backend: Opener) -> None:
    store = open_backend()
    sid = store.create_session("x", "practice", ["A"])
    first = store.append(sid, "note", "A", {"text": "hi"}, expect_seq=2)
    again = store.append(sid, "note", "A", {"text": "hi"}, expect_seq=2)
    assert first.seq == again.seq == 2
    assert len(store.events(sid)) == 2


def test_a_guarded_write_after_another_writers_event_writes_nothing(open_backend: Opener) -> None:
    """`after`: the check "nothing newer than what I saw" and the write are one transaction,
    on either backend, through two handles as two servers would hold them."""
    mine, theirs = open_backend(), open_backend()
    sid = mine.create_session("x", "classroom", ["A", "B"])
    seen = mine.events(sid)[-1].seq
    theirs.append(sid, "choice", "A", {"choice": "warm"}, after=seen)
    with pytest.raises(Stale) as stale:
        mine.append(sid, "choice", "A", {"choice": "cold"}, after=seen)
    assert (stale.value.seen, stale.value.newest) == (seen, seen + 1)
    with pytest.raises(Stale):
        mine.append_many(sid, [("rating", "A", {"points": 1})], after=seen)
    assert [e.data.get("choice") for e in mine.events(sid)[1:]] == ["warm"]
    # Having read the newer event, the write goes in after it.
    assert mine.append(sid, "choice", "B", {"choice": "cold"}, after=seen + 1).seq == seen + 2
    assert [e.seq for e in mine.append_many(sid, [("note", "B", {})], after=seen + 2)] == [4]


def test_several_events_commit_together_in_order(open_backend: Opener) -> None:
    """`append_many` (a ballot: one rating per criterion) on either backend: consecutive
    sequence numbers after what is there, read back as written."""
    store = open_backend()
    sid = store.create_session("x", "classroom", ["A", "B"])
    ballot = [
        (
            "rating",
            "A",
            {"rater_kind": "peer", "rater": "B", "rubric": "r", "criterion": c, "points": n},
        )
        for c, n in (("one", 3), ("two", 4))
    ]
    written = store.append_many(sid, ballot)
    assert [e.seq for e in written] == [2, 3]
    assert [(e.type, e.team, dict(e.data)) for e in store.events(sid)[1:]] == [
        (type_, team, data) for type_, team, data in ballot
    ]
    assert store.append_many(sid, []) == [] and len(store.events(sid)) == 3


def test_backup_is_a_consistent_database(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    store.create_session("x", "practice", ["A"])
    store.backup(tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def _writer(kind: str, where: str, session_id: int, worker: int, count: int) -> None:
    if kind == "sqlite":
        store: Store = SqliteStore(Path(where))
    else:
        from sim.store.postgres import PostgresStore

        store = PostgresStore(where)
    for index in range(count):
        store.append(session_id, "note", f"T{worker}", {"n": index})
    store.close()


def test_several_processes_writing_one_session_lose_nothing(open_backend: Opener) -> None:
    store = open_backend()
    kind, where = (
        ("sqlite", str(store.path)) if isinstance(store, SqliteStore) else ("postgres", store.url)  # type: ignore[attr-defined]
    )
    sid = store.create_session("x", "classroom", ["T0", "T1", "T2", "T3"])
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(kind, where, sid, w, 40)) for w in range(4)]
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


# The texts a session was played with (issue 15, item 5) ---------------------------------------


def test_a_case_played_a_thousand_times_is_stored_once(open_backend: Opener) -> None:
    store = open_backend()
    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    ids = [
        store.record_run(CASE.scenario.id, CASE.stored_path, f"team {number}", run, CASE.files)
        for number in range(1000)
    ]
    blobs = _sql(store, "SELECT COUNT(*), SUM(LENGTH(data)) FROM blobs")[0]
    assert tuple(map(int, blobs)) == (len(CASE.files), sum(len(f.data) for f in CASE.files))
    assert len(CASE.files) == 4  # the case, its two rubrics and the classroom fallback
    assert (
        store.case_files(ids[-1])
        == store.case_files(ids[0])
        == sorted(CASE.files, key=lambda f: (f.role, f.key))
    )
    store.close()


def test_a_session_keeps_which_text_is_its_case_and_which_its_rubrics(
    open_backend: Opener,
) -> None:
    store = open_backend()
    sid = store.create_session(
        "scale-check", "practice", ["solo"], CASE.stored_path, {}, CASE.files
    )
    kept = {(f.role, f.key): f for f in store.case_files(sid)}
    assert set(kept) == {("case", "scale-check"), ("rubric", "ten"), ("rubric", "four"),
                         ("rubric", "classroom-performance")}  # fmt: skip
    assert (
        kept["case", "scale-check"].data == (CASES / "scenarios" / "scale-check.yaml").read_bytes()
    )
    assert kept["case", "scale-check"].path == CASE.stored_path
    assert store.case_files(store.create_session("x", "practice", ["solo"])) == []
    store.close()


def test_a_newer_version_is_kept_beside_the_one_played(open_backend: Opener) -> None:
    from dataclasses import replace

    store = open_backend()
    sid = store.create_session("scale-check", "classroom", ["A", "B"], "", {}, CASE.files)
    store.append(sid, "choice", "A", {"scene": "s1", "choice": "warm"})
    main = next(f for f in CASE.files if f.role == "case")
    edited = replace(main, data=main.data + b"\n# edited\n")
    store.keep_files(sid, [edited, *(f for f in CASE.files if f.role == "rubric")])
    assert next(f for f in store.case_files(sid) if f.role == "case").data == edited.data
    rows = _sql(
        store, "SELECT since, sha256 FROM session_files WHERE session_id = ? AND role = 'case'", sid
    )
    assert sorted(rows) == [(0, main.sha256), (2, edited.sha256)]  # the played one stays
    store.close()


def test_a_stored_text_that_no_longer_matches_its_hash_is_named_as_damage(
    open_backend: Opener,
) -> None:
    from sim.store import StoreError

    store = open_backend()
    sid = store.create_session("scale-check", "practice", ["solo"], "", {}, CASE.files)
    _sql(store, "UPDATE blobs SET data = ? WHERE sha256 = ?", b"\0", CASE.files[0].sha256)
    with pytest.raises(StoreError, match=r"does not match its hash"):
        store.case_files(sid)
    store.close()


def test_migration_from_the_previous_schema_keeps_every_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database made by the code before this schema (version 1, no texts kept) opens, is
    migrated in place, and every session still plays and reports by its case's path."""
    from sim.report import load_session

    path = tmp_path / "s.db"
    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    monkeypatch.setattr("sim.store.sqlite_file.MIGRATIONS", MIGRATIONS[:1])
    old = SqliteStore(path)
    assert old.schema_version == 1
    for team in ("A", "B", "C"):
        old.record_run(CASE.scenario.id, CASE.stored_path, team, run)
    old.close()
    monkeypatch.setattr("sim.store.sqlite_file.MIGRATIONS", MIGRATIONS)
    new = SqliteStore(path)
    assert new.schema_version == len(MIGRATIONS) == 3
    assert [info.teams for info in new.sessions()] == [["A"], ["B"], ["C"]]
    assert [len(new.events(info.id)) for info in new.sessions()] == [6, 6, 6]
    assert new.case_files(1) == []  # stored before: found by its path, as before
    assert load_session(new, 1).result.teams[0].steps == run.steps
    new.close()


def test_repair_copies_the_stored_texts(tmp_path: Path) -> None:
    from sim.store.repair import repair_database

    path = tmp_path / "s.db"
    store = SqliteStore(path)
    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    for team in ("A", "B"):
        store.record_run(CASE.scenario.id, CASE.stored_path, team, run, CASE.files)
    before = [store.case_files(sid) for sid in (1, 2)]
    store.db.execute("UPDATE events SET data = '{broken' WHERE session_id = 2 AND seq = 3")
    store.close()
    repaired = repair_database(path)
    assert repaired.kept["blobs"] == 4 and repaired.kept["session_files"] == 8
    again = SqliteStore(path)
    assert [again.case_files(sid) for sid in (1, 2)] == before
    again.close()


def test_repair_of_a_previous_schema_database_copies_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.store.repair import repair_database

    path = tmp_path / "s.db"
    monkeypatch.setattr("sim.store.sqlite_file.MIGRATIONS", MIGRATIONS[:1])
    old = SqliteStore(path)
    old.create_session("x", "practice", ["solo"])
    old.close()
    monkeypatch.setattr("sim.store.sqlite_file.MIGRATIONS", MIGRATIONS)
    repaired = repair_database(path)
    assert repaired.kept["sessions"] == 1 and not repaired.unreadable  # no "blobs" lost
    assert "0 case and rubric text(s)" in repaired.summary()


def test_repair_drops_a_version_whose_text_is_damaged_whole(tmp_path: Path) -> None:
    """A rubric text that no longer matches its hash is not copied; the sessions that played
    it then find their case by path (as before texts were kept), not half a case."""
    from sim.store.repair import repair_database

    path = tmp_path / "s.db"
    store = SqliteStore(path)
    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    store.record_run(CASE.scenario.id, CASE.stored_path, "A", run, CASE.files)
    rubric = next(f for f in CASE.files if f.key == "ten")
    store.db.execute("UPDATE blobs SET data = X'00' WHERE sha256 = ?", (rubric.sha256,))
    store.close()
    repaired = repair_database(path)
    assert repaired.kept["blobs"] == 3 and repaired.skipped["blobs"] == 1
    assert "session_files" not in repaired.kept or repaired.kept["session_files"] == 0
    again = SqliteStore(path)
    assert again.case_files(1) == [] and len(again.events(1)) == 6
    again.close()
