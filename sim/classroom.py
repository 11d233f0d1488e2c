"""A classroom session: teams take turns, the class rates, the instructor runs the debrief.

The method (PRODUCT.md, steps 1–6) as a pure state machine over the session's event log:
`phase()` says what the class does next — a team's turn, the side-by-side reveal of a round,
the rating, or the debrief — derived from the events alone, so a session killed at any moment
resumes exactly where it stopped. Every move is committed to the store before it counts.
The screens call this; it holds no widgets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec, TypeVar

from sim import order as option_order
from sim.cases import Case
from sim.debrief import (
    DEFAULT_SETTINGS,
    SessionResult,
    expected_raters,
    session_result,
    settings_of,
)
from sim.engine import Run, available_choices, choose, give_reason
from sim.model import Choice, Reason, Rubric
from sim.order import Seed, shown_order, team_seed
from sim.roster import Student, roster_data
from sim.scoring import POLICIES, RaterKind, Rating, RatingError, check_rating
from sim.session import SERVICE_EVENTS, Event, SessionState, fold, fold_on, live_events
from sim.store import Stale, Store

MIN_TEAMS = 2
MAX_TEAMS = 8
MAX_NAME = 40
MAX_NOTE = 500
MAX_SUMMARY = 4000
Mode = Literal["sequential", "round"]
MODES: tuple[Mode, ...] = ("sequential", "round")
WEIGHTS = (0.0, 0.5, 0.3, 0.7, 1.0)
"""The automatic part's share of the classroom total, in the order the debrief's `w` cycles
them: the course method (rated score only) first, then half and half."""

MOVE_ATTEMPTS = 3
"""How often a move is decided afresh when other writers keep storing events between its
check and its write (each attempt re-reads the log); then it is refused as `ClassMoved`."""

_P = ParamSpec("_P")
_R = TypeVar("_R")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class ClassError(ValueError):
    """A class that cannot be set up or a move the class cannot make, in the user's words.

    `code` and `values` let a screen say the same in its own language (`class.error.CODE`).
    """

    def __init__(self, message: str, code: str = "", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class ClassMoved(ClassError):
    """The class moved on while this move was being decided (another server or process
    stored an event first), and the move cannot simply be decided again: "next" or "undo"
    would then act on something the instructor never saw. Nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            "the class moved on meanwhile (another device or screen acted first); nothing was "
            "stored: look at the class again and repeat if still wanted",
            "moved",
        )


def _decided_afresh(move: Callable[_P, _R]) -> Callable[_P, _R]:
    """A move decided again on the re-read log when its guarded write found the session moved
    on (`Classroom._afresh`): its own checks then run on what is true now, so a turn another
    server already took is refused, as it would be in one process, and a move still allowed
    goes in after the other."""

    @functools.wraps(move)
    def again(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        room = args[0]
        assert isinstance(room, Classroom)
        return room._afresh(lambda: move(*args, **kwargs))

    return again


def clean_name(raw: str) -> str:
    """A team or member name safe for the screen and reports: no control or bidi characters."""
    return " ".join(_CONTROL.sub("", raw).split())[:MAX_NAME]


def parse_teams(spec: str) -> tuple[list[str], dict[str, list[str]]]:
    """`"Red (Li, Wang), Blue, Green"` → teams and their optional members.

    Commas separate teams (also the Chinese `，`); members go in parentheses after a team's
    name, separated by commas or `、`.
    """
    teams: list[str] = []
    members: dict[str, list[str]] = {}
    depth = 0
    current = ""
    parts: list[str] = []
    for char in spec.replace("，", ",").replace("（", "(").replace("）", ")"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    for part in parts:
        name, _, rest = part.partition("(")
        team = clean_name(name)
        if not team:
            if part.strip():
                raise ClassError(
                    f"a team needs a name before its members: `{part.strip()}`",
                    "unnamed",
                    part=part.strip(),
                )
            continue
        if team in teams:
            raise ClassError(f"team `{team}` is named twice", "twice", team=team)
        teams.append(team)
        people = [clean_name(p) for p in re.split(r"[,、;]", rest.rstrip(") "))]
        if any(people):
            members[team] = [p for p in people if p]
    if not MIN_TEAMS <= len(teams) <= MAX_TEAMS:
        raise ClassError(
            f"a class needs {MIN_TEAMS} to {MAX_TEAMS} teams, separated by commas "
            f'(got {len(teams)}): for example --teams "Red, Blue, Green"',
            "count",
            n=len(teams),
        )
    return teams, members


def _note(raw: str) -> str:
    """A team's justification as stored: one line, no control characters, bounded."""
    return " ".join(_CONTROL.sub(" ", raw).split())[:MAX_NOTE]


def clean_summary(raw: str) -> str:
    """The teacher's summary as stored: paragraphs kept, control characters removed, bounded."""
    lines = [" ".join(_CONTROL.sub(" ", line).split()) for line in raw.splitlines()]
    return "\n".join(lines).strip()[:MAX_SUMMARY]


@dataclass(frozen=True)
class Turn:
    """`team` is to choose (or, when its run has a pending choice, to say why)."""

    team: str
    round: int | None = None


@dataclass(frozen=True)
class Reveal:
    """Round mode: every team has answered decision `round`; the class sees them side by side."""

    round: int


@dataclass(frozen=True)
class Rate:
    """The class rates these teams (one team after its run, or all at the end of a round game)."""

    teams: tuple[str, ...]


@dataclass(frozen=True)
class Debrief:
    pass


Phase = Turn | Reveal | Rate | Debrief


def _advances(events: list[Event]) -> tuple[set[int], set[str]]:
    """Rounds revealed and teams whose rating the instructor has closed."""
    live, _ = live_events(events)
    rounds: set[int] = set()
    rated: set[str] = set()
    for event in live:
        if event.type == "setting" and "advance" in event.data:
            advance = event.data["advance"]
            if advance.get("round") is not None:
                rounds.add(int(advance["round"]))
            rated.update(str(t) for t in advance.get("rated", []))
    return rounds, rated


def skipped_of(state: SessionState) -> frozenset[str]:
    """Teams the instructor skipped (a device dropped): they owe no more answers."""
    return frozenset(str(t) for t in state.settings.get("skipped") or ())


def phase_of(order: list[str], state: SessionState, events: list[Event], mode: str) -> Phase:
    """What the class does next, from the events alone.

    A skipped team is passed over as if its run had ended: the class rates what it played and
    its run stays unfinished in the debrief."""
    rounds, rated = _advances(events)
    skipped = skipped_of(state)
    runs = {name: state.teams[name].run for name in order if name in state.teams}
    if mode == "round":
        current = 0
        while current in rounds:
            current += 1
        for name in order:
            run = runs[name]
            if name not in skipped and not run.finished and len(run.steps) <= current:
                return Turn(name, current)
        if any(len(run.steps) > current for run in runs.values()):
            return Reveal(current)
        unrated = tuple(n for n in order if n not in rated)
        return Rate(unrated) if unrated else Debrief()
    for name in order:
        if not runs[name].finished and name not in skipped:
            return Turn(name)
        if name not in rated:
            return Rate((name,))
    return Debrief()


@dataclass
class Classroom:
    """One classroom session, always re-derived from its stored events."""

    case: Case
    store: Any
    """A `Store` (SQLite or PostgreSQL). Typed loosely for now: the web face (`sim serve`)
    still reads SqliteStore's own `path` and `db` here; once it uses `Store.reopen()` and
    LISTEN/NOTIFY (issue 21, item 2) this becomes `Store`."""
    session_id: int
    order: list[str]
    events: list[Event]
    state: SessionState
    _phase: Phase | None = field(default=None, init=False, repr=False, compare=False)
    _ratings: tuple[SessionState, dict[tuple[str, str, str, str, str], float]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # Opening ---------------------------------------------------------------------------------

    @classmethod
    def begin(
        cls,
        case: Case,
        store: Store,
        teams: list[str],
        members: dict[str, list[str]] | None = None,
        settings: dict[str, Any] | None = None,
        roster: list[Student] | None = None,
    ) -> Classroom:
        """A new class. A roster (already checked against these teams) is stored as the
        session's first `roster` event, before the class opens."""
        names = [clean_name(t) for t in teams]
        if len(set(names)) != len(names) or not all(names):
            raise ClassError("team names must be distinct and not empty")
        if not MIN_TEAMS <= len(names) <= MAX_TEAMS:
            raise ClassError(f"a class needs {MIN_TEAMS} to {MAX_TEAMS} teams")
        chosen = {
            "mode": "sequential",
            "feedback": "debrief",
            # Stored, so a later change of the default never changes an old class's totals.
            "auto_weight": DEFAULT_SETTINGS["auto_weight"],
            "human_weight": DEFAULT_SETTINGS["human_weight"],
            # Each team sees the options in its own order, drawn here and kept in the session.
            "order_seed": option_order.new_seed(),
            **(settings or {}),
        }
        if chosen["mode"] not in MODES:
            raise ClassError(f"unknown turn mode `{chosen['mode']}`: use sequential or round")
        if members:
            chosen["members"] = {t: list(m) for t, m in members.items() if t in names}
        if roster is not None and any(s.team not in names for s in roster):
            raise ClassError("the roster names a team that is not in this class")
        session_id = store.create_session(
            case.scenario.id, "classroom", names, case.stored_path, chosen, case.files
        )
        if roster is not None:
            store.append(session_id, "roster", None, roster_data(roster))
        return cls.resume(case, store, session_id)

    @classmethod
    def resume(cls, case: Case, store: Store, session_id: int) -> Classroom:
        info = store.session(session_id)
        if info is None:
            raise ClassError(f"there is no session {session_id} (see `sim sessions`)")
        if info.kind != "classroom":
            raise ClassError(f"session {session_id} is a {info.kind} session, not a class")
        if info.scenario != case.scenario.id:
            raise ClassError(
                f"session {session_id} is a class on `{info.scenario}`, not `{case.scenario.id}`"
            )
        events = store.events(session_id)
        return cls(case, store, session_id, list(info.teams), events, fold(case.scenario, events))

    def problems_with(self, case: Case) -> list[tuple[int, str]]:
        """The stored moves that would not replay in `case` (event number, why)."""
        return fold(case.scenario, self.events).problems

    def adopt(self, case: Case) -> None:
        """Play on with `case` (the case file edited since, chosen on resume): stored first,
        then used. Refused when a stored move no longer replays in it: none is dropped."""
        if case.scenario.id != self.case.scenario.id:
            raise ClassError(f"`{case.scenario.id}` is another case than `{self.case.scenario.id}`")
        problems = self.problems_with(case)
        if problems:
            seq, why = problems[0]
            raise ClassError(f"event {seq} no longer replays in the edited case: {why}")
        self.store.keep_files(self.session_id, case.files)
        self.case = case
        self._refresh()

    def refresh(self) -> None:
        """Re-read the log: another process (or another face of this one) may have written."""
        self._refresh()

    def _afresh(self, act: Callable[[], _R], seen: Callable[[], object] | None = None) -> _R:
        """Run `act` — a move's checks, then one guarded write (`_append`) — and, when another
        writer stored first (`Stale`: nothing was written), read what is new and run it again,
        up to MOVE_ATTEMPTS times; then `ClassMoved`. With `seen`, only while what it returns
        is still what it returned at first (the phase "next" moves on from, the move "undo"
        takes back): acting on something else would act on what the instructor never saw."""
        before = seen() if seen is not None else None
        for attempt in range(MOVE_ATTEMPTS):
            if attempt and seen is not None and seen() != before:
                raise ClassMoved()
            try:
                return act()
            except Stale:
                self.catch_up()
        raise ClassMoved()

    def catch_up(self) -> None:
        """Take in the events other writers stored since this room last read the log, folded
        onto the kept state (`_take`): what a server does on each sign of a change, without
        replaying the whole log each time."""
        self._take(self.store.events(self.session_id, after=self.newest))

    def _refresh(self) -> None:
        self.events = self.store.events(self.session_id)
        self.state = fold(self.case.scenario, self.events)
        self._phase = None

    @property
    def newest(self) -> int:
        """The sequence number of the newest event this room has read or written."""
        return self.events[-1].seq if self.events else 0

    def _append(self, type: Any, team: str | None, data: dict[str, Any]) -> None:
        """Store one event, guarded: `Stale` (nothing written) when another writer stored
        an event since this room last read the log (see `_decided_afresh`)."""
        self._take([self.store.append(self.session_id, type, team, data, after=self.newest)])

    def _append_many(self, events: list[tuple[Any, str | None, dict[str, Any]]]) -> None:
        """Several events that are one act, committed together (`Store.append_many`)."""
        if events:
            self._take(self.store.append_many(self.session_id, events, after=self.newest))

    def _take(self, stored: list[Event]) -> None:
        """Add events just stored to the kept log and state, without re-reading the log.

        Why: a served class stores an event per request, and re-reading and replaying the
        whole log each time made requests queue behind each other (issue 18). The state is
        carried on by `fold_on`, the fold's own steps, so it is what `fold` would give. When
        another connection wrote in between (the sequence numbers leave a gap), the log is
        read again instead."""
        if not stored:
            return
        newest = self.events[-1].seq if self.events else 0
        if stored[0].seq != newest + 1:
            self._refresh()
            return
        self.state = fold_on(self.case.scenario, self.state, self.events, stored)
        self.events = [*self.events, *stored]
        self._phase = None

    # What is going on ------------------------------------------------------------------------

    @property
    def settings(self) -> dict[str, Any]:
        return settings_of(self.state.settings)

    @property
    def mode(self) -> str:
        return str(self.settings["mode"])

    @property
    def members(self) -> dict[str, list[str]]:
        return dict(self.settings.get("members") or {})

    def phase(self) -> Phase:
        """What the class does next; kept until the log changes, since a served class asks it
        many times per request (every team's `may_move`) and it reads the whole log."""
        if self._phase is None:
            self._phase = phase_of(self.order, self.state, self.events, self.mode)
        return self._phase

    def run_of(self, team: str) -> Run:
        return self.state.teams[team].run

    def order_seed(self, team: str) -> Seed:
        """The seed of this team's option order; None (file order) for classes stored before."""
        seed = self.settings.get("order_seed")
        return team_seed(seed if isinstance(seed, int | str) else None, team)

    def choices(self, team: str) -> list[Choice]:
        """The choices on offer to `team`, in the order the team sees them."""
        run = self.run_of(team)
        if run.pending is not None:
            return []
        offered = available_choices(self.case.scenario, run)
        return shown_order(self.case.scenario, run.scene, "choices", offered, self.order_seed(team))

    def reasons(self, team: str) -> list[Reason]:
        """The reasons `team` picks from, in the order the team sees them."""
        run = self.run_of(team)
        if run.pending is None:
            return []
        scene = self.case.scenario.scenes[run.scene]
        return shown_order(
            self.case.scenario, run.scene, "reasons", scene.reasons, self.order_seed(team)
        )

    def result(self) -> SessionResult:
        return session_result(
            self.case.scenario, self.case.rubrics, self.case.classroom_rubrics, self.events
        )

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def skipped(self) -> frozenset[str]:
        return skipped_of(self.state)

    @property
    def paused(self) -> bool:
        """Whether the instructor paused the class (the newest `pause` event says so)."""
        for event in reversed(self.events):
            if event.type == "pause":
                return bool(event.data.get("paused"))
        return False

    @property
    def started(self) -> bool:
        """Whether play is open: False while the projector shows the opening briefing (the
        newest `briefing` event says `shown`), so devices read the case and take no moves.
        A class that never showed one (`sim serve`, or stored before) is open."""
        for event in reversed(self.events):
            if event.type == "briefing":
                return not event.data.get("shown")
        return True

    @_decided_afresh
    def show_briefing(self) -> bool:
        """The projector opens the class on its briefing: stored, so a restart keeps devices
        waiting until it is dismissed. Only before the first move; False (nothing stored) when
        a move was made or the briefing is already shown."""
        moved = any(e.type in ("choice", "reason", "rating") for e in self.events)
        if moved or self.finished or not self.started:
            return False
        self._append("briefing", None, {"shown": True})
        return True

    @_decided_afresh
    def open_play(self) -> bool:
        """The instructor dismissed the opening briefing: play is open. False (nothing stored)
        when it already was."""
        if self.started:
            return False
        self._append("briefing", None, {"shown": False})
        return True

    # Moves -----------------------------------------------------------------------------------

    def may_move(self, team: str) -> bool:
        """Whether `team` may choose or give a reason now.

        Sequential: only the team whose turn it is. Round: every team that still owes its
        answer to the current decision, in any order, so teams on their own devices answer
        at once; the one keyboard of the app still takes them in the order `phase` names.
        """
        phase = self.phase()
        if not isinstance(phase, Turn):
            return False
        if self.mode == "round" and phase.round is not None and team in self.order:
            run = self.run_of(team)
            return team not in self.skipped and not run.finished and len(run.steps) <= phase.round
        return phase.team == team

    def _turn(self, team: str) -> None:
        if not self.may_move(team):
            raise ClassError(f"it is not team {team}'s turn")

    @_decided_afresh
    def choose(self, team: str, choice_id: str, note: str = "", by_instructor: bool = False) -> Run:
        """Team `team` picks a choice, with an optional justification typed by the team (or
        entered for it by the instructor, `by_instructor`, and labelled so)."""
        self._turn(team)
        run = self.run_of(team)
        choose(self.case.scenario, run, choice_id)  # refuses before anything is stored
        data: dict[str, Any] = {"scene": run.scene, "choice": choice_id}
        text = _note(note)
        if text:
            data["note"] = text
            if by_instructor:
                data["note_by"] = "instructor"
        self._append("choice", team, data)
        return self.run_of(team)

    @_decided_afresh
    def give_reason(
        self, team: str, reason_id: str, note: str = "", by_instructor: bool = False
    ) -> Run:
        """The team says why; a justification typed now is stored in the reason's own event."""
        self._turn(team)
        run = self.run_of(team)
        give_reason(self.case.scenario, run, reason_id)
        data: dict[str, Any] = {"scene": run.scene, "reason": reason_id}
        text = _note(note)
        if text:
            # Stored in the reason's own event: undoing the reason undoes its justification.
            earlier = self.state.teams[team].notes.get(len(run.steps))
            joined = f"{earlier} / {text}" if earlier else text
            data["note"] = joined[:MAX_NOTE]
            if by_instructor:
                data["note_by"] = "instructor"
        self._append("reason", team, data)
        return self.run_of(team)

    def advance(self) -> None:
        """The instructor moves on from a reveal or a rating.

        Decided again when another writer got in first only if the class is still where the
        instructor saw it (the same phase): a second "next" from another screen that already
        moved the class on is `ClassMoved`, never a second step forward."""
        seen = self.phase()
        self._afresh(lambda: self._advance(seen), self.phase)

    def _advance(self, phase: Phase) -> None:
        if isinstance(phase, Reveal):
            self._append("setting", None, {"advance": {"round": phase.round}})
        elif isinstance(phase, Rate):
            self._append("setting", None, {"advance": {"rated": list(phase.teams)}})
        elif isinstance(phase, Debrief) and not self.finished:
            self._append("finished", None, {})

    @_decided_afresh
    def skip(self, team: str) -> None:
        """Pass over a team whose device dropped: it owes no more answers, its run stays
        unfinished. Stored as a setting, so `u` brings the team back."""
        if team not in self.order:
            raise ClassError(f"there is no team {team} in this class")
        if self.finished or team in self.skipped or self.run_of(team).finished:
            raise ClassError(f"team {team} is not playing", "not_playing", team=team)
        if not isinstance(self.phase(), Turn):
            raise ClassError("no team is answering now", "not_playing", team=team)
        self._append("setting", None, {"skipped": sorted(self.skipped | {team})})

    @_decided_afresh
    def pause(self, paused: bool) -> bool:
        """Pause or resume the class (devices and the projector show it); False when it
        already was so, and nothing is stored."""
        if paused == self.paused or self.finished:
            return False
        self._append("pause", None, {"paused": paused})
        return True

    @_decided_afresh
    def rate(
        self,
        team: str,
        rater_kind: RaterKind,
        rater: str,
        rubric: Rubric,
        criterion: str,
        points: float,
    ) -> None:
        """One rating (a later rating of the same criterion by the same rater corrects it)."""
        if rater_kind == "peer" and rater == team:
            raise ClassError("a team never rates itself")
        if (rater_kind, rater) not in self.raters_of(team):
            raise ClassError(f"{rater} does not rate team {team}")
        try:
            check_rating(Rating(team, rater_kind, rater, rubric.id, criterion, points), rubric)
        except RatingError as wrong:
            raise ClassError(str(wrong)) from None
        self._append(
            "rating",
            team,
            {
                "rater_kind": rater_kind,
                "rater": rater,
                "rubric": rubric.id,
                "criterion": criterion,
                "points": points,
            },
        )

    @_decided_afresh
    def rate_ballot(
        self,
        team: str,
        rater_kind: RaterKind,
        rater: str,
        ballot: list[tuple[Rubric, str, float]],
    ) -> int:
        """A whole ballot, `(rubric, criterion, points)` each: every rating is checked as
        `rate` checks it before any is stored, then those that change a level are stored in
        one transaction (a device's ballot is one act: one commit, never half of it).
        Returns how many were stored (0 when the ballot repeats what is stored)."""
        if rater_kind == "peer" and rater == team:
            raise ClassError("a team never rates itself")
        if (rater_kind, rater) not in self.raters_of(team):
            raise ClassError(f"{rater} does not rate team {team}")
        events: list[tuple[Any, str | None, dict[str, Any]]] = []
        for rubric, criterion, points in ballot:
            try:
                check_rating(Rating(team, rater_kind, rater, rubric.id, criterion, points), rubric)
            except RatingError as wrong:
                raise ClassError(str(wrong)) from None
            if self.rating(team, rater_kind, rater, rubric.id, criterion) == points:
                continue
            data = {
                "rater_kind": rater_kind,
                "rater": rater,
                "rubric": rubric.id,
                "criterion": criterion,
                "points": points,
            }
            events.append(("rating", team, data))
        self._append_many(events)
        return len(events)

    def rating(
        self, team: str, rater_kind: str, rater: str, rubric: str, criterion: str
    ) -> float | None:
        if self._ratings is None or self._ratings[0] is not self.state:
            # Indexed once per state: a served class asks for every ballot's every level on
            # each poll of every device.
            index: dict[tuple[str, str, str, str, str], float] = {
                (r.team, r.rater_kind, r.rater, r.rubric, r.criterion): r.points
                for r in self.state.ratings
            }
            self._ratings = (self.state, index)
            return index.get((team, rater_kind, rater, rubric, criterion))
        return self._ratings[1].get((team, rater_kind, rater, rubric, criterion))

    def raters_of(self, team: str) -> list[tuple[RaterKind, str]]:
        return expected_raters(team, self.order, self.settings)

    def summary(self, team: str | None) -> str:
        """The teacher's current summary of a team, or of the class when `team` is None."""
        if team is None:
            return self.state.class_summary
        return self.state.summaries.get(team, "")

    @_decided_afresh
    def summarize(self, team: str | None, text: str) -> bool:
        """Store the teacher's summary of a team (or of the class, `team=None`).

        Editing stores a new summary that supersedes the old one (kept in the log, and `u`
        brings it back); an empty text withdraws it. Returns False when nothing changed.
        """
        if team is not None and team not in self.order:
            raise ClassError(f"there is no team {team} in this class")
        text = clean_summary(text)
        if text == self.summary(team):
            return False
        self._append("summary", team, {"text": text})
        return True

    @_decided_afresh
    def attach_roster(self, students: list[Student]) -> None:
        """Store the class list (checked against the teams by `sim.roster.parse_roster`); it
        replaces any roster attached before."""
        if any(s.team not in self.order for s in students):
            raise ClassError("the roster names a team that is not in this class")
        self._append("roster", None, roster_data(students))

    @_decided_afresh
    def set(self, **values: Any) -> None:
        """Change a setting (gauges, weights, the human-score policy); stored, undoable."""
        if "policy" in values and values["policy"] not in POLICIES:
            raise ClassError(f"unknown policy `{values['policy']}`")
        self._append("setting", None, dict(values))

    def undo(self) -> Event | None:
        """Void the newest event that still counts (stored as a correction: nothing deleted).

        Undo takes back what the instructor saw last: when another writer got in first, it is
        decided again only if that is still the newest move, else `ClassMoved`."""

        def take_back() -> Event | None:
            last = self._last_undoable()
            if last is not None:
                self._append("correction", None, {"undo": last.seq})
            return last

        return self._afresh(take_back, self._last_undoable)

    def _last_undoable(self) -> Event | None:
        live, _ = live_events(self.events)
        # The roster is the class list, and `links`/`served` the web face's service records:
        # none is a move of the class, so `u` never takes them back.
        undoable = [
            e
            for e in live
            if e.type not in ("started", "joined", "roster") and e.type not in SERVICE_EVENTS
        ]
        return undoable[-1] if undoable else None


__all__ = [
    "ClassError",
    "ClassMoved",
    "Classroom",
    "Debrief",
    "Phase",
    "Rate",
    "Reveal",
    "Turn",
    "clean_name",
    "parse_teams",
    "phase_of",
]
