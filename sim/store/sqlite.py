"""The SQLite session store: WAL, synchronous=FULL, one short IMMEDIATE transaction per event.

Python's sqlite3 opens transactions implicitly; this module runs in autocommit mode and
manages every transaction itself (PRODUCT.md, known traps). Several processes may append to
one database at once: the busy timeout waits for the lock and a retry loop covers the rest.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sim.store.location import database_url, is_postgres_url, mask_url
from sim.store.protocol import (
    CaseFile,
    SessionCopy,
    SessionInfo,
    Stale,
    Store,
    StoredEvent,
    StoreError,
    TeamTaken,
)
from sim.store.protocol import make_event as _event
from sim.store.protocol import now as _now
from sim.store.sqlite_file import DEADLINE_S, SqliteFile, damaged, database_path, problem_of

if TYPE_CHECKING:
    from sim.engine import Run
    from sim.session import Event, EventType, SessionKind

T = TypeVar("T")


class SqliteStore:
    """Sessions and their event logs in one SQLite file."""

    def __init__(self, path: Path, file: SqliteFile | None = None) -> None:
        """The store on the database at `path`: `file` when it was opened (and checked)
        already, else opened here, refusing a damaged, foreign, newer or unwritable one."""
        self.file = file or SqliteFile(path)
        self.path = self.file.path
        self.db = self.file.db
        self.patience = DEADLINE_S
        """Seconds a write waits for another writer's lock before it reports the error."""

    def _retry(self, work: Callable[[], T]) -> T:
        return self.file.retry(work, self.patience)

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.file.transaction()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # Writing ---------------------------------------------------------------------------------

    def create_session(
        self,
        scenario: str,
        kind: SessionKind,
        teams: list[str],
        scenario_path: str = "",
        settings: dict[str, Any] | None = None,
        files: Sequence[CaseFile] = (),
    ) -> int:
        """A new session with its teams, the texts it plays and its `started` event, in one
        transaction."""
        settings = settings or {}

        def work() -> int:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO sessions (scenario, scenario_path, kind, created, settings) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (scenario, scenario_path, kind, _now(), json.dumps(settings)),
                )
                session_id = int(cursor.lastrowid or 0)
                for position, name in enumerate(teams):
                    db.execute(
                        "INSERT INTO teams (session_id, position, name) VALUES (?, ?, ?)",
                        (session_id, position, name),
                    )
                self._insert(
                    db,
                    session_id,
                    "started",
                    None,
                    {"scenario": scenario, "teams": teams, "settings": settings},
                )
                self._keep(db, session_id, 0, files)
                return session_id

        return self._retry(work)

    def _keep(
        self, db: sqlite3.Connection, session_id: int, since: int, files: Sequence[CaseFile]
    ) -> None:
        """Each text once (content-addressed), and which of them this session plays."""
        for file in files:
            digest = file.sha256
            db.execute(
                "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (digest, file.data)
            )
            db.execute(
                "INSERT OR REPLACE INTO session_files (session_id, since, role, key, path, "
                "sha256) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, since, file.role, file.key, file.path, digest),
            )

    def keep_files(self, session_id: int, files: Sequence[CaseFile]) -> None:
        """From the session's next event on, it plays these texts (the earlier stay stored)."""

        def work() -> None:
            with self._transaction() as db:
                since = db.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?", (session_id,)
                ).fetchone()[0]
                self._keep(db, session_id, int(since), files)

        self._retry(work)

    def _insert(
        self,
        db: sqlite3.Connection,
        session_id: int,
        type: EventType,
        team: str | None,
        data: dict[str, Any],
    ) -> Event:
        seq = db.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
        at = _now()
        text = json.dumps(data, ensure_ascii=False)
        db.execute(
            "INSERT INTO events (session_id, seq, at, type, team, data) VALUES (?, ?, ?, ?, ?, ?)",
            (session_id, seq, at, type, team, text),
        )
        # The data as a later read gives it back (tuples become lists, keys strings), so a
        # caller that keeps the returned events holds exactly what `events()` would return.
        return _event(int(seq), type, team, json.loads(text), at)

    @staticmethod
    def _check_newest(db: sqlite3.Connection, session_id: int, after: int | None) -> None:
        """Inside the write transaction (BEGIN IMMEDIATE: no other writer until it ends):
        refuse the write when the session has an event newer than `after`."""
        if after is None:
            return
        newest = int(
            db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
        )
        if newest > after:
            raise Stale(session_id, after, newest)

    def append(
        self,
        session_id: int,
        type: EventType,
        team: str | None = None,
        data: dict[str, Any] | None = None,
        *,
        expect_seq: int | None = None,
        after: int | None = None,
    ) -> Event:
        """Append one event and commit it before returning.

        `expect_seq` makes a retried write idempotent: if an event with that sequence number
        already exists, it is returned instead of writing a second copy. `after` guards the
        write (`Stale` when the session has an event newer than that number).
        """
        payload = data or {}

        def work() -> Event:
            with self._transaction() as db:
                if expect_seq is not None:
                    row = db.execute(
                        "SELECT seq, type, team, data, at FROM events "
                        "WHERE session_id = ? AND seq = ?",
                        (session_id, expect_seq),
                    ).fetchone()
                    if row is not None:
                        return _event(row[0], row[1], row[2], json.loads(row[3]), row[4])
                self._check_newest(db, session_id, after)
                return self._insert(db, session_id, type, team, payload)

        return self._retry(work)

    def append_many(
        self,
        session_id: int,
        events: Sequence[tuple[EventType, str | None, dict[str, Any]]],
        *,
        after: int | None = None,
    ) -> list[Event]:
        """Append several events, `(type, team, data)` each, in one transaction: all are
        committed before returning, or none is (`after` guards them as in `append`).

        For what is one act but several events (a ballot is one `rating` per criterion; a
        reason with its justification is a `note` and a `reason`): one commit instead of
        one per event, and never half a ballot in the log if the process dies midway.
        """

        def work() -> list[Event]:
            with self._transaction() as db:
                self._check_newest(db, session_id, after)
                return [
                    self._insert(db, session_id, type, team, data or {})
                    for type, team, data in events
                ]

        return self._retry(work) if events else []

    def record_run(
        self,
        scenario_id: str,
        scenario_path: str,
        team: str,
        run: Run,
        files: Sequence[CaseFile] = (),
    ) -> int:
        """Store a finished headless run as a `record` session (one transaction)."""
        from sim.session import choice_events

        def work() -> int:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO sessions (scenario, scenario_path, kind, created, settings) "
                    "VALUES (?, ?, 'record', ?, '{}')",
                    (scenario_id, scenario_path, _now()),
                )
                session_id = int(cursor.lastrowid or 0)
                db.execute(
                    "INSERT INTO teams (session_id, position, name) VALUES (?, 0, ?)",
                    (session_id, team),
                )
                self._insert(
                    db,
                    session_id,
                    "started",
                    None,
                    {"scenario": scenario_id, "teams": [team], "settings": {}},
                )
                self._keep(db, session_id, 0, files)
                for type, data in choice_events(run.steps):
                    self._insert(db, session_id, type, team, data)
                if run.finished:
                    self._insert(db, session_id, "finished", team, {"ending": run.ending})
                    self._insert(db, session_id, "finished", None, {})
                return session_id

        return self._retry(work)

    def append_team_run(
        self, session_id: int, team: str, run: Run, declared: bool = False
    ) -> list[Event]:
        """Add a team's whole run to an existing session, in one transaction.

        For a team that played on paper: a new team joins the session's list of teams (a name
        already there is refused, TeamTaken, inside the transaction, so two processes entering
        the same team cannot both succeed); a `declared` team — named when the class was set
        up, then played on paper — must be there and must not have played yet (else
        TeamTaken). Its moves (and, if it reached an ending, its `finished`) are appended.
        """
        from sim.session import choice_events  # not at import: opening the store loads no models

        def work() -> list[Event]:
            with self._transaction() as db:
                taken = db.execute(
                    "SELECT 1 FROM teams WHERE session_id = ? AND name = ?", (session_id, team)
                ).fetchone()
                written: list[Event] = []
                if declared:
                    played = db.execute(
                        "SELECT 1 FROM events WHERE session_id = ? AND team = ? "
                        "AND type IN ('choice', 'reason', 'finished') LIMIT 1",
                        (session_id, team),
                    ).fetchone()
                    if taken is None or played is not None:
                        raise TeamTaken(team)
                else:
                    if taken is not None:
                        raise TeamTaken(team)
                    position = db.execute(
                        "SELECT COALESCE(MAX(position), -1) + 1 FROM teams WHERE session_id = ?",
                        (session_id,),
                    ).fetchone()[0]
                    db.execute(
                        "INSERT INTO teams (session_id, position, name) VALUES (?, ?, ?)",
                        (session_id, position, team),
                    )
                    written.append(self._insert(db, session_id, "joined", team, {"paper": True}))
                for type, data in choice_events(run.steps):
                    written.append(self._insert(db, session_id, type, team, data))
                if run.finished:
                    written.append(
                        self._insert(db, session_id, "finished", team, {"ending": run.ending})
                    )
                return written

        return self._retry(work)

    # Reading ---------------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A page damaged after the check at open, or a foreign table, named in one line."""
        try:
            yield
        except sqlite3.Error as exc:
            raise problem_of(self.path, exc) from None

    def _data(self, text: Any, what: str) -> dict[str, Any]:
        """A stored JSON object, or a StoreError naming the damaged row."""
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, dict):
            raise StoreError(damaged(self.path, f"{what} is not readable data"))
        return value

    def events(self, session_id: int, after: int = 0) -> list[Event]:
        with self._reading():
            rows = self.db.execute(
                "SELECT seq, type, team, data, at FROM events WHERE session_id = ? AND seq > ? "
                "ORDER BY seq",
                (session_id, after),
            ).fetchall()
        return [
            _event(
                r[0], r[1], r[2], self._data(r[3], f"event {r[0]} of session {session_id}"), r[4]
            )
            for r in rows
        ]

    def _info(self, row: tuple[Any, ...]) -> SessionInfo:
        with self._reading():
            return self._read_info(row)

    def _read_info(self, row: tuple[Any, ...]) -> SessionInfo:
        session_id = int(row[0])
        teams = [
            r[0]
            for r in self.db.execute(
                "SELECT name FROM teams WHERE session_id = ? ORDER BY position", (session_id,)
            )
        ]
        count, finished = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(type = 'finished' AND team IS NULL), 0) "
            "FROM events WHERE session_id = ?",
            (session_id,),
        ).fetchone()
        return SessionInfo(
            session_id,
            row[1],
            row[3],
            teams,
            int(count),
            bool(finished),
            row[4],
            row[2],
            self._data(row[5], f"the settings of session {session_id}"),
        )

    def session(self, session_id: int) -> SessionInfo | None:
        with self._reading():
            row = self.db.execute(
                "SELECT id, scenario, scenario_path, kind, created, settings "
                "FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
        return self._info(row) if row else None

    def sessions(self) -> list[SessionInfo]:
        with self._reading():
            rows = self.db.execute(
                "SELECT id, scenario, scenario_path, kind, created, settings "
                "FROM sessions ORDER BY id"
            ).fetchall()
        return [self._info(row) for row in rows]

    def case_files(self, session_id: int) -> list[CaseFile]:
        """The texts the session plays now; [] for a session stored before they were kept.

        A text whose bytes no longer match their hash is damage, named as such: a report or
        a resumed class must not quietly play something else than what was played.
        """
        with self._reading():
            rows = self.db.execute(
                "SELECT f.role, f.key, f.path, f.sha256, b.data FROM session_files f "
                "LEFT JOIN blobs b ON b.sha256 = f.sha256 WHERE f.session_id = ? "
                "AND f.since = (SELECT MAX(since) FROM session_files WHERE session_id = ?) "
                "ORDER BY f.role, f.key",
                (session_id, session_id),
            ).fetchall()
        files = []
        for role, key, path, digest, data in rows:
            if not isinstance(data, bytes) or role not in ("case", "rubric"):
                raise StoreError(
                    damaged(
                        self.path, f"the stored text of {path} (session {session_id}) is missing"
                    )
                )
            file = CaseFile(role, str(key), str(path), data)
            if file.sha256 != digest:
                raise StoreError(
                    damaged(
                        self.path,
                        f"the stored text of {path} (session {session_id}) does not match its hash",
                    )
                )
            files.append(file)
        return files

    def case_logs(
        self, scenario: str, since: str | None = None, kinds: tuple[str, ...] = ()
    ) -> list[tuple[int, str, str, list[Event]]]:
        """Every session of a case with its log, as `(id, kind, created, events)`, in one
        ordered query: for `sim stats`, where 10,000 sessions must not cost 10,000 queries.

        `since` keeps sessions created at or after it (an ISO date or time, compared with the
        stored UTC time); `kinds` keeps those kinds only (all when empty). Choice and reason
        events, most of any log, carry only their `scene` and `choice` or `reason` here, read
        out by SQLite's JSON functions (a justification typed with a choice is left out);
        every other event carries all its data. Events carry no time (`at`): only the
        session's creation time is read.
        """
        from sim.session import Event  # not at import: opening the store loads no models

        sql = (
            "SELECT s.id, s.kind, s.created, e.seq, e.type, e.team, "
            "CASE WHEN e.type IN ('choice', 'reason') THEN NULL ELSE e.data END, "
            "CASE WHEN e.type IN ('choice', 'reason') THEN json_extract(e.data, '$.scene') END, "
            "CASE e.type WHEN 'choice' THEN json_extract(e.data, '$.choice') "
            "WHEN 'reason' THEN json_extract(e.data, '$.reason') END "
            "FROM sessions AS s JOIN events AS e ON e.session_id = s.id WHERE s.scenario = ?"
        )
        params: list[Any] = [scenario]
        if since is not None:
            sql += " AND s.created >= ?"
            params.append(since)
        if kinds:
            sql += f" AND s.kind IN ({', '.join('?' for _ in kinds)})"
            params += list(kinds)
        sql += " ORDER BY s.id, e.seq"
        logs: list[tuple[int, str, str, list[Event]]] = []
        current: list[Event] = []
        last = None
        loads = json.loads
        with self._reading():
            rows = self.db.execute(sql, params).fetchall()
        for sid, kind, created, seq, type_, team, text, scene, move in rows:
            if sid != last:
                last, current = sid, []
                logs.append((int(sid), str(kind), str(created), current))
            if text is None:
                data: Any = {"scene": scene, type_: move}
            else:
                try:
                    data = loads(text)
                except (TypeError, ValueError):
                    data = None
                if type(data) is not dict:
                    data = self._data(text, f"event {seq} of session {sid}")  # names it
            current.append(Event(seq, type_, team, data))
        return logs

    # Copying between stores (`sim store copy`) ---------------------------------------------

    def store_id(self) -> str:
        def work() -> str:
            with self._transaction() as db:
                db.execute(
                    "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('store_id', ?)",
                    (uuid.uuid4().hex,),
                )
                return str(
                    db.execute("SELECT value FROM store_meta WHERE key = 'store_id'").fetchone()[0]
                )

        return self._retry(work)

    def copied_origins(self) -> set[str]:
        with self._reading():
            return {str(r[0]) for r in self.db.execute("SELECT origin FROM origins")}

    def export_session(self, session_id: int) -> SessionCopy:
        info = self.session(session_id)
        if info is None:
            raise StoreError(f"there is no session {session_id} in {self.path}")
        with self._reading():
            origin = self.db.execute(
                "SELECT origin FROM origins WHERE session_id = ?", (session_id,)
            ).fetchone()
            rows = self.db.execute(
                "SELECT f.since, f.role, f.key, f.path, f.sha256, b.data FROM session_files f "
                "JOIN blobs b ON b.sha256 = f.sha256 WHERE f.session_id = ? "
                "ORDER BY f.since, f.role, f.key",
                (session_id,),
            ).fetchall()
        files = [(int(r[0]), CaseFile(r[1], str(r[2]), str(r[3]), bytes(r[5]))) for r in rows]
        return SessionCopy(
            origin=str(origin[0]) if origin else f"{self.store_id()}#{session_id}",
            scenario=info.scenario,
            scenario_path=info.scenario_path,
            kind=info.kind,
            created=info.created,
            settings=info.settings,
            teams=info.teams,
            events=[
                StoredEvent(e.seq, e.at, e.type, e.team, dict(e.data))
                for e in self.events(session_id)
            ],
            files=files,
        )

    def import_session(self, copy: SessionCopy) -> int:
        def work() -> int:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO sessions (scenario, scenario_path, kind, created, settings) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        copy.scenario,
                        copy.scenario_path,
                        copy.kind,
                        copy.created,
                        json.dumps(copy.settings, ensure_ascii=False),
                    ),
                )
                session_id = int(cursor.lastrowid or 0)
                db.executemany(
                    "INSERT INTO teams (session_id, position, name) VALUES (?, ?, ?)",
                    [(session_id, n, name) for n, name in enumerate(copy.teams)],
                )
                db.executemany(
                    "INSERT INTO events (session_id, seq, at, type, team, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (session_id, e.seq, e.at, e.type, e.team,
                         json.dumps(e.data, ensure_ascii=False))
                        for e in copy.events
                    ],
                )  # fmt: skip
                for since, file in copy.files:
                    self._keep(db, session_id, since, [file])
                db.execute(
                    "INSERT INTO origins (origin, session_id) VALUES (?, ?)",
                    (copy.origin, session_id),
                )
                return session_id

        return self._retry(work)

    def change_feed(self) -> AsyncIterator[tuple[int, int]] | None:
        """SQLite cannot push another process's commit: callers poll `change_marker`."""
        return None

    def change_marker(self, session_id: int) -> int:
        """A number that changes when another connection commits (SQLite's `data_version`):
        the web face's cue to re-read a class, without reading the log to find out."""
        with self._reading():
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def backup(self, target: Path) -> None:
        """A consistent copy via SQLite's online backup, never a file copy of a live database."""
        destination = sqlite3.connect(target)
        try:
            self.db.backup(destination)
        finally:
            destination.close()

    @property
    def where(self) -> str:
        return str(self.path)

    def reopen(self) -> SqliteStore:
        return SqliteStore(self.path)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: Path | None = None) -> Store:
    """The sessions' store: the SQLite file `path` when given; else the PostgreSQL database
    named by SIM_DATABASE_URL when it is set; else the data folder's SQLite file (`SIM_HOME`,
    else the platform's user data folder)."""
    if path is None and (url := database_url()) is not None:
        return open_postgres(url)
    return SqliteStore(path or database_path())


def open_postgres(url: str, *, wait: float | None = None) -> Store:
    """The PostgreSQL store at `url`; a StoreError in one line when it cannot be used. A
    server that cannot be reached yet is waited for up to `wait` seconds (None: the store's
    own deadline, said once on stderr; 0: one attempt)."""
    shown = mask_url(url)
    if not is_postgres_url(url):
        raise StoreError(
            f"SIM_DATABASE_URL is {shown}, which is not a PostgreSQL URL; write it as "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or unset it to keep sessions in "
            "the data folder"
        )
    try:
        from sim.store.postgres import PostgresStore
    except ImportError as missing:
        raise StoreError(
            f"SIM_DATABASE_URL names a PostgreSQL database ({shown}) but the PostgreSQL driver "
            f"is not installed ({missing.name or missing}); install the extra into sim's "
            f"environment: {sys.executable} -m pip install 'sim[postgres]' (or psycopg[binary] "
            "psycopg-pool), or unset SIM_DATABASE_URL"
        ) from None
    return PostgresStore(url, wait=wait)
