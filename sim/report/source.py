"""Loading what a report is made from: a stored session, its case, its events and result."""

from __future__ import annotations

from dataclasses import dataclass

from sim.cases import Case, session_case
from sim.debrief import SessionResult, session_result
from sim.session import Event, fold
from sim.store import SessionInfo, Store


class ReportError(Exception):
    """A report cannot be made; the message says why in the user's terms."""


@dataclass(frozen=True)
class SessionSource:
    """A stored session with everything its reports are made from."""

    info: SessionInfo
    case: Case
    events: list[Event]
    result: SessionResult
    skipped: frozenset[int] = frozenset()
    """Sequence numbers of events the case no longer accepts."""


def load_session(store: Store, session_id: int) -> SessionSource:
    """A stored session with its case and what its events add up to."""
    info = store.session(session_id)
    if info is None:
        raise ReportError(f"no session {session_id}; `sim sessions` lists the stored ones")
    case = session_case(info, store)
    if case.scenario.id != info.scenario:
        raise ReportError(
            f"session {session_id} plays `{info.scenario}`, but {case.path} now holds "
            f"`{case.scenario.id}`"
        )
    events = store.events(session_id)
    result = session_result(case.scenario, case.rubrics, case.classroom_rubrics, events)
    # Moves the case no longer accepts (it was edited since the session) are skipped by the
    # fold; the reports say how many, rather than silently showing a shorter path.
    skipped = frozenset(seq for seq, _ in fold(case.scenario, events).problems)
    return SessionSource(info, case, events, result, skipped)
