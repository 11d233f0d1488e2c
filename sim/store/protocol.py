"""What the app needs from a store, so SQLite (and later a server database) stand behind it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    # Types only: `sim` alone opens (and checks) the store before the models are loaded.
    from sim.session import Event, EventType, SessionKind

SESSION_ID_MAX = 2**63 - 1
"""SQLite's largest integer: a larger id is no session's and cannot even be looked up."""


class StoreError(Exception):
    """The session database cannot be opened, read or written: one line that names it, says
    what is wrong and what to do. Never a driver's traceback."""


class TeamTaken(StoreError):
    """A team of that name is already in the session (a paper team must have a new name)."""

    def __init__(self, team: str) -> None:
        super().__init__(
            f"team `{team}` is already in this session; give the paper team its own name"
        )
        self.team = team


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


class Store(Protocol):
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
    ) -> Event: ...

    def append_many(
        self,
        session_id: int,
        events: Sequence[tuple[EventType, str | None, dict[str, Any]]],
    ) -> list[Event]:
        """Append `(type, team, data)` events in order, in one transaction (all or none), and
        return them as stored. One act that is several events (a ballot: one `rating` per
        criterion) is then one commit, and never half in the log. The events get consecutive
        sequence numbers, as `append` called for each in turn would give; their `data` is as
        `events()` would read it back. An empty list stores nothing and returns []."""
        ...

    def events(self, session_id: int) -> list[Event]: ...

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

    def close(self) -> None: ...
