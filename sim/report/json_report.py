"""The whole debrief as data (`sim report SESSION --format json`) and its JSON Schema.

The document is described by pydantic models, so the schema `sim schema --report` prints is
generated from the very classes that build the output: they cannot drift apart. Text is in
the report's language (cleaned of control characters), ids are the case's own, numbers are
unrounded and always finite (a value that cannot be computed is `null`, never NaN).
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.debrief import TeamResult, totals_formula
from sim.engine import replay, start, take, view
from sim.report.context import Localizer, SessionView, TeamView, session_view
from sim.report.sanitize import clean_line
from sim.report.source import SessionSource
from sim.scoring import level_for
from sim.shapes import points

REPORT_FORMAT = "sim-report/1"
SCHEMA_ID = "https://sim.invalid/schema/report-1.json"

Number = int | float
"""Level points as the author wrote them (4, or 2.5)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def finite(value: float | None) -> float | None:
    """A score as JSON can hold it: NaN and infinities become null."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


class LevelOut(_Model):
    points: Number
    label: str


class CriterionOut(_Model):
    id: str
    title: str
    weight: float


class RubricOut(_Model):
    id: str
    title: str
    rated_by: list[str] = Field(description="auto (from choices and reasons), instructor, peer")
    weight: float | None = Field(
        description="The rubric's weight in the automatic overall score; null for rated rubrics"
    )
    levels: list[LevelOut]
    criteria: list[CriterionOut]


class ChoiceOut(_Model):
    id: str
    text: str
    feedback: str | None = Field(description="The author's feedback on this choice")


class ReasonOut(_Model):
    id: str
    text: str
    feedback: str | None
    supports_choice: bool = Field(
        description="False when the reason does not support the choice it was given for"
    )


class StepOut(_Model):
    step: int = Field(description="1-based")
    scene: str
    question: str | None = Field(description="What the customer said (or the narration) there")
    choice: ChoiceOut
    reason: ReasonOut | None
    mismatch: str | None = Field(description="The warning shown when the reason does not fit")
    justification: str | None = Field(description="What the team typed to justify its choice")


class EndingOut(_Model):
    id: str
    title: str
    text: str | None
    outcome: str = Field(description="loyal, satisfied, neutral, complaining or lost")
    outcome_label: str


class AutoCriterion(_Model):
    score: float | None
    level: Number | None = Field(description="The points of the criterion's level")
    level_label: str | None
    observed: bool


class AutoRubric(_Model):
    percent: float | None
    criteria: dict[str, AutoCriterion]


class AutoScores(_Model):
    overall: float | None
    rubrics: dict[str, AutoRubric]


class RatedCriterion(_Model):
    final: float | None = Field(description="The rating formula's result in level points")
    level: Number | None
    level_label: str | None
    instructor_mean: float | None
    instructor_count: int
    peer_mean: float | None
    peer_count: int


class RatedRubric(_Model):
    percent: float | None
    criteria: dict[str, RatedCriterion]


class RatedScores(_Model):
    percent: float | None = Field(description="Mean of the rated rubrics' percents")
    rubrics: dict[str, RatedRubric]


class Ballot(_Model):
    """One rater's levels for one team on one rubric."""

    rater_kind: Literal["instructor", "peer", "self"]
    rater: str
    rubric: str
    levels: dict[str, Number] = Field(description="criterion id → level points")
    complete: bool


class MissingOut(_Model):
    rater_kind: str
    rater: str
    criterion: str


class KnowledgeOut(_Model):
    applied: list[str] = Field(description="Knowledge point ids")
    missed: list[str]


class StudentOut(_Model):
    name: str
    student_id: str | None = Field(description="The institution's student number; null if unknown")
    email: str | None = Field(description="null if unknown")


class TeamOut(_Model):
    name: str
    members: list[str] = Field(
        description="The students' names: the roster's when one is attached, else those typed "
        "with the team at set-up"
    )
    students: list[StudentOut] = Field(
        description="The same people with their student id and e-mail (from `sim roster`)"
    )
    finished: bool = Field(description="False: the team's run stopped before an ending")
    path: list[StepOut]
    ending: EndingOut | None
    state: dict[str, float] = Field(description="Final values of the case's state variables")
    auto: AutoScores
    rated: RatedScores
    ratings: list[Ballot] = Field(description="Every rater's ballot, peers first")
    missing: list[MissingOut]
    total: float | None = Field(
        description="null for a team that did not finish, that is not rated yet in a class "
        "whose total counts ratings (awaiting_ratings), or that has neither score yet"
    )
    awaiting_ratings: bool = Field(
        default=False,
        description="finished, but nobody has rated it yet and the class's total counts "
        "ratings: no total until it is rated",
    )
    knowledge: KnowledgeOut
    summary: str = Field(description="The teacher's summary of the team ('' if none)")


class FormulaOut(_Model):
    auto_weight: float
    human_weight: float
    policy: Literal["course", "median", "trimmed"]
    text: str = Field(description="The formula in words, in the report's language")


class SessionOut(_Model):
    id: int
    kind: Literal["practice", "classroom", "record"]
    created: str
    scenario: str
    title: str
    lang: str
    mode: str
    feedback: str
    finished: bool
    skipped: int = Field(description="Recorded moves the case no longer accepts (edited since)")
    roster: bool = Field(
        default=False,
        description="Whether a roster is attached (`sim roster`): teams' students have ids",
    )


class DebriefOut(_Model):
    real_outcome: str = Field(description="Markdown, as the case's author wrote it")
    questions: list[str]
    summary: str = Field(description="The teacher's summary of the whole class ('' if none)")


class ReportOut(_Model):
    """`sim report SESSION --format json`."""

    format: Literal["sim-report/1"]
    session: SessionOut
    formula: FormulaOut
    rubrics: list[RubricOut]
    teams: list[TeamOut]
    diverged_at: int | None = Field(description="1-based step where the paths first differ")
    debrief: DebriefOut


def _rubrics(source: SessionSource, say: Localizer) -> list[RubricOut]:
    case = source.case
    weights = case.scenario.rubric_weights
    auto = [case.rubrics[r] for r in case.scenario.rubrics if r in case.rubrics]
    rated = [r for r in case.classroom_rubrics.values() if r not in auto]
    return [
        RubricOut(
            id=rubric.id,
            title=say.line(rubric.title),
            rated_by=list(rubric.rated_by),
            weight=float(weights.get(rubric.id, 1)) if rubric.is_auto else None,
            levels=[
                LevelOut(points=points(lv.points) or 0, label=say.line(lv.label))
                for lv in rubric.levels
            ],
            criteria=[
                CriterionOut(id=c.id, title=say.line(c.title), weight=c.weight)
                for c in rubric.criteria
            ],
        )
        for rubric in [*auto, *rated]
    ]


def _path(tv: TeamView, source: SessionSource, tr: TeamResult, say: Localizer) -> list[StepOut]:
    scenario = source.case.scenario
    run = start(scenario)
    questions: list[str | None] = []
    for taken in tr.steps:
        seen = view(scenario, run)
        questions.append(say.text(seen.line) or say.text(seen.text) or None)
        run = take(scenario, run, taken)
    out = []
    for step, question in zip(tv.steps, questions, strict=False):
        scene = scenario.scenes[step.scene]
        reason = next((r for r in scene.reasons if r.id == step.reason_id), None)
        out.append(
            StepOut(
                step=step.number,
                scene=step.scene,
                question=question,
                choice=ChoiceOut(
                    id=step.choice_id, text=step.choice, feedback=step.choice_feedback
                ),
                reason=ReasonOut(
                    id=reason.id,
                    text=step.reason or "",
                    feedback=step.reason_feedback,
                    supports_choice=not step.mismatched,
                )
                if reason is not None
                else None,
                mismatch=say.words.get("mismatch") if step.mismatched else None,
                justification=step.note,
            )
        )
    return out


def _ballots(tr: TeamResult, source: SessionSource) -> list[Ballot]:
    groups: dict[tuple[str, str, str], dict[str, Number]] = {}
    for rating in sorted(tr.ratings, key=lambda r: (r.rater_kind != "peer", r.rater)):
        key = (rating.rater_kind, rating.rater, rating.rubric)
        groups.setdefault(key, {})[rating.criterion] = points(rating.points) or 0
    out = []
    for (kind, rater, rubric_id), levels in groups.items():
        rubric = source.case.classroom_rubrics.get(rubric_id)
        wanted = {c.id for c in rubric.criteria} if rubric else set(levels)
        out.append(
            Ballot(
                rater_kind=kind,
                rater=clean_line(rater),
                rubric=rubric_id,
                levels=levels,
                complete=wanted <= set(levels),
            )
        )
    return out


def _auto(tr: TeamResult, tv: TeamView) -> AutoScores:
    labels = {(r.id, c.id): c.level for r in tv.auto for c in r.criteria}
    return AutoScores(
        overall=finite(tr.auto.overall),
        rubrics={
            rubric_id: AutoRubric(
                percent=finite(result.percent),
                criteria={
                    c.criterion: AutoCriterion(
                        score=finite(c.score),
                        level=points(c.level.points) if c.level else None,
                        level_label=labels.get((rubric_id, c.criterion)),
                        observed=c.observed,
                    )
                    for c in result.criteria
                },
            )
            for rubric_id, result in tr.auto.rubrics.items()
        },
    )


def _rated(tr: TeamResult, tv: TeamView) -> RatedScores:
    rubrics = {}
    for hr in tv.human:
        human = tr.human[hr.id]
        criteria = {}
        for c in hr.criteria:
            level = level_for(human.rubric, c.final) if c.final is not None else None
            criteria[c.id] = RatedCriterion(
                final=finite(c.final),
                level=points(level.points) if level else None,
                level_label=c.level,
                instructor_mean=finite(c.instructor),
                instructor_count=c.instructor_count,
                peer_mean=finite(c.peer),
                peer_count=c.peer_count,
            )
        rubrics[hr.id] = RatedRubric(percent=finite(hr.percent), criteria=criteria)
    return RatedScores(percent=finite(tr.human_percent), rubrics=rubrics)


def _team(tv: TeamView, tr: TeamResult, source: SessionSource, say: Localizer) -> TeamOut:
    scenario = source.case.scenario
    ending = scenario.ending(tr.ending) if tr.ending else None
    values = replay(scenario, tr.steps).values
    return TeamOut(
        name=tv.name,
        members=tv.members,
        students=[
            StudentOut(name=p.name, student_id=p.student_id or None, email=p.email or None)
            for p in tv.students
        ],
        finished=tr.finished,
        path=_path(tv, source, tr, say),
        ending=EndingOut(
            id=ending.id,
            title=tv.ending_title or ending.id,
            text=tv.ending_text,
            outcome=ending.outcome,
            outcome_label=tv.outcome or ending.outcome,
        )
        if ending is not None
        else None,
        state={name: float(value) for name, value in values.items()},
        auto=_auto(tr, tv),
        rated=_rated(tr, tv),
        ratings=_ballots(tr, source),
        missing=[
            MissingOut(rater_kind=m.rater_kind, rater=clean_line(m.rater), criterion=m.criterion)
            for m in tr.missing
        ],
        total=finite(tr.total),
        awaiting_ratings=tr.awaiting_ratings,
        knowledge=KnowledgeOut(applied=tr.knowledge_applied, missed=tr.knowledge_missed),
        summary=tv.summary,
    )


def report_document(source: SessionSource, lang: str | None = None) -> ReportOut:
    """The debrief of a stored session as one validated document."""
    view: SessionView = session_view(source, lang)
    settings = source.result.settings
    say = Localizer(source.case.scenario, view.lang, view.labels)

    return ReportOut(
        format=REPORT_FORMAT,
        session=SessionOut(
            id=source.info.id,
            kind=source.info.kind,
            created=source.info.created,
            scenario=view.scenario_id,
            title=view.title,
            lang=view.lang,
            mode=str(settings.get("mode", "sequential")),
            feedback=str(settings.get("feedback", "debrief")),
            finished=source.result.finished or source.info.finished,
            skipped=view.skipped,
            roster=view.roster,
        ),
        formula=FormulaOut(
            auto_weight=float(settings["auto_weight"]),
            human_weight=float(settings["human_weight"]),
            policy=settings["policy"],
            text=totals_formula(settings, view.lang),
        ),
        rubrics=_rubrics(source, say),
        teams=[
            _team(tv, tr, source, say)
            for tv, tr in zip(view.teams, source.result.teams, strict=True)
        ],
        diverged_at=view.diverged_at,
        debrief=DebriefOut(
            real_outcome=view.real_outcome,
            questions=view.questions,
            summary=view.class_summary,
        ),
    )


def report_json(source: SessionSource, lang: str | None = None) -> str:
    """The document as JSON text; `allow_nan=False` makes a non-finite number an error here,
    never an invalid file for the reader."""
    data = report_document(source, lang).model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of `sim report --format json`, printed by `sim schema --report`."""
    schema = ReportOut.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "sim debrief report (sim-report/1)"
    return schema
