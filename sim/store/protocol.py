"""What the app needs from a store, so SQLite and PostgreSQL stand behind one interface."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sim.store.errors import StoreError as StoreError

if TYPE_CHECKING:
    # Types only: `sim` alone opens (and checks) the store before the models are loaded.
    from sim.engine import Run
    from sim.session import Event, EventType, SessionKind

SESSION_ID_MAX = 2**63 - 1
"""SQLite's largest integer: a larger id is no session's and cannot even be looked up."""


class TeamTaken(StoreError):
    """A team of that name is already in the session (a paper team must have a new name)."""

    def __init__(self, team: str) -> None:
        super().__init__(
            f"team `{team}` is already in this session; give the paper team its own name"
        )
        self.team = team


class Stale(Exception):
    """A guarded write found the session moved on: another process (or another handle) stored
    an event after the newest one the writer had seen. Nothing was written; the writer reads
    the log again and decides afresh (`Classroom`), so two servers of one class can never
    both accept moves that exclude each other."""

    def __init__(self, session_id: int, seen: int, newest: int) -> None:
        super().__init__(
            f"session {session_id} has event {newest}, newer than the {seen} this write saw"
        )
        self.session_id = session_id
        self.seen = seen
        self.newest = newest


@dataclass(frozen=True)
class SessionInfo:
    id: int
    scenario: str
    kind: SessionKind
    teams: list[str]
    events: int
    finished: bool
    created: str = ""
    scenario_path: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "kind": self.kind,
            "teams": self.teams,
            "events": self.events,
            "finished": self.finished,
        }


FileRole = Literal["case", "rubric"]


@dataclass(frozen=True)
class CaseFile:
    """One file a session was played with, byte for byte: the case or one of its rubrics.

    The store keeps each text once, by its SHA-256 (a case played 1,000 times is stored once),
    and remembers per session which text was the case and which its rubrics, by rubric id.
    """

    role: FileRole
    key: str
    """The scenario id for the case, the rubric id (as the case names it) for a rubric."""
    path: str
    """Where it was read from (absolute): named in messages, compared with the disk on resume."""
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """One event as stored, for copying a session between stores unchanged."""

    seq: int
    at: str
    type: str
    team: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class SessionCopy:
    """A whole session, as `sim store copy` moves it: its row, teams, events and every
    version of the texts it played (`since` as stored)."""

    origin: str
    """Where the session was first stored (`<store id>#<session id>`): the key that keeps a
    second copy from being written."""
    scenario: str
    scenario_path: str
    kind: str
    created: str
    settings: dict[str, Any]
    teams: list[str]
    events: list[StoredEvent]
    files: list[tuple[int, CaseFile]]


class Store(Protocol):
    patience: float
    """Seconds a call keeps retrying a dropped connection or a busy lock before it reports
    the error (30 by default: a command or the app waits out a database restart). A server
    sets it short, so that one request's wait never holds up every other (its event loop is
    one thread), and answers 503 instead."""

    def create_session(
        self,
        scenario: str,
        kind: SessionKind,
        teams: list[str],
        scenario_path: str = "",
        settings: dict[str, Any] | None = None,
        files: Sequence[CaseFile] = (),
    ) -> int: ...

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
        """Append one event, committed before it returns, with the session's next sequence
        number. With `expect_seq`, an event already stored under that number is returned
        instead of writing a second copy (a retried write). With `after` (the newest sequence
        number the writer has seen), nothing is written and `Stale` is raised when the
        session already has a newer event: the check and the write are one transaction."""
        ...

    def record_run(
        self,
        scenario_id: str,
        scenario_path: str,
        team: str,
        run: Run,
        files: Sequence[CaseFile] = (),
    ) -> int:
        """A finished headless run as a `record` session, in one transaction."""
        ...

    def append_team_run(
        self, session_id: int, team: str, run: Run, declared: bool = False
    ) -> list[Event]:
        """A new (paper) team and its whole run added to a session, in one transaction;
        `TeamTaken` if the name is in the session already. `declared`: the team was named at
        set-up and has not played yet (else `TeamTaken`); its run is added to it."""
        ...

    def append_many(
        self,
        session_id: int,
        events: Sequence[tuple[EventType, str | None, dict[str, Any]]],
        *,
        after: int | None = None,
    ) -> list[Event]:
        """Append `(type, team, data)` events in order, in one transaction (all or none), and
        return them as stored; `after` guards them as it does `append`. One act that is
        several events (a ballot: one `rating` per criterion) is then one commit, and never
        half in the log. The events get consecutive
        sequence numbers, as `append` called for each in turn would give; their `data` is as
        `events()` would read it back. An empty list stores nothing and returns []."""
        ...

    def events(self, session_id: int, after: int = 0) -> list[Event]:
        """The session's events in order; `after`: only those numbered above it (a server
        catching up reads what is new, not the whole log again)."""
        ...

    def session(self, session_id: int) -> SessionInfo | None: ...

    def sessions(self) -> list[SessionInfo]: ...

    def case_files(self, session_id: int) -> list[CaseFile]:
        """The texts the session plays now (its latest version); [] for a session stored
        before sessions kept them, which then finds its case by path or id."""
        ...

    def keep_files(self, session_id: int, files: Sequence[CaseFile]) -> None:
        """From the session's next event on, it plays these texts (the edited case, chosen on
        resume); the earlier version stays stored."""
        ...

    def case_logs(
        self, scenario: str, since: str | None = None, kinds: tuple[str, ...] = ()
    ) -> list[tuple[int, str, str, list[Event]]]: ...

    def store_id(self) -> str:
        """This store's own id (made once, kept): the first half of its sessions' origins."""
        ...

    def export_session(self, session_id: int) -> SessionCopy:
        """The whole session, for `sim store copy`."""
        ...

    def copied_origins(self) -> set[str]:
        """The origins of the sessions copied into this store."""
        ...

    def import_session(self, copy: SessionCopy) -> int:
        """Write a copied session under a new id, with its origin, in one transaction."""
        ...

    @property
    def schema_version(self) -> int: ...

    @property
    def where(self) -> str:
        """The store as messages name it: the file's path, or the URL with its password
        masked."""
        ...

    def change_marker(self, session_id: int) -> int:
        """A number that changes when the session may have changed under another writer."""
        ...

    def change_feed(self) -> AsyncIterator[tuple[int, int]] | None:
        """`(session id, newest seq)` of each session that gets events from any process,
        pushed as they commit (PostgreSQL's LISTEN/NOTIFY), for a server that shows classes
        live; first `(0, 0)` once it listens (from then on nothing is missed). None when
        the store cannot push (SQLite): the caller looks at `change_marker` instead. The
        iterator raises StoreError when its connection is lost."""
        ...

    def reopen(self) -> Store:
        """Another handle on the same store (for a thread of its own, e.g. a server's)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


def now() -> str:
    """An event's time as the store keeps it (UTC, ISO 8601, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def make_event(seq: int, type: EventType, team: str | None, data: dict[str, Any], at: str) -> Event:
    # Imported here: `sim` alone opens the store before the models load (cli.py, start-up).
    from sim.session import Event

    return Event(seq, type, team, data, at)
