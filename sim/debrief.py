"""What a session adds up to, team by team: paths, endings, scores, ratings, knowledge.

Pure: the classroom screens, the debrief and the reports all show this same result, derived
from the event log every time.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.engine import Step
from sim.model import Rubric, Scenario
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
    "auto_weight": 0.5,
    "human_weight": 0.5,
    "policy": "course",
    "instructors": ["instructor"],
    "gauges": True,
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


@dataclass
class SessionResult:
    teams: list[TeamResult]
    settings: dict[str, Any]
    diverged_at: int | None
    """The first step number (0-based) at which the teams' paths differ; None if they never do."""
    finished: bool


def settings_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**DEFAULT_SETTINGS, **raw}
    if merged["policy"] not in POLICIES:
        merged["policy"] = "course"
    return merged


def totals_formula(settings: Mapping[str, Any], lang: str) -> str:
    """How a class's totals are made (weights and rating formula), said on screen and in reports."""
    from sim.i18n import tr

    return tr(
        "debrief.weights",
        lang,
        a=float(settings["auto_weight"]),
        h=float(settings["human_weight"]),
        policy=tr(f"debrief.policy.{settings['policy']}", lang),
    )


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
        auto = score_path(scenario, rubrics, steps)
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
        taught = knowledge_taught(scenario, steps)
        results.append(
            TeamResult(
                team=name,
                steps=steps,
                ending=progress.run.ending,
                finished=progress.run.finished,
                auto=auto,
                human=human,
                human_percent=human_percent,
                total=classroom_total(
                    auto.overall,
                    human_percent,
                    float(settings["auto_weight"]),
                    float(settings["human_weight"]),
                ),
                knowledge_applied=[k for k in all_points if k in taught],
                knowledge_missed=[k for k in all_points if k not in taught],
                notes=dict(progress.notes),
                ratings=mine,
                missing=missing,
            )
        )
    return SessionResult(results, settings, divergence(r.steps for r in results), state.finished)


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
