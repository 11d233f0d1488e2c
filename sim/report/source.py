"""Loading what a report is made from: a stored session, its case, its events and result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.cases import Case, CaseError, load_case
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


def session_case(info: SessionInfo) -> Case:
    """The case a session was played on: the file it was loaded from, else its scenario id."""
    if info.scenario_path and Path(info.scenario_path).is_file():
        return load_case(Path(info.scenario_path))
    try:
        return load_case(info.scenario)
    except CaseError as problem:
        where = f" (it was loaded from {info.scenario_path})" if info.scenario_path else ""
        raise CaseError(
            f"session {info.id} plays case `{info.scenario}`{where}, which cannot be found "
            f"or loaded: {problem.message}",
            problem.findings,
        ) from None


def load_session(store: Store, session_id: int) -> SessionSource:
    """A stored session with its case and what its events add up to."""
    info = store.session(session_id)
    if info is None:
        raise ReportError(f"no session {session_id}; `sim sessions` lists the stored ones")
    case = session_case(info)
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
