"""What a session adds up to, team by team: paths, endings, scores, ratings, knowledge.

Pure: the classroom screens, the debrief and the reports all show this same result, derived
from the event log every time.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.engine import Run, Step, start, take
from sim.model import Choice, Reason, Rubric, Scenario
from sim.roster import Student
from sim.scoring import (
    POLICIES,
    Policy,
    RaterKind,
    Rating,
    Scorecard,
    classroom_total,
    human_scores,
    knowledge_taught,
    score_path,
)
from sim.session import Event, fold

DEFAULT_SETTINGS: dict[str, Any] = {
    "lang": None,
    "mode": "sequential",  # or "round"
    "feedback": "debrief",  # "immediate", "end" (of the run) or "debrief" (classroom)
    # The course method's own total: the rated score (mean of the peers' mean and the
    # instructor's mean) is the grade; the automatic score is shown beside it as a second
    # opinion. `sim class --weights auto=50,rated=50` or `w` on the debrief change it.
    "auto_weight": 0.0,
    "human_weight": 1.0,
    "policy": "course",
    "instructors": ["instructor"],
    "gauges": True,
    "blind": True,  # the instructor's levels stay hidden on screen until the peers have rated
}


@dataclass(frozen=True)
class HumanResult:
    rubric: Rubric
    finals: dict[str, float | None]
    percent: float | None


@dataclass(frozen=True)
class MissingRating:
    rater_kind: str
    rater: str
    criterion: str


@dataclass
class TeamResult:
    team: str
    steps: tuple[Step, ...]
    ending: str | None
    finished: bool
    auto: Scorecard
    human: dict[str, HumanResult]
    human_percent: float | None
    total: float | None
    knowledge_applied: list[str]
    knowledge_missed: list[str]
    notes: dict[int, str]
    ratings: list[Rating]
    missing: list[MissingRating] = field(default_factory=list)
    summary: str = ""
    """The teacher's summary of this team ("" when none was written)."""
    entered: frozenset[int] = frozenset()
    """Steps whose justification the instructor entered for the team (its device dropped)."""
    awaiting_ratings: bool = False
    """Finished, in a class whose total counts ratings, but not rated by anyone yet: no total
    (the automatic score alone is not the grade the class was promised)."""


@dataclass
class SessionResult:
    teams: list[TeamResult]
    settings: dict[str, Any]
    diverged_at: int | None
    """The first step number (0-based) at which the teams' paths differ; None if they never do."""
    finished: bool
    class_summary: str = ""
    """The teacher's summary of the whole class."""
    roster: tuple[Student, ...] | None = None
    """The students attached to the teams (`sim roster`); None when no roster was attached."""


def student_names(result: SessionResult, team: str) -> list[str]:
    """The names of a team's students: the roster's when one is attached, else the members
    typed with the team at set-up (none when neither)."""
    if result.roster is not None:
        return [s.name for s in result.roster if s.team == team]
    members = result.settings.get("members")
    names = members.get(team) if isinstance(members, Mapping) else None
    if not isinstance(names, list):
        return []
    return [str(n) for n in names if isinstance(n, str) and n.strip()]


def settings_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**DEFAULT_SETTINGS, **raw}
    if merged["policy"] not in POLICIES:
        merged["policy"] = "course"
    return merged


def totals_formula(settings: Mapping[str, Any], lang: str) -> str:
    """How a class's totals are made (weights and rating formula), said on screen and in reports."""
    from sim.i18n import tr

    if float(settings["auto_weight"]) == 0:
        return tr(
            "debrief.weights_course",
            lang,
            policy=tr(f"debrief.policy.{settings['policy']}", lang),
        )
    return tr(
        "debrief.weights",
        lang,
        a=float(settings["auto_weight"]),
        h=float(settings["human_weight"]),
        policy=tr(f"debrief.policy.{settings['policy']}", lang),
    )


def percent_legend(rubric: Rubric, lang: str, default: str, title: str | None = None) -> str:
    """How this rubric's levels become percent, in one line: `优秀 4 → 100 · 熟练 3 → 80 …`.

    Shown wherever a percent is, so that "熟练, 熟练, 起步 = 66.7" is never a mystery.
    """
    from sim.i18n import tr
    from sim.model.text import localize

    pairs = " · ".join(
        f"{localize(level.label, lang, default)} {level.points:g} → {pct:g}"
        for level, (_, pct) in zip(
            sorted(rubric.levels, key=lambda lv: -lv.points),
            reversed(rubric.anchors),
            strict=True,
        )
    )
    weights = {c.weight for c in rubric.criteria}
    key = "legend.percent" if len(weights) <= 1 else "legend.percent_weighted"
    return tr(
        key,
        lang,
        title=title if title is not None else localize(rubric.title, lang, default),
        pairs=pairs,
        weights=" : ".join(
            f"{localize(c.title, lang, default)} {c.weight:g}" for c in rubric.criteria
        ),
    )


def percent_legends(rubrics: Iterable[Rubric], lang: str, default: str) -> list[str]:
    """`percent_legend` for several rubrics, those with the same scale, mapping and equal
    criterion weights said once with their titles joined."""
    from sim.model.text import localize

    groups: dict[tuple[object, ...], list[Rubric]] = {}
    lines: list[str] = []
    for rubric in rubrics:
        if len({c.weight for c in rubric.criteria}) > 1:
            lines.append(percent_legend(rubric, lang, default))
            continue
        levels = tuple((localize(lv.label, lang, default), lv.points) for lv in rubric.levels)
        groups.setdefault((levels, tuple(rubric.anchors)), []).append(rubric)
    joiner = "、" if lang == "zh" else ", "
    for members in groups.values():
        titles = joiner.join(localize(r.title, lang, default) for r in members)
        lines.append(percent_legend(members[0], lang, default, title=titles))
    return lines


class WeightsError(ValueError):
    """`--weights` that cannot be read, said in the user's words."""


def parse_weights(spec: str) -> tuple[float, float]:
    """`auto=50,rated=50` (percent or fractions, any order) → (auto, rated) shares summing to 1.

    One part alone takes the rest (`auto=30` means 30/70); both must be finite, not negative,
    and not both zero.
    """
    parts: dict[str, float] = {}
    for piece in spec.replace("，", ",").split(","):
        if not piece.strip():
            continue
        name, sep, value = piece.partition("=")
        name = name.strip().lower()
        if name == "human":
            name = "rated"
        if not sep or name not in ("auto", "rated"):
            raise WeightsError(
                f"`{piece.strip()}` is not a weight: write auto=N,rated=N (e.g. auto=50,rated=50)"
            )
        try:
            number = float(value)
        except ValueError:
            raise WeightsError(f"`{value.strip()}` is not a number in `{piece.strip()}`") from None
        if not 0 <= number <= 100:  # NaN fails this comparison too
            raise WeightsError(f"a weight lies between 0 and 100, not `{value.strip()}`")
        parts[name] = number
    if not parts:
        raise WeightsError("give at least one weight: auto=N,rated=N (e.g. auto=50,rated=50)")
    scale = 100.0 if any(v > 1 for v in parts.values()) else 1.0
    auto = parts.get("auto")
    rated = parts.get("rated")
    if auto is None:
        rated_share = (rated or 0.0) / scale
        return round(1 - rated_share, 4), round(rated_share, 4)
    if rated is None:
        auto_share = auto / scale
        return round(auto_share, 4), round(1 - auto_share, 4)
    if auto + rated == 0:
        raise WeightsError("the weights cannot both be 0")
    return round(auto / (auto + rated), 4), round(rated / (auto + rated), 4)


def expected_raters(
    team: str, teams: Iterable[str], settings: Mapping[str, Any]
) -> list[tuple[RaterKind, str]]:
    """Who should rate a team: every instructor, and every other team as a peer."""
    raters: list[tuple[RaterKind, str]] = [
        ("instructor", str(name)) for name in settings["instructors"]
    ]
    return raters + [("peer", other) for other in teams if other != team]


def session_result(
    scenario: Scenario,
    rubrics: Mapping[str, Rubric],
    classroom_rubrics: Mapping[str, Rubric],
    events: Iterable[Event],
) -> SessionResult:
    """Fold the events and score every team."""
    state = fold(scenario, events)
    settings = settings_of(state.settings)
    policy: Policy = settings["policy"]
    names = list(state.teams)
    all_points = [k.id for k in scenario.knowledge_points]
    results = []
    for name, progress in state.teams.items():
        steps = progress.run.steps
        auto = score_path(scenario, rubrics, steps, progress.run.ending)
        mine = [r for r in state.ratings if r.team == name]
        human: dict[str, HumanResult] = {}
        missing: list[MissingRating] = []
        for rubric_id, rubric in classroom_rubrics.items():
            finals, percent = human_scores(rubric, mine, name, policy)
            human[rubric_id] = HumanResult(rubric, finals, percent)
            for kind, rater in expected_raters(name, names, settings):
                for criterion in rubric.criteria:
                    if not any(
                        r.rater_kind == kind
                        and r.rater == rater
                        and r.rubric == rubric_id
                        and r.criterion == criterion.id
                        for r in mine
                    ):
                        missing.append(MissingRating(kind, rater, criterion.id))
        percents = [h.percent for h in human.values() if h.percent is not None]
        human_percent = statistics.fmean(percents) if percents else None
        taught = knowledge_taught(scenario, steps, rubrics)
        # A class (its settings carry a turn mode; practice and recorded runs are never
        # rated) whose total counts ratings gives a team nobody has rated no total: the
        # automatic score alone would otherwise go to the grade book as the grade.
        awaiting = (
            progress.run.finished
            and "mode" in state.settings
            and bool(classroom_rubrics)
            and float(settings["human_weight"]) > 0
            and human_percent is None
        )
        results.append(
            TeamResult(
                team=name,
                steps=steps,
                ending=progress.run.ending,
                finished=progress.run.finished,
                auto=auto,
                human=human,
                human_percent=human_percent,
                # A team that did not reach an ending has no total: its partial scores are
                # shown as such, never ranked or graded beside finished teams.
                total=classroom_total(
                    auto.overall,
                    human_percent,
                    float(settings["auto_weight"]),
                    float(settings["human_weight"]),
                )
                if progress.run.finished and not awaiting
                else None,
                knowledge_applied=[k for k in all_points if k in taught],
                knowledge_missed=[k for k in all_points if k not in taught],
                notes=dict(progress.notes),
                entered=frozenset(progress.entered),
                ratings=mine,
                missing=missing,
                summary=state.summaries.get(name, ""),
                awaiting_ratings=awaiting,
            )
        )
    return SessionResult(
        results,
        settings,
        divergence(r.steps for r in results),
        state.finished,
        state.class_summary,
        state.roster,
    )


def divergence(paths: Iterable[tuple[Step, ...]]) -> int | None:
    """The first step index where the paths differ (a shorter path differs where it stops)."""
    paths = list(paths)
    if len(paths) < 2:
        return None
    longest = max(len(p) for p in paths)
    for index in range(longest):
        seen = {(p[index].scene, p[index].choice) if index < len(p) else None for p in paths}
        if len(seen) > 1:
            return index
    return None


@dataclass(frozen=True)
class StepFeedback:
    """What one decision earned and why: the choice and reason made, their authors' feedback,
    and whether the reason fits the choice (a reason that does not is scored at the lowest
    level, which the team should be told even when feedback was held until the debrief)."""

    number: int
    """1-based, as shown."""
    step: Step
    choice: Choice
    reason: Reason | None
    mismatched: bool


def path_feedback(scenario: Scenario, steps: Iterable[Step]) -> list[StepFeedback]:
    """Every decision of a path with the feedback its choice and reason carry.

    The practice end screen, the class debrief and the reports all read this, so held-back
    feedback says the same thing wherever it finally appears. A step the case no longer has
    (it was edited since) is left out rather than guessed at.
    """
    out = []
    for index, step in enumerate(steps):
        scene = scenario.scenes.get(step.scene)
        choice = scene.choice_by_id.get(step.choice) if scene else None
        if scene is None or choice is None:
            continue
        reason = scene.reason_by_id.get(step.reason) if step.reason else None
        mismatched = reason is not None and step.choice not in reason.supports
        out.append(StepFeedback(index + 1, step, choice, reason, mismatched))
    return out


@dataclass(frozen=True)
class Answer:
    """One team's answer to one decision: the run as the question was asked, and after."""

    team: str
    step: Step
    before: Run
    after: Run


@dataclass(frozen=True)
class SceneAnswers:
    """The teams that answered the same scene's question at one decision of a round."""

    scene: str
    answers: tuple[Answer, ...]


def decision_by_scene(
    scenario: Scenario, paths: Mapping[str, Sequence[Step]], index: int
) -> list[SceneAnswers]:
    """Decision `index` (0-based) of every team, grouped by the scene it was answered at.

    In round mode the teams' paths part ways, so "decision 4" can be a different question for
    each team; the comparison sets side by side only answers to the same question. Groups come
    in the order of the first team to reach each scene; teams keep the class's order.
    """
    groups: dict[str, list[Answer]] = {}
    for team, steps in paths.items():
        if index >= len(steps):
            continue
        run = start(scenario)
        for step in steps[:index]:
            run = take(scenario, run, step)
        step = steps[index]
        groups.setdefault(step.scene, []).append(Answer(team, step, run, take(scenario, run, step)))
    return [SceneAnswers(scene, tuple(answers)) for scene, answers in groups.items()]
