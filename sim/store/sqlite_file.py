"""The SQLite file under the session store: opened, checked, brought to this schema, and
written in short IMMEDIATE transactions under the writers' lock, with retries.

Kept apart from `sim.store.sqlite` (the sessions' API) so that `sim` alone can refuse a
damaged, foreign, newer or unwritable database before the app takes the terminal with
`sqlite3` and this module alone: the API's dataclasses and protocol load when the app first
uses the store, after Home's first frame (they were 30 M instructions before it; issue 22).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

try:  # POSIX only; elsewhere writers fall back to polling SQLite's lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from sim.library import data_home
from sim.store.errors import StoreError

T = TypeVar("T")

MIGRATIONS: list[str] = [
    # 1: sessions, their teams and the event log.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scenario TEXT NOT NULL,
        scenario_path TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('practice', 'classroom', 'record')),
        created TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE teams (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (session_id, name)
    );
    CREATE TABLE events (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        team TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (session_id, seq)
    );
    """,
    # 2: the texts a session was played with (issue 15, item 5). Each text is kept once, by
    # the SHA-256 of its bytes; per session, which text is the case and which its rubrics (by
    # rubric id). `since` is the session's last event when that version was kept: 0 when it
    # started, later when the edited case was chosen on resume (the earlier rows stay).
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    CREATE TABLE session_files (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        since INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('case', 'rubric')),
        key TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        PRIMARY KEY (session_id, since, role, key)
    );
    """,
    # 3: `sim store copy` (issue 21). `store_meta` keeps this store's own id (made when first
    # asked for); `origins` says, for each session copied in, where it was first stored, so a
    # second copy skips it.
    """
    CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE origins (
        origin TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id)
    );
    """,
]

BUSY_TIMEOUT_MS = 2
"""SQLite's own busy handler sleeps in steps of up to 100 ms; ours retries every ~1 ms."""
DEADLINE_S = 30.0
"""How long a write keeps retrying a locked database before it reports the error."""


def _open_queue(path: Path) -> int | None:
    """The writers' lock file beside the database (None where it cannot be made)."""
    if fcntl is None:
        return None
    try:
        return os.open(path.with_name(path.name + ".writers"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None


class SqliteFile:
    """One session database, open and checked, with its writers' lock."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the database, refusing a damaged, foreign, newer or unwritable one.

        `PRAGMA quick_check` reads every page once (0.13 s for 200,000 events, 24 MB, here),
        so a truncated or overwritten file is named here, before anything is played on it.
        """
        self.path = path
        self.queue: int | None = None
        """The writers' lock file beside the database (None where it cannot be made)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            what = "is a file, not a folder" if path.parent.is_file() else "cannot be made"
            raise StoreError(
                f"the data folder {path.parent} {what} ({exc.strerror or exc}); set SIM_HOME "
                "to a folder you can write"
            ) from None
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise problem_of(path, exc) from None
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            checked = self.db.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in checked] != [("ok",)]:
                first = str(checked[0][0]) if checked else "no answer"
                raise StoreError(damaged(path, f"quick_check: {first[:120]}"))
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the session database {path} was made by a newer sim (schema {version}, "
                    f"this one knows {len(MIGRATIONS)}); upgrade sim, or set SIM_HOME to "
                    "another folder"
                )
            self.queue = _open_queue(path)
            self.retry(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as exc:
            self.close()
            raise problem_of(path, exc) from None
        except StoreError:
            self.close()
            raise

    def retry(self, work: Callable[[], T], patience: float = DEADLINE_S) -> T:
        """Run `work`, retrying for up to `patience` seconds while another process holds the
        write lock.

        Short jittered sleeps keep the wait close to the other writer's commit time, so many
        processes writing at once each wait milliseconds, not SQLite's 100 ms steps.
        """
        deadline = time.monotonic() + patience
        while True:
            try:
                return work()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise problem_of(self.path, exc) from None
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if time.monotonic() > deadline:
                    raise problem_of(self.path, exc) from None
                import random  # only when another writer holds the lock

                time.sleep(random.uniform(0.0005, 0.0015))
            except sqlite3.Error as exc:
                # A write that fails (a full disk, a page damaged since the check at open)
                # is named as the store's problem: the caller must not claim it was saved.
                raise problem_of(self.path, exc) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction in the writers' queue, rolled back if the block raises."""
        with self.writers_queue():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def writers_queue(self) -> Iterator[None]:
        """Writers from several processes wait in the kernel for a lock beside the database.

        Without it each waits by polling SQLite's lock, and an unlucky one can wait many
        rounds (the p99 under load); a blocked `flock` wakes as soon as the lock is free. The
        kernel drops the lock of a killed process. Where `fcntl` is missing, polling remains.
        """
        if fcntl is None or self.queue is None:
            yield
            return
        fcntl.flock(self.queue, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self.queue, fcntl.LOCK_UN)

    def _migrate(self) -> None:
        def work() -> None:
            with self.transaction() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in filter(str.strip, script.split(";")):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {number}")

        self.retry(work)

    def close(self) -> None:
        self.db.close()
        if self.queue is not None:
            os.close(self.queue)
            self.queue = None


def damaged(path: Path, detail: str) -> str:
    """The line for a damaged file, with the way out (`sim repair` keeps the damaged one)."""
    return (
        f"the session database {path} is damaged ({detail}); `sim repair` copies what is "
        "readable into a new one (the damaged file is kept), or set SIM_HOME to another folder"
    )


def problem_of(path: Path, exc: sqlite3.Error) -> StoreError:
    """What a driver error means for the person at the keyboard."""
    text = str(exc)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(
            f"the session database {path} cannot be written ({text}); check the folder's "
            "permissions or set SIM_HOME to a folder you can write"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(damaged(path, text))
    if isinstance(exc, sqlite3.OperationalError) and (
        "no such" in text or "already exists" in text or "has no column" in text
    ):
        return StoreError(
            f"{path} is not a sim session database ({text}); set SIM_HOME to another folder, "
            "or move the file aside"
        )
    return StoreError(f"the session database {path} failed: {text}")


def database_path() -> Path:
    """The data folder's session database (`SIM_HOME`, else the platform's data folder)."""
    return data_home() / "sessions.sqlite3"
