"""A session as an append-only event log, and what the log means (pure: no I/O).

Scores, runs and ratings are always derived from the events; nothing here is stored twice.
A correction voids an earlier event by its sequence number; nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.engine import MoveError, Run, Step, choose, give_reason, start
from sim.model import Scenario
from sim.roster import Student, roster_of
from sim.scoring import Rating

EventType = Literal[
    "started",
    "joined",
    "choice",
    "reason",
    "note",
    "rating",
    "correction",
    "setting",
    "finished",
    "summary",
    "roster",
    "links",
    "served",
    "pause",
    "briefing",
]
"""`links` and `served` belong to the web face (`sim serve`): the class's capability tokens and
the address it was last served at, kept in the log so links survive a restart. `pause` says the
instructor paused (or resumed) the class, so every device and the projector show it. None is a
move: folding skips them and undo never reaches them (`u` must take back the last move, not
lift a pause). `briefing` says the projector shows the opening briefing (`{"shown": true}`)
or that the instructor dismissed it and opened play (`{"shown": false}`): devices play only
once it is open."""
SERVICE_EVENTS: frozenset[str] = frozenset({"links", "served", "pause", "briefing"})
SessionKind = Literal["practice", "classroom", "record"]


@dataclass(frozen=True)
class Event:
    """One thing that happened, in order: `seq` is its place in the session's log."""

    seq: int
    type: EventType
    team: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    at: str = ""


@dataclass
class TeamProgress:
    name: str
    run: Run
    notes: dict[int, str] = field(default_factory=dict)
    """Justifications, keyed by the step number they explain; each belongs to the move it was
    given with (a choice's `note`, a reason's `note`), so undoing the move undoes it."""
    finished: bool = False
    entered: set[int] = field(default_factory=set)
    """Steps whose justification the instructor entered for the team (its device dropped)."""


@dataclass
class SessionState:
    """Everything a session's events add up to."""

    teams: dict[str, TeamProgress]
    ratings: list[Rating]
    finished: bool
    voided: set[int]
    last_live: int | None
    """The newest event that is not voided and can be undone."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The session's settings: those it started with, updated by `setting` events."""
    problems: list[tuple[int, str]] = field(default_factory=list)
    """Events the case no longer accepts (it was edited since): skipped, with the reason."""
    summaries: dict[str, str] = field(default_factory=dict)
    """The teacher's summary of each team, by team name (a later one corrects the earlier)."""
    class_summary: str = ""
    """The teacher's summary of the whole class."""
    roster: tuple[Student, ...] | None = None
    """The students of each team, from the latest `roster` event; None when none was attached."""
    held: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Per team, a legacy `note` event waiting for its reason (see `_Folding.apply`): kept in
    the state so `fold_on` goes on from it as `fold` would."""


def live_events(events: Iterable[Event]) -> tuple[list[Event], set[int]]:
    """The events that still count after corrections, and the voided sequence numbers."""
    events = list(events)
    voided = {int(e.data["undo"]) for e in events if e.type == "correction"}
    return [e for e in events if e.seq not in voided and e.type != "correction"], voided


class _Folding:
    """The fold's running totals, and the one place that says what each event does to them.

    `fold` runs every live event through `apply`; `fold_on` starts from a kept state and runs
    only the new events through the same `apply`, so both paths mean the same by construction
    (and a test compares them after every event of random classes)."""

    def __init__(self, scenario: Scenario, state: SessionState | None = None) -> None:
        self.scenario = scenario
        if state is None:
            state = SessionState({}, [], False, set(), None)
        # Copies, so a state handed out before never changes under its holder's feet.
        self.teams = {
            name: TeamProgress(p.name, p.run, dict(p.notes), p.finished, set(p.entered))
            for name, p in state.teams.items()
        }
        self.held = dict(state.held)
        self.ratings: dict[tuple[str, str, str, str, str], Rating] = {
            (r.team, r.rater_kind, r.rater, r.rubric, r.criterion): r for r in state.ratings
        }
        self.finished = state.finished
        self.voided = set(state.voided)
        self.last_live = state.last_live
        self.settings = dict(state.settings)
        self.problems = list(state.problems)
        self.summaries = dict(state.summaries)
        self.class_summary = state.class_summary
        self.roster = state.roster

    def team(self, name: str) -> TeamProgress:
        if name not in self.teams:
            self.teams[name] = TeamProgress(name, start(self.scenario))
        return self.teams[name]

    def apply(self, event: Event) -> None:
        """One live event (never a correction: those are resolved before, by `live_events`)."""
        scenario = self.scenario
        if event.type in SERVICE_EVENTS:
            return
        if event.type == "started":
            for name in event.data.get("teams", []):
                self.team(name)
            self.settings.update(event.data.get("settings", {}))
            return
        if event.type == "setting":
            self.settings.update(event.data)
        if event.type in ("joined",) and event.team:
            self.team(event.team)
        elif event.type == "choice" and event.team:
            progress = self.team(event.team)
            step = len(progress.run.steps)
            try:
                progress.run = choose(scenario, progress.run, str(event.data["choice"]))
            except MoveError as refused:
                self.problems.append((event.seq, refused.message))
                return
            self.held.pop(event.team, None)
            progress.notes.pop(step, None)  # an undone move's justification is gone with it
            progress.entered.discard(step)
            if event.data.get("note"):  # a justification typed with the choice
                progress.notes[step] = str(event.data["note"])
                if event.data.get("note_by") == "instructor":
                    progress.entered.add(step)
        elif event.type == "reason" and event.team:
            progress = self.team(event.team)
            step = len(progress.run.steps)
            try:
                progress.run = give_reason(scenario, progress.run, str(event.data["reason"]))
            except MoveError as refused:
                self.problems.append((event.seq, refused.message))
                return
            earlier = self.held.pop(event.team, None)
            if event.data.get("note"):  # the step's justification, given with the reason
                progress.notes[step] = str(event.data["note"])
                if event.data.get("note_by") == "instructor":
                    progress.entered.add(step)
            elif earlier is not None and earlier[0] == event.seq - 1:
                progress.notes[step] = earlier[1]
        elif event.type == "note" and event.team:
            # A `note` stored just before its reason (classes before notes travelled with the
            # reason) counts only with the reason stored next: if that was undone, so is it.
            self.team(event.team)
            self.held[event.team] = (event.seq, str(event.data.get("text", "")))
        elif event.type == "rating" and event.team:
            rating = Rating(
                event.team,
                event.data["rater_kind"],
                str(event.data["rater"]),
                str(event.data["rubric"]),
                str(event.data["criterion"]),
                float(event.data["points"]),
            )
            key = (rating.team, rating.rater_kind, rating.rater, rating.rubric, rating.criterion)
            self.ratings[key] = rating  # a later rating of the same thing corrects it
        elif event.type == "summary":
            # The teacher's word on a team (or, without a team, on the class). An edit is a
            # later summary that supersedes the earlier one; an empty one withdraws it.
            said = str(event.data.get("text", ""))
            if event.team:
                if said:
                    self.summaries[event.team] = said
                else:
                    self.summaries.pop(event.team, None)
            else:
                self.class_summary = said
        elif event.type == "roster":
            # The whole list each time: a later roster replaces (corrects) the earlier one.
            self.roster = roster_of(event.data)
            return
        elif event.type == "finished":
            if event.team:
                self.team(event.team).finished = True
            else:
                self.finished = True
        self.last_live = event.seq

    def result(self) -> SessionState:
        return SessionState(
            self.teams,
            list(self.ratings.values()),
            self.finished,
            self.voided,
            self.last_live,
            self.settings,
            self.problems,
            self.summaries,
            self.class_summary,
            self.roster,
            self.held,
        )


def fold(scenario: Scenario, events: Iterable[Event]) -> SessionState:
    """Replay a session's log through the engine."""
    live, voided = live_events(events)
    folding = _Folding(scenario)
    folding.voided = voided
    for event in live:
        folding.apply(event)
    return folding.result()


def fold_on(
    scenario: Scenario, state: SessionState, events: Sequence[Event], new: Sequence[Event]
) -> SessionState:
    """`fold(scenario, [*events, *new])`, given `state == fold(scenario, events)`, without
    replaying `events` again.

    Why: a served class stores an event per request, and re-reading and replaying the whole
    log after each made the last ballots of a class wait behind each other (issue 18's p99).
    A new event only adds to what came before — except a correction, which voids an earlier
    event and so changes the past: with one among `new`, the whole log is folded again.
    """
    if any(event.type == "correction" for event in new):
        return fold(scenario, [*events, *new])
    folding = _Folding(scenario, state)
    for event in new:
        folding.apply(event)
    return folding.result()


def fold_roster(events: Iterable[Event]) -> tuple[Student, ...] | None:
    """The roster that counts (the latest `roster` event still live), without replaying the
    case: for the command that replaces it, and for anything that lists a session's students."""
    live, _ = live_events(events)
    rosters = [e for e in live if e.type == "roster"]
    return roster_of(rosters[-1].data) if rosters else None


def choice_events(run_steps: Iterable[Step]) -> list[tuple[EventType, dict[str, Any]]]:
    """The events that record a run's steps, for stores and tests."""
    out: list[tuple[EventType, dict[str, Any]]] = []
    for step in run_steps:
        out.append(("choice", {"scene": step.scene, "choice": step.choice}))
        if step.reason is not None:
            out.append(("reason", {"scene": step.scene, "reason": step.reason}))
    return out


__all__ = [
    "SERVICE_EVENTS",
    "Event",
    "MoveError",
    "SessionState",
    "TeamProgress",
    "choice_events",
    "fold",
    "fold_on",
    "fold_roster",
]
