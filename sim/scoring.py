"""Pure scoring: automatic scores from a run's evidence, human ratings, classroom totals.

Follows FORMAT.md's scoring semantics exactly; numbers keep full precision (round only to
display). Every criterion result carries the evidence that produced it, so a student can see
which choice or reason earned what.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sim.engine import Step
from sim.model import Choice, Level, Reason, Rubric, Scenario

Source = Literal["choice", "reason", "ending"]


@dataclass(frozen=True)
class Evidence:
    """Points one criterion received from one choice or reason."""

    rubric: str
    criterion: str
    points: float
    scene: str
    source: Source
    item: str
    """The id of the choice, reason or ending."""
    mismatched: bool = False
    """A reason given for a choice it does not support: scored at the lowest level."""


@dataclass(frozen=True)
class CriterionResult:
    rubric: str
    criterion: str
    weight: float
    score: float | None
    level: Level | None
    evidence: tuple[Evidence, ...]

    @property
    def observed(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class RubricResult:
    rubric: Rubric
    percent: float | None
    """None when no criterion was observed."""
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class Scorecard:
    overall: float | None
    rubrics: dict[str, RubricResult]


def level_for(rubric: Rubric, score: float) -> Level:
    """The level whose points are nearest to the score; an exact tie goes to the higher."""
    return min(rubric.levels, key=lambda level: (abs(level.points - score), -level.points))


def auto_rubrics(scenario: Scenario, rubrics: Mapping[str, Rubric]) -> list[Rubric]:
    """The scenario's rubrics scored from evidence, in the scenario's order."""
    return [rubrics[r] for r in scenario.rubrics if r in rubrics and rubrics[r].is_auto]


def collect_evidence(
    scenario: Scenario,
    rubrics: Mapping[str, Rubric],
    steps: Iterable[Step],
    ending: str | None = None,
) -> list[Evidence]:
    """The evidence of every choice and reason along a path, with the mismatch rule applied,
    then the evidence of the ending the path reached (if it gives any)."""
    found: list[Evidence] = []
    for step in steps:
        scene = scenario.scenes[step.scene]
        choice = scene.choice_by_id[step.choice]
        found += _expand(rubrics, choice.evidence, step.scene, "choice", choice.id, False)
        if step.reason is not None:
            reason = scene.reason_by_id[step.reason]
            mismatched = step.choice not in reason.supports
            found += _expand(rubrics, reason.evidence, step.scene, "reason", reason.id, mismatched)
    reached = scenario.ending(ending) if ending is not None else None
    if reached is not None:
        found += _expand(rubrics, reached.evidence, "", "ending", reached.id, False)
    return found


def _expand(
    rubrics: Mapping[str, Rubric],
    evidence: Mapping[str, float],
    scene: str,
    source: Source,
    item: str,
    mismatched: bool,
) -> list[Evidence]:
    return [
        Evidence(rubric_id, target, value, scene, source, item, mismatched)
        for rubric_id, target, value in evidence_points(rubrics, evidence, mismatched)
    ]


def evidence_points(
    rubrics: Mapping[str, Rubric], evidence: Mapping[str, float], mismatched: bool = False
) -> list[tuple[str, str, float]]:
    """(rubric, criterion, points) for each criterion one `evidence:` mapping reaches, in
    order: `rubric.criterion` one criterion, a bare `rubric` each of its criteria; a rubric
    not in `rubrics` is skipped, and a mismatched reason gives the rubric's lowest level."""
    result = []
    for key, points in evidence.items():
        rubric_id, _, criterion_id = key.partition(".")
        rubric = rubrics.get(rubric_id)
        if rubric is None:
            continue
        value = rubric.lowest if mismatched else points
        if criterion_id:
            result.append((rubric_id, criterion_id, value))
        else:
            result += [(rubric_id, c.id, value) for c in rubric.criteria]
    return result


def rubric_percent(rubric: Rubric, scores: Mapping[str, float | None]) -> float | None:
    """Σ w·pct(s) / Σ w over the criteria that have a score.

    pct is the rubric's declared level → percent mapping, interpolated between levels
    (linear by default: 100·(s − lo)/(hi − lo), as format 1 first defined it).
    """
    total = weights = 0.0
    for criterion in rubric.criteria:
        score = scores.get(criterion.id)
        if score is None:
            continue
        total += criterion.weight * rubric.percent_of(score)
        weights += criterion.weight
    return total / weights if weights else None


def weighted_overall(scenario: Scenario, percents: Mapping[str, float | None]) -> float | None:
    """The `rubric_weights`-weighted mean of the rubric percents that exist (default weight 1)."""
    total = weights = 0.0
    for rubric_id, percent in percents.items():
        if percent is None:
            continue
        weight = scenario.rubric_weights.get(rubric_id, 1.0)
        total += weight * percent
        weights += weight
    return total / weights if weights else None


def score_path(
    scenario: Scenario,
    rubrics: Mapping[str, Rubric],
    steps: Sequence[Step],
    ending: str | None = None,
) -> Scorecard:
    """The automatic scorecard of a path; `ending` adds the evidence of the ending reached."""
    evidence = collect_evidence(scenario, rubrics, steps, ending)
    results: dict[str, RubricResult] = {}
    for rubric in auto_rubrics(scenario, rubrics):
        criteria = []
        scores: dict[str, float | None] = {}
        for criterion in rubric.criteria:
            mine = tuple(
                e for e in evidence if e.rubric == rubric.id and e.criterion == criterion.id
            )
            score = statistics.fmean(e.points for e in mine) if mine else None
            scores[criterion.id] = score
            level = level_for(rubric, score) if score is not None else None
            criteria.append(
                CriterionResult(rubric.id, criterion.id, criterion.weight, score, level, mine)
            )
        results[rubric.id] = RubricResult(rubric, rubric_percent(rubric, scores), tuple(criteria))
    overall = weighted_overall(scenario, {k: v.percent for k, v in results.items()})
    return Scorecard(overall, results)


def well_used(rubrics: Mapping[str, Rubric], evidence: Mapping[str, float]) -> bool:
    """Whether a choice's or reason's evidence lies at or above its rubrics' midpoint.

    Each evidence value is placed on its rubric's scale (lowest 0, highest 1) and the mean
    must be at least 0.5: on a 1-4 scale, 3s and 4s apply a concept, 1s and 2s only touch it.
    Evidence without a known auto rubric is ignored; no such evidence counts as well used.
    """
    fractions = []
    for key, points in evidence.items():
        rubric = rubrics.get(key.partition(".")[0])
        if rubric is None or not rubric.is_auto or rubric.highest == rubric.lowest:
            continue
        fractions.append((points - rubric.lowest) / (rubric.highest - rubric.lowest))
    return not fractions or statistics.fmean(fractions) >= 0.5


def knowledge_touched(
    scenario: Scenario, steps: Iterable[Step], rubrics: Mapping[str, Rubric] | None = None
) -> tuple[set[str], set[str]]:
    """Knowledge points applied along a path, and those only touched (misapplied).

    A choice or a supporting reason applies its knowledge points when it is well used (see
    `well_used`; without `rubrics`, always); a weak one (a voucher offered in the name of
    customer value) only touches them. A mismatched reason applies and touches none. A point
    applied anywhere on the path is applied, not misapplied.
    """
    taught: set[str] = set()
    touched: set[str] = set()
    for step in steps:
        scene = scenario.scenes[step.scene]
        choice = scene.choice_by_id[step.choice]
        items: list[Choice | Reason] = [choice]
        if step.reason is not None:
            reason = scene.reason_by_id[step.reason]
            if step.choice in reason.supports:
                items.append(reason)
        for item in items:
            if rubrics is None or well_used(rubrics, item.evidence):
                taught.update(item.knowledge)
            else:
                touched.update(item.knowledge)
    return taught, touched - taught


def knowledge_taught(
    scenario: Scenario, steps: Iterable[Step], rubrics: Mapping[str, Rubric] | None = None
) -> set[str]:
    """Knowledge points applied along a path (docs/FORMAT.md: only when used well).

    A mismatched reason applies none; with `rubrics`, a choice or reason whose evidence lies
    below its rubrics' midpoint applies none either (it is shown as misapplied).
    """
    return knowledge_touched(scenario, steps, rubrics)[0]


# Human ratings -------------------------------------------------------------------------------

RaterKind = Literal["instructor", "peer", "self"]
Policy = Literal["course", "median", "trimmed"]
POLICIES: tuple[Policy, ...] = ("course", "median", "trimmed")


@dataclass(frozen=True)
class Rating:
    """One rater's level for one team on one criterion."""

    team: str
    rater_kind: RaterKind
    rater: str
    """The instructor's name, or the rating team's name for a peer rating."""
    rubric: str
    criterion: str
    points: float


class RatingError(ValueError):
    pass


def check_rating(rating: Rating, rubric: Rubric) -> None:
    """Refuse a team rating itself as a peer, and points that are not one of the levels."""
    if rating.rater_kind == "peer" and rating.rater == rating.team:
        raise RatingError(f"team {rating.team} cannot rate itself")
    if rubric.criterion(rating.criterion) is None:
        raise RatingError(f"rubric `{rubric.id}` has no criterion `{rating.criterion}`")
    if rating.points not in [level.points for level in rubric.levels]:
        points = ", ".join(f"{level.points:g}" for level in rubric.levels)
        raise RatingError(f"{rating.points:g} is not a level of `{rubric.id}` ({points})")


def _centre(values: list[float], policy: Policy) -> float:
    if policy == "median":
        return statistics.median(values)
    if policy == "trimmed" and len(values) >= 3:
        values = sorted(values)[1:-1]
    return statistics.fmean(values)


def aggregate(ratings: Iterable[Rating], policy: Policy = "course") -> float | None:
    """One team's final points on one criterion.

    course: mean(mean(peer), mean(instructor)); one side alone if the other has none.
    median / trimmed: the same, with each side's median or trimmed mean (highest and lowest
    dropped when a side has three or more ratings). Self-ratings are not counted.
    """
    sides = []
    for kind in ("peer", "instructor"):
        values = [r.points for r in ratings if r.rater_kind == kind]
        if values:
            sides.append(_centre(values, policy))
    return statistics.fmean(sides) if sides else None


def human_scores(
    rubric: Rubric, ratings: Sequence[Rating], team: str, policy: Policy = "course"
) -> tuple[dict[str, float | None], float | None]:
    """Per-criterion finals and the rubric percent of one team's human ratings."""
    finals: dict[str, float | None] = {}
    for criterion in rubric.criteria:
        mine = [
            r
            for r in ratings
            if r.team == team and r.rubric == rubric.id and r.criterion == criterion.id
        ]
        finals[criterion.id] = aggregate(mine, policy)
    return finals, rubric_percent(rubric, finals)


def classroom_total(
    auto: float | None, human: float | None, auto_weight: float = 0.5, human_weight: float = 0.5
) -> float | None:
    """auto_weight·auto + human_weight·human; one part alone when the other is missing."""
    if auto is None:
        return human
    if human is None:
        return auto
    return auto_weight * auto + human_weight * human
