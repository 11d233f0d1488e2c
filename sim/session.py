"""A session as an append-only event log, and what the log means (pure: no I/O).

Scores, runs and ratings are always derived from the events; nothing here is stored twice.
A correction voids an earlier event by its sequence number; nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def live_events(events: Iterable[Event]) -> tuple[list[Event], set[int]]:
    """The events that still count after corrections, and the voided sequence numbers."""
    events = list(events)
    voided = {int(e.data["undo"]) for e in events if e.type == "correction"}
    return [e for e in events if e.seq not in voided and e.type != "correction"], voided


def fold(scenario: Scenario, events: Iterable[Event]) -> SessionState:
    """Replay a session's log through the engine."""
    live, voided = live_events(events)
    teams: dict[str, TeamProgress] = {}
    ratings: dict[tuple[str, str, str, str, str], Rating] = {}
    finished = False
    last_live: int | None = None
    settings: dict[str, Any] = {}
    problems: list[tuple[int, str]] = []
    summaries: dict[str, str] = {}
    class_summary = ""
    roster: tuple[Student, ...] | None = None

    held: dict[str, tuple[int, str]] = {}
    """A `note` event (stored just before its reason, by classes before notes travelled with
    the reason) counts only with the reason stored next: if that was undone, so is the note."""

    def team(name: str) -> TeamProgress:
        if name not in teams:
            teams[name] = TeamProgress(name, start(scenario))
        return teams[name]

    for event in live:
        if event.type in SERVICE_EVENTS:
            continue
        if event.type == "started":
            for name in event.data.get("teams", []):
                team(name)
            settings.update(event.data.get("settings", {}))
            continue
        if event.type == "setting":
            settings.update(event.data)
        if event.type in ("joined",) and event.team:
            team(event.team)
        elif event.type == "choice" and event.team:
            progress = team(event.team)
            step = len(progress.run.steps)
            try:
                progress.run = choose(scenario, progress.run, str(event.data["choice"]))
            except MoveError as refused:
                problems.append((event.seq, refused.message))
                continue
            held.pop(event.team, None)
            progress.notes.pop(step, None)  # an undone move's justification is gone with it
            progress.entered.discard(step)
            if event.data.get("note"):  # a justification typed with the choice
                progress.notes[step] = str(event.data["note"])
                if event.data.get("note_by") == "instructor":
                    progress.entered.add(step)
        elif event.type == "reason" and event.team:
            progress = team(event.team)
            step = len(progress.run.steps)
            try:
                progress.run = give_reason(scenario, progress.run, str(event.data["reason"]))
            except MoveError as refused:
                problems.append((event.seq, refused.message))
                continue
            earlier = held.pop(event.team, None)
            if event.data.get("note"):  # the step's justification, given with the reason
                progress.notes[step] = str(event.data["note"])
                if event.data.get("note_by") == "instructor":
                    progress.entered.add(step)
            elif earlier is not None and earlier[0] == event.seq - 1:
                progress.notes[step] = earlier[1]
        elif event.type == "note" and event.team:
            team(event.team)
            held[event.team] = (event.seq, str(event.data.get("text", "")))
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
            ratings[key] = rating  # a later rating of the same thing corrects it
        elif event.type == "summary":
            # The teacher's word on a team (or, without a team, on the class). An edit is a
            # later summary that supersedes the earlier one; an empty one withdraws it.
            said = str(event.data.get("text", ""))
            if event.team:
                if said:
                    summaries[event.team] = said
                else:
                    summaries.pop(event.team, None)
            else:
                class_summary = said
        elif event.type == "roster":
            # The whole list each time: a later roster replaces (corrects) the earlier one.
            roster = roster_of(event.data)
            continue
        elif event.type == "finished":
            if event.team:
                team(event.team).finished = True
            else:
                finished = True
        last_live = event.seq
    return SessionState(
        teams,
        list(ratings.values()),
        finished,
        voided,
        last_live,
        settings,
        problems,
        summaries,
        class_summary,
        roster,
    )


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
    "fold_roster",
]
