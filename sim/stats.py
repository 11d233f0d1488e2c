"""What a case's stored sessions add up to across classes and terms (pure: no I/O).

`case_stats` takes the sessions of one case, already read from the store, and counts what
teams actually chose (the live log: corrections and undos never count), the endings they
reached, the levels the automatic scoring gave on finished runs, how peer teams rated
beside the instructor, and how far each option separates strong runs from weak ones.

Agreement is Krippendorff's alpha with the interval metric, written out here (about twenty
lines) rather than taken from the `krippendorff` package, whose only dependency is numpy: a
60 MB dependency for one sum of squares. `tests/test_stats.py` checks it against
Krippendorff's own worked example and against a hand computation.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sim.engine import MoveError, Run, Step, choose, give_reason, start
from sim.model import Rubric, Scenario
from sim.scoring import (
    Rating,
    auto_rubrics,
    collect_evidence,
    level_for,
    weighted_overall,
)
from sim.session import Event, live_events


@dataclass(frozen=True)
class StoredSession:
    """One session of the case as read from the store: what `case_stats` needs of it."""

    id: int
    kind: str
    created: str
    events: Sequence[Event]


@dataclass(frozen=True)
class TeamRun:
    """One team's run in one session, as its live events leave it."""

    session: int
    kind: str
    team: str
    steps: tuple[Step, ...]
    ending: str | None

    @property
    def finished(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True)
class ReasonCount:
    id: str
    count: int
    supports: bool


@dataclass(frozen=True)
class ChoiceCount:
    id: str
    count: int
    reasons: tuple[ReasonCount, ...]
    finished: int
    """Finished runs that took this choice here (the base of `mean_overall`)."""
    mean_overall: float | None
    """The mean automatic overall of those finished runs; None when there are none."""


@dataclass(frozen=True)
class DecisionCount:
    scene: str
    choices: tuple[ChoiceCount, ...]

    @property
    def spread(self) -> float | None:
        """Highest minus lowest `mean_overall` among the choices some finished run took:
        how far this decision separates strong runs from weak ones."""
        means = [c.mean_overall for c in self.choices if c.mean_overall is not None]
        return max(means) - min(means) if len(means) >= 2 else None


@dataclass(frozen=True)
class CriterionStats:
    rubric: str
    criterion: str
    levels: tuple[tuple[float, int], ...]
    """(level points, finished runs whose criterion score is nearest that level), low to high."""
    mean: float | None
    """The mean criterion score (level points, unrounded) over the runs that observed it."""
    observed: int
    not_observed: int


@dataclass(frozen=True)
class CriterionAgreement:
    rubric: str
    criterion: str
    ratings: int
    """Peer and instructor ratings of this criterion (self-ratings are not counted)."""
    teams: int
    """Rated teams with at least one peer and one instructor rating."""
    peer_mean: float | None
    instructor_mean: float | None
    peer_minus_instructor: float | None
    """Mean over those teams of (mean peer rating − mean instructor rating)."""
    alpha: float | None
    """Krippendorff's alpha (interval) over every rater of every rated team; None when it is
    undefined (fewer than two teams rated by two raters, or no variation at all)."""


@dataclass(frozen=True)
class Agreement:
    rubric: str
    classes: int
    criteria: tuple[CriterionAgreement, ...]
    alpha: float | None
    """Alpha over all criteria together (each team × criterion one unit)."""


@dataclass
class CaseStats:
    scenario: str
    sessions: int
    runs: int
    finished: int
    decisions: tuple[DecisionCount, ...]
    endings: dict[str, int]
    criteria: tuple[CriterionStats, ...]
    overall_mean: float | None
    agreement: tuple[Agreement, ...]
    filters: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        criteria: dict[str, dict[str, Any]] = {}
        for c in self.criteria:
            criteria.setdefault(c.rubric, {})[c.criterion] = {
                "levels": {f"{points:g}": n for points, n in c.levels},
                "mean": c.mean,
                "observed": c.observed,
                "not_observed": c.not_observed,
            }
        return {
            "scenario": self.scenario,
            "since": self.filters.get("since"),
            "kind": self.filters.get("kind"),
            "sessions": self.sessions,
            "runs": self.runs,
            "finished": self.finished,
            "decisions": [
                {
                    "scene": d.scene,
                    "choices": [
                        {
                            "id": c.id,
                            "count": c.count,
                            "reasons": [
                                {"id": r.id, "count": r.count, "supports": r.supports}
                                for r in c.reasons
                            ],
                        }
                        for c in d.choices
                    ],
                }
                for d in self.decisions
            ],
            "endings": dict(self.endings),
            "criteria": criteria,
            "overall": {"mean": self.overall_mean, "runs": self.finished},
            "separation": [
                {
                    "scene": d.scene,
                    "spread": d.spread,
                    "choices": [
                        {"id": c.id, "runs": c.finished, "mean_overall": c.mean_overall}
                        for c in d.choices
                    ],
                }
                for d in self.decisions
            ],
            "agreement": [
                {
                    "rubric": a.rubric,
                    "classes": a.classes,
                    "method": "krippendorff-alpha-interval",
                    "alpha": a.alpha,
                    "criteria": {
                        c.criterion: {
                            "ratings": c.ratings,
                            "teams": c.teams,
                            "peer_mean": c.peer_mean,
                            "instructor_mean": c.instructor_mean,
                            "peer_minus_instructor": c.peer_minus_instructor,
                            "alpha": c.alpha,
                        }
                        for c in a.criteria
                    },
                }
                for a in self.agreement
            ],
        }


# Agreement -----------------------------------------------------------------------------------


def _pair_squares(values: Sequence[float]) -> float:
    """Σ over ordered pairs i ≠ j of (v_i − v_j)², in one pass: 2(m·Σv² − (Σv)²)."""
    m = len(values)
    total = sum(values)
    return 2.0 * (m * sum(v * v for v in values) - total * total)


def krippendorff_alpha(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha, interval metric, for units each holding the values its raters
    gave (any number of raters per unit; missing ratings are simply absent).

    alpha = 1 − D_o / D_e, where D_o = Σ_u Σ_{i≠j∈u} (v_i − v_j)² / (m_u − 1) / n and
    D_e = Σ_{i≠j} (v_i − v_j)² over all n pairable values / (n (n − 1)); units with fewer
    than two values are not pairable. None when undefined (no pairable values, or D_e = 0).
    """
    pairable = [list(u) for u in units if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    if n < 2:
        return None
    observed = sum(_pair_squares(u) / (len(u) - 1) for u in pairable) / n
    everything = [v for u in pairable for v in u]
    expected = _pair_squares(everything) / (n * (n - 1))
    if expected <= 1e-12:
        return None
    return 1.0 - observed / expected


def _agreement(rubric: Rubric, rated: Sequence[tuple[int, list[Rating]]]) -> Agreement:
    """Peer-versus-instructor figures for one classroom rubric over every class's ratings."""
    classes = {session for session, ratings in rated if any(r.rubric == rubric.id for r in ratings)}
    criteria = []
    all_units: list[list[float]] = []
    for criterion in rubric.criteria:
        units: list[list[float]] = []
        peers: list[float] = []
        instructors: list[float] = []
        differences: list[float] = []
        for _session, ratings in rated:
            by_team: dict[str, list[Rating]] = {}
            for r in ratings:
                if (
                    r.rubric == rubric.id
                    and r.criterion == criterion.id
                    and r.rater_kind
                    in (
                        "peer",
                        "instructor",
                    )
                ):
                    by_team.setdefault(r.team, []).append(r)
            for team_ratings in by_team.values():
                peer = [r.points for r in team_ratings if r.rater_kind == "peer"]
                instructor = [r.points for r in team_ratings if r.rater_kind == "instructor"]
                peers += peer
                instructors += instructor
                units.append(peer + instructor)
                if peer and instructor:
                    differences.append(statistics.fmean(peer) - statistics.fmean(instructor))
        all_units += units
        criteria.append(
            CriterionAgreement(
                rubric.id,
                criterion.id,
                len(peers) + len(instructors),
                len(differences),
                statistics.fmean(peers) if peers else None,
                statistics.fmean(instructors) if instructors else None,
                statistics.fmean(differences) if differences else None,
                krippendorff_alpha(units),
            )
        )
    return Agreement(rubric.id, len(classes), tuple(criteria), krippendorff_alpha(all_units))


# Runs ----------------------------------------------------------------------------------------

_Known = tuple[Run, int, Step | None] | None
"""Where a move leads (the state, its key, the step it completes), or None for a move the
case refuses (it was edited since the session was played): skipped, as `fold` skips it."""


class _Replayer:
    """The engine's moves, each state's answer to each move computed once.

    A move's result depends only on where the run stands (scene, values, choices taken, the
    pending choice), never on the path that led there, so thousands of runs through one case
    share a few thousand transitions. The steps are kept apart, per run.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.states: dict[tuple[Any, ...], int] = {}
        self.start = replace(start(scenario), steps=())
        self.start_key = self._key(self.start)
        self.moves: dict[tuple[int, tuple[str, str]], _Known] = {}

    def _key(self, run: Run) -> int:
        """A small number for where the run stands (equal states, equal numbers)."""
        where = (run.scene, tuple(run.values.items()), run.chosen, run.pending, run.ending)
        return self.states.setdefault(where, len(self.states))

    def replay(self, moves: Sequence[tuple[str, str]]) -> tuple[tuple[Step, ...], str | None]:
        run, key = self.start, self.start_key
        steps: list[Step] = []
        for move in moves:
            if (key, move) in self.moves:
                known = self.moves[key, move]
            else:
                try:
                    kind, ident = move
                    moved = (choose if kind == "choice" else give_reason)(self.scenario, run, ident)
                    state = replace(moved, steps=())
                    known = (state, self._key(state), moved.steps[0] if moved.steps else None)
                except MoveError:
                    known = None
                self.moves[key, move] = known
            if known is None:
                continue
            run, key, step = known
            if step is not None:
                steps.append(step)
        return tuple(steps), run.ending


def team_runs(replayer: _Replayer, session: StoredSession) -> tuple[list[TeamRun], list[Rating]]:
    """Every team's run in a session, and the ratings that still count, from the live log.

    The same reading of the log as `sim.session.fold` (tests/test_stats.py holds them equal):
    corrections void what they undo, a later rating of the same thing corrects the earlier,
    and a move the case refuses is skipped; the rest of a session's state is not needed here.
    """
    live, _ = live_events(session.events)
    moves: dict[str, list[tuple[str, str]]] = {}
    ratings: dict[tuple[str, str, str, str, str], Rating] = {}
    for event in live:
        kind = event.type
        if kind == "started":
            for name in event.data.get("teams", []):
                moves.setdefault(name, [])
        elif not event.team:
            continue
        elif kind == "choice":
            moves.setdefault(event.team, []).append(("choice", str(event.data["choice"])))
        elif kind == "reason":
            moves.setdefault(event.team, []).append(("reason", str(event.data["reason"])))
        elif kind == "joined":
            moves.setdefault(event.team, [])
        elif kind == "rating":
            data = event.data
            rating = Rating(
                event.team,
                data["rater_kind"],
                str(data["rater"]),
                str(data["rubric"]),
                str(data["criterion"]),
                float(data["points"]),
            )
            ratings[
                rating.team, rating.rater_kind, rating.rater, rating.rubric, rating.criterion
            ] = rating
    runs = []
    for team, taken in moves.items():
        steps, ending = replayer.replay(taken)
        runs.append(TeamRun(session.id, session.kind, team, steps, ending))
    return runs, list(ratings.values())


@dataclass(frozen=True)
class _Card:
    """What the statistics need of a run's automatic scorecard."""

    overall: float | None
    scores: dict[tuple[str, str], float]
    """(rubric, criterion) → criterion score, for the observed criteria only."""


class _Scores:
    """Automatic scores as `sim.scoring.score_path` computes them, each step's evidence
    collected once: thousands of runs share a few hundred (scene, choice, reason) steps."""

    def __init__(self, scenario: Scenario, rubrics: Mapping[str, Rubric]) -> None:
        self.scenario = scenario
        self.rubrics = rubrics
        self.auto = auto_rubrics(scenario, rubrics)
        self.evidence: dict[Step | str, list[tuple[str, str, float]]] = {}
        self.cards: dict[tuple[tuple[Step, ...], str | None], _Card] = {}
        self.pct: dict[tuple[str, float], float] = {}
        self.levels: dict[tuple[str, float], float] = {}

    def _of_step(self, step: Step | str) -> list[tuple[str, str, float]]:
        found = self.evidence.get(step)
        if found is None:
            if isinstance(step, Step):
                items = collect_evidence(self.scenario, self.rubrics, [step])
            else:
                items = collect_evidence(self.scenario, self.rubrics, [], step)
            found = self.evidence[step] = [(e.rubric, e.criterion, e.points) for e in items]
        return found

    def _percent(self, rubric: Rubric, scores: Mapping[tuple[str, str], float]) -> float | None:
        """`sim.scoring.rubric_percent`, term for term, with each score's percent looked up
        once (a criterion score is the mean of a few levels: few distinct values)."""
        total = weights = 0.0
        for criterion in rubric.criteria:
            score = scores.get((rubric.id, criterion.id))
            if score is None:
                continue
            pct = self.pct.get((rubric.id, score))
            if pct is None:
                pct = self.pct[rubric.id, score] = rubric.percent_of(score)
            total += criterion.weight * pct
            weights += criterion.weight
        return total / weights if weights else None

    def level(self, rubric: Rubric, score: float) -> float:
        """The points of `level_for(rubric, score)`, looked up once per distinct score."""
        points = self.levels.get((rubric.id, score))
        if points is None:
            points = self.levels[rubric.id, score] = level_for(rubric, score).points
        return points

    def of(self, steps: tuple[Step, ...], ending: str | None) -> _Card:
        card = self.cards.get((steps, ending))
        if card is not None:
            return card
        points: dict[tuple[str, str], list[float]] = {}
        for part in (*steps, *((ending,) if ending is not None else ())):
            for rubric, criterion, value in self._of_step(part):
                points.setdefault((rubric, criterion), []).append(value)
        scores = {key: statistics.fmean(values) for key, values in points.items()}
        percents = {rubric.id: self._percent(rubric, scores) for rubric in self.auto}
        card = _Card(weighted_overall(self.scenario, percents), scores)
        self.cards[steps, ending] = card
        return card


def case_stats(
    scenario: Scenario,
    rubrics: Mapping[str, Rubric],
    classroom_rubrics: Mapping[str, Rubric],
    sessions: Iterable[StoredSession],
    filters: Mapping[str, Any] | None = None,
) -> CaseStats:
    """Count and score every team run of the case's sessions (already filtered by the caller)."""
    replayer = _Replayer(scenario)
    runs: list[TeamRun] = []
    rated: list[tuple[int, list[Rating]]] = []
    count = 0
    for session in sessions:
        count += 1
        mine, ratings = team_runs(replayer, session)
        runs += mine
        if ratings:
            rated.append((session.id, ratings))
    return summarise(scenario, rubrics, classroom_rubrics, runs, rated, count, filters)


def summarise(
    scenario: Scenario,
    rubrics: Mapping[str, Rubric],
    classroom_rubrics: Mapping[str, Rubric],
    runs: Sequence[TeamRun],
    rated: Sequence[tuple[int, list[Rating]]],
    sessions: int,
    filters: Mapping[str, Any] | None = None,
) -> CaseStats:
    scores = _Scores(scenario, rubrics)
    finished = [r for r in runs if r.finished]
    card_of = {id(r): scores.of(r.steps, r.ending) for r in finished}
    overall_of = {key: card.overall for key, card in card_of.items()}

    chosen: Counter[tuple[str, str]] = Counter()
    given: Counter[tuple[str, str, str]] = Counter()
    took: dict[tuple[str, str], list[float]] = {}
    for run in runs:
        overall = overall_of.get(id(run))
        for step in run.steps:
            chosen[step.scene, step.choice] += 1
            if step.reason is not None:
                given[step.scene, step.choice, step.reason] += 1
            if overall is not None:
                took.setdefault((step.scene, step.choice), []).append(overall)

    decisions = []
    for scene_id, scene in scenario.scenes.items():
        if not scene.choices:
            continue
        choices = []
        for choice in scene.choices:
            reasons = tuple(
                ReasonCount(
                    reason.id, given[scene_id, choice.id, reason.id], choice.id in reason.supports
                )
                for reason in scene.reasons
                if given[scene_id, choice.id, reason.id]
            )
            overalls = took.get((scene_id, choice.id), [])
            choices.append(
                ChoiceCount(
                    choice.id,
                    chosen[scene_id, choice.id],
                    reasons,
                    len(overalls),
                    statistics.fmean(overalls) if overalls else None,
                )
            )
        decisions.append(DecisionCount(scene_id, tuple(choices)))

    reached = Counter(r.ending for r in finished)
    endings = {e.id: reached[e.id] for e in scenario.endings}
    for other, n in reached.items():  # an ending the case no longer has (it was edited)
        if other is not None and other not in endings:
            endings[other] = n

    criteria = []
    for rubric_id in scenario.rubrics:
        rubric = rubrics.get(rubric_id)
        if rubric is None or not rubric.is_auto:
            continue
        for criterion in rubric.criteria:
            levels: Counter[float] = Counter()
            values: list[float] = []
            for run in finished:
                score = card_of[id(run)].scores.get((rubric_id, criterion.id))
                if score is not None:
                    values.append(score)
                    levels[scores.level(rubric, score)] += 1
            criteria.append(
                CriterionStats(
                    rubric_id,
                    criterion.id,
                    tuple(
                        (lv.points, levels[lv.points])
                        for lv in sorted(rubric.levels, key=lambda lv: lv.points)
                    ),
                    statistics.fmean(values) if values else None,
                    len(values),
                    len(finished) - len(values),
                )
            )

    overalls = [o for o in overall_of.values() if o is not None]
    agreement = (
        tuple(_agreement(rubric, rated) for rubric in classroom_rubrics.values()) if rated else ()
    )
    return CaseStats(
        scenario.id,
        sessions,
        len(runs),
        len(finished),
        tuple(decisions),
        endings,
        tuple(criteria),
        statistics.fmean(overalls) if overalls else None,
        agreement,
        dict(filters or {}),
    )


__all__ = [
    "Agreement",
    "CaseStats",
    "ChoiceCount",
    "CriterionAgreement",
    "CriterionStats",
    "DecisionCount",
    "ReasonCount",
    "StoredSession",
    "TeamRun",
    "case_stats",
    "krippendorff_alpha",
    "summarise",
    "team_runs",
]
