"""What the app needs from a store, so SQLite (and later a server database) stand behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

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


class Store(Protocol):
    def create_session(
        self,
        scenario: str,
        kind: SessionKind,
        teams: list[str],
        scenario_path: str = "",
        settings: dict[str, Any] | None = None,
    ) -> int: ...

    def append(
        self,
        session_id: int,
        type: EventType,
        team: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Event: ...

    def events(self, session_id: int) -> list[Event]: ...

    def session(self, session_id: int) -> SessionInfo | None: ...

    def sessions(self) -> list[SessionInfo]: ...

    def case_logs(
        self, scenario: str, since: str | None = None, kinds: tuple[str, ...] = ()
    ) -> list[tuple[int, str, str, list[Event]]]: ...

    def close(self) -> None: ...
