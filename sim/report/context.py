"""Turns a session's result and its case into plain template data, in one language.

Everything a template shows is computed here: localized, cleaned of control characters and
already in display order, so the templates only lay it out. Numbers stay floats (full
precision); each format rounds them where it shows them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.cases import Case
from sim.debrief import SessionResult, TeamResult, path_feedback, percent_legends, totals_formula
from sim.engine import replay
from sim.model import Rubric, Scenario, localize
from sim.model.text import Text
from sim.prose import flow, flow_line
from sim.report.charts import Chart, Series, bar_chart, team_colour
from sim.report.labels import labels
from sim.report.sanitize import clean, clean_line
from sim.report.source import SessionSource
from sim.roster import Student
from sim.scoring import level_for


def points_text(value: float) -> str:
    """Level points as the author wrote them: 4, not 4.0."""
    return f"{value:g}"


@dataclass(frozen=True)
class LevelView:
    points: str
    label: str
    descriptor: str
    example: str = ""
    """The case's own example of this level (`rubric_examples`), beside the general text."""


@dataclass(frozen=True)
class CriterionScore:
    id: str
    title: str
    weight: float
    score: float | None
    level: str | None
    descriptor: str | None
    example: str | None = None


@dataclass(frozen=True)
class RubricScore:
    id: str
    title: str
    percent: float | None
    criteria: list[CriterionScore]


@dataclass(frozen=True)
class HumanCriterion:
    id: str
    title: str
    instructor: float | None
    instructor_count: int
    peer: float | None
    peer_count: int
    final: float | None
    level: str | None
    descriptor: str | None
    example: str | None = None


@dataclass(frozen=True)
class HumanRubric:
    id: str
    title: str
    percent: float | None
    criteria: list[HumanCriterion]


@dataclass(frozen=True)
class MissingGroup:
    """One rater and the criteria they have not rated yet."""

    kind: str
    rater: str
    criteria: list[str]


@dataclass(frozen=True)
class StepView:
    number: int
    """1-based, as shown."""
    scene: str
    choice_id: str
    choice: str
    reason_id: str | None
    reason: str | None
    mismatched: bool
    note: str | None
    choice_feedback: str | None = None
    """The author's feedback on the choice (held back during a class until the debrief)."""
    reason_feedback: str | None = None
    note_label: str = ""
    """Whose justification `note` is, in words: the team's, or the instructor's entry for
    the team (typed at the instructor's link when its device dropped)."""


@dataclass(frozen=True)
class StateValue:
    label: str
    value: str


@dataclass(frozen=True)
class StudentView:
    """A student of a team as the reports show them; id and e-mail empty when not known."""

    name: str
    student_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class TeamView:
    name: str
    colour: str
    members: list[str]
    """The students' names: the roster's when one is attached, else those typed at set-up."""
    steps: list[StepView]
    finished: bool
    ending_id: str | None
    ending_title: str | None
    ending_text: str | None
    outcome: str | None
    state: list[StateValue]
    auto: list[RubricScore]
    auto_overall: float | None
    human: list[HumanRubric]
    human_percent: float | None
    rated: bool
    total: float | None
    missing: list[MissingGroup]
    applied: list[str]
    missed: list[str]
    other_notes: list[str]
    summary: str = ""
    """The teacher's summary of this team (plain text, paragraphs kept)."""
    students: list[StudentView] = field(default_factory=list)
    """The same people as `members`, with their student id and e-mail when a roster gives them."""
    total_word: str = ""
    """Why there is no total, in words (unfinished, not rated); "" when there is one."""


@dataclass(frozen=True)
class PathRow:
    number: int
    diverges: bool
    cells: list[StepView | None]


@dataclass(frozen=True)
class Column:
    id: str
    title: str


@dataclass(frozen=True)
class SessionView:
    session_id: int
    kind: str
    kind_label: str
    created: str
    scenario_id: str
    lang: str
    labels: dict[str, str]
    title: str
    summary: str
    teams: list[TeamView]
    columns: list[Column]
    """The automatic rubrics, in the scenario's order."""
    human_columns: list[Column]
    """The rubrics rated in class by the instructor and peers."""
    show_human: bool
    rows: list[PathRow]
    diverged_at: int | None
    """The 1-based step at which the paths first differ."""
    chart: Chart
    real_outcome: str
    """Author Markdown (rendered by the template's `rich` filter)."""
    questions: list[str]
    skipped: int
    """Recorded moves the case no longer accepts (it was edited since the session)."""
    formula: str = ""
    """How the totals were made (weights and rating formula), for a class; empty otherwise."""
    legend: list[str] = field(default_factory=list)
    """How each rubric's levels become percent (and its criterion weights), one line each;
    the last line says what the bracketed outcome after an ending means."""
    class_summary: str = ""
    """The teacher's summary of the whole class."""
    roster: bool = False
    """Whether a roster (`sim roster`) is attached: students then have ids and e-mails."""


@dataclass(frozen=True)
class RoleView:
    name: str
    persona: str


@dataclass(frozen=True)
class KnowledgeView:
    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class CriterionSheet:
    id: str
    title: str
    weight: float
    descriptors: list[LevelView]


@dataclass(frozen=True)
class RubricSheet:
    id: str
    title: str
    auto: bool
    levels: list[LevelView]
    criteria: list[CriterionSheet]


@dataclass(frozen=True)
class HandoutView:
    scenario_id: str
    lang: str
    labels: dict[str, str]
    title: str
    summary: str
    minutes: int | None
    case: str
    """Author Markdown (rendered by the template's `rich` filter)."""
    roles: list[RoleView]
    knowledge: list[KnowledgeView]
    rubrics: list[RubricSheet]
    case_map: str = ""
    """The case as a graph, an inline `<svg>` drawn by Graphviz from escaped labels (empty
    unless asked for: it shows every branch and score, which is for instructors)."""
    case_map_legend: str = ""


@dataclass(frozen=True)
class Localizer:
    """Author text in one language, cleaned of control characters."""

    scenario: Scenario
    lang: str
    words: dict[str, str] = field(default_factory=dict)

    def text(self, value: Text | None) -> str:
        """Plain author text, its soft line breaks joined as on screen (`sim.prose.flow`)."""
        return flow(clean(localize(value, self.lang, self.scenario.default_language)))

    def markdown(self, value: Text | None) -> str:
        """Author Markdown (the case, the real outcome), for the templates' `rich` filter."""
        return clean(localize(value, self.lang, self.scenario.default_language)).strip()

    def line(self, value: Text | None) -> str:
        return flow_line(clean_line(localize(value, self.lang, self.scenario.default_language)))

    def example(self, rubric: str, criterion: str, points: float | None) -> str | None:
        """The case's own example for a criterion's level, or None if it gives none."""
        if points is None:
            return None
        found = self.scenario.rubric_example(rubric, criterion, points)
        return self.text(found) if found is not None else None


def session_language(result: SessionResult, scenario: Scenario, override: str | None) -> str:
    """`--lang`, else the session's language setting, else the scenario's default."""
    chosen = override or result.settings.get("lang") or scenario.default_language
    return clean_line(str(chosen)) or scenario.default_language


def members_of(settings: Mapping[str, Any], team: str) -> list[str]:
    """settings["members"][team] as clean names, ignoring anything malformed."""
    members = settings.get("members")
    if not isinstance(members, Mapping):
        return []
    names = members.get(team)
    if not isinstance(names, Sequence) or isinstance(names, str):
        return []
    return [clean_line(n) for n in names if isinstance(n, str) and clean_line(n)]


def students_of(
    settings: Mapping[str, Any], roster: Sequence[Student] | None, team: str
) -> list[StudentView]:
    """A team's students: the roster's when one is attached (it supersedes the names typed at
    set-up), else the members typed with the team, without ids."""
    if roster is not None:
        return [
            StudentView(clean_line(s.name), clean_line(s.student_id), clean_line(s.email))
            for s in roster
            if s.team == team and clean_line(s.name)
        ]
    return [StudentView(name) for name in members_of(settings, team)]


def _rubric_scores(tr: TeamResult, say: Localizer) -> list[RubricScore]:
    rubrics = []
    for rubric_id, result in tr.auto.rubrics.items():
        rubric = result.rubric
        criteria = []
        for c in result.criteria:
            criterion = rubric.criterion(c.criterion)
            descriptor = (
                say.text(criterion.descriptors.get(c.level.points))
                if criterion is not None and c.level is not None
                else None
            )
            criteria.append(
                CriterionScore(
                    id=c.criterion,
                    title=say.line(criterion.title) if criterion else c.criterion,
                    weight=c.weight,
                    score=c.score,
                    level=say.line(c.level.label) if c.level is not None else None,
                    descriptor=descriptor,
                    example=say.example(
                        rubric_id, c.criterion, c.level.points if c.level else None
                    ),
                )
            )
        rubrics.append(RubricScore(rubric_id, say.line(rubric.title), result.percent, criteria))
    return rubrics


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _human(tr: TeamResult, say: Localizer) -> list[HumanRubric]:
    out = []
    for rubric_id, human in tr.human.items():
        rubric = human.rubric
        criteria = []
        for criterion in rubric.criteria:
            mine = [r for r in tr.ratings if r.rubric == rubric_id and r.criterion == criterion.id]
            by_instructor = [r.points for r in mine if r.rater_kind == "instructor"]
            by_peers = [r.points for r in mine if r.rater_kind == "peer"]
            final = human.finals.get(criterion.id)
            level = level_for(rubric, final) if final is not None else None
            criteria.append(
                HumanCriterion(
                    id=criterion.id,
                    title=say.line(criterion.title),
                    instructor=_mean(by_instructor),
                    instructor_count=len(by_instructor),
                    peer=_mean(by_peers),
                    peer_count=len(by_peers),
                    final=final,
                    level=say.line(level.label) if level else None,
                    descriptor=say.text(criterion.descriptors.get(level.points)) if level else None,
                    example=say.example(rubric_id, criterion.id, level.points if level else None),
                )
            )
        out.append(HumanRubric(rubric_id, say.line(rubric.title), human.percent, criteria))
    return out


def _missing(tr: TeamResult, rubrics: Mapping[str, Rubric], say: Localizer) -> list[MissingGroup]:
    groups: dict[tuple[str, str], list[str]] = {}
    titles = {c.id: say.line(c.title) for rubric in rubrics.values() for c in rubric.criteria}
    for gap in tr.missing:
        key = (gap.rater_kind, gap.rater)
        groups.setdefault(key, []).append(titles.get(gap.criterion, gap.criterion))
    return [
        MissingGroup(say.words.get(f"rater.{kind}", kind), clean_line(rater), criteria)
        for (kind, rater), criteria in groups.items()
    ]


def _steps(tr: TeamResult, scenario: Scenario, say: Localizer) -> list[StepView]:
    steps = []
    for item in path_feedback(scenario, tr.steps):
        note = tr.notes.get(item.number - 1)
        reason = item.reason
        steps.append(
            StepView(
                number=item.number,
                scene=item.step.scene,
                choice_id=item.step.choice,
                choice=say.text(item.choice.text),
                reason_id=item.step.reason,
                reason=say.text(reason.text) if reason else None,
                mismatched=item.mismatched,
                note=clean(note).strip() or None if note else None,
                choice_feedback=say.text(item.choice.feedback) or None,
                reason_feedback=say.text(reason.feedback) or None if reason else None,
                note_label=say.words[
                    "justification_entered"
                    if item.number - 1 in tr.entered
                    else "justification"
                ],
            )
        )
    return steps


def _state(tr: TeamResult, scenario: Scenario, say: Localizer) -> list[StateValue]:
    values = replay(scenario, tr.steps).values
    out = []
    for name, var in scenario.state.items():
        unit = f" {var.unit}" if var.unit else ""
        label = say.line(var.label) if var.label else name
        out.append(StateValue(label, f"{values[name]:,.10g}{unit}"))
    return out


def team_view(
    index: int,
    tr: TeamResult,
    case: Case,
    settings: Mapping[str, Any],
    say: Localizer,
    roster: Sequence[Student] | None = None,
) -> TeamView:
    scenario = case.scenario
    ending = scenario.ending(tr.ending) if tr.ending else None
    titles = {k.id: say.line(k.title) for k in scenario.knowledge_points}
    extra_notes = [
        clean(text).strip() for step, text in sorted(tr.notes.items()) if step >= len(tr.steps)
    ]
    students = students_of(settings, roster, tr.team)
    return TeamView(
        name=clean_line(tr.team),
        colour=team_colour(index),
        members=[s.name for s in students],
        steps=_steps(tr, scenario, say),
        finished=tr.finished,
        ending_id=tr.ending,
        ending_title=(say.line(ending.title) or tr.ending) if ending else tr.ending,
        ending_text=say.text(ending.text) or None if ending else None,
        outcome=say.words[f"outcome.{ending.outcome}"] if ending else None,
        state=_state(tr, scenario, say),
        auto=_rubric_scores(tr, say),
        auto_overall=tr.auto.overall,
        human=_human(tr, say),
        human_percent=tr.human_percent,
        rated=bool(tr.ratings),
        total=tr.total,
        missing=_missing(tr, case.classroom_rubrics, say),
        applied=[titles[k] for k in tr.knowledge_applied],
        missed=[titles[k] for k in tr.knowledge_missed],
        other_notes=[n for n in extra_notes if n],
        summary=clean(tr.summary).strip(),
        students=students,
        total_word=(
            say.words["unfinished"]
            if not tr.finished
            else say.words["not_rated"]
            if tr.awaiting_ratings
            else ""
        ),
    )


def _rows(teams: list[TeamView], diverged_at: int | None) -> list[PathRow]:
    longest = max((len(t.steps) for t in teams), default=0)
    return [
        PathRow(
            number=index + 1,
            diverges=index == diverged_at,
            cells=[t.steps[index] if index < len(t.steps) else None for t in teams],
        )
        for index in range(longest)
    ]


def _chart(
    view_teams: list[TeamView], columns: list[Column], show_human: bool, words: dict[str, str]
) -> Chart:
    series = [
        Series(
            column.title,
            [next(r.percent for r in t.auto if r.id == column.id) for t in view_teams],
        )
        for column in columns
    ]
    if show_human:
        series.append(Series(words["overall"], [t.auto_overall for t in view_teams]))
        series.append(Series(words["human"], [t.human_percent for t in view_teams]))
    # A team without a total (unfinished, or not rated) has a bar that says so instead of
    # standing among the grades.
    series.append(
        Series(
            words["total"],
            [t.total for t in view_teams],
            emphasis=True,
            missing=[t.total_word or None for t in view_teams],
        )
    )
    return bar_chart([t.name for t in view_teams], series, words["not_observed"])


def session_view(source: SessionSource, lang: str | None = None) -> SessionView:
    """Everything the debrief report shows, in the session's language (or `lang`)."""
    info, case, result = source.info, source.case, source.result
    scenario = case.scenario
    language = session_language(result, scenario, lang)
    words = labels(language)
    say = Localizer(scenario, language, words)
    teams = [
        team_view(index, tr, case, result.settings, say, result.roster)
        for index, tr in enumerate(result.teams)
    ]
    columns = [
        Column(rubric_id, say.line(r.rubric.title))
        for rubric_id, r in (result.teams[0].auto.rubrics.items() if result.teams else ())
    ]
    human_columns = [
        Column(rubric_id, say.line(h.rubric.title))
        for rubric_id, h in (result.teams[0].human.items() if result.teams else ())
    ]
    show_human = info.kind == "classroom" or any(t.rated for t in teams)
    debrief = scenario.debrief
    return SessionView(
        session_id=info.id,
        kind=info.kind,
        kind_label=words.get(f"kind.{info.kind}", info.kind),
        created=clean_line(info.created[:16].replace("T", " ")),
        scenario_id=scenario.id,
        lang=language,
        labels=words,
        title=say.line(scenario.title),
        summary=say.text(scenario.summary),
        teams=teams,
        columns=columns,
        human_columns=human_columns,
        show_human=show_human,
        rows=_rows(teams, result.diverged_at),
        diverged_at=result.diverged_at + 1 if result.diverged_at is not None else None,
        chart=_chart(teams, columns, show_human, words),
        real_outcome=say.markdown(debrief.real_outcome) if debrief else "",
        questions=[q for q in (say.text(q) for q in (debrief.questions if debrief else ())) if q],
        skipped=len(source.skipped),
        formula=totals_formula(result.settings, language) if show_human else "",
        legend=_legend(case, show_human, language),
        class_summary=clean(result.class_summary).strip(),
        roster=result.roster is not None,
    )


def _legend(case: Case, show_human: bool, lang: str) -> list[str]:
    """level → percent → weight for each rubric shown, then what `(loyal)` after an ending is."""
    from sim.i18n import tr

    scenario = case.scenario
    ui = "zh" if lang.lower().startswith("zh") else "en"
    shown = [case.rubrics[r] for r in scenario.rubrics if r in case.rubrics]
    if show_human:
        shown += [r for r in case.classroom_rubrics.values() if r not in shown]
    lines = [clean_line(line) for line in percent_legends(shown, lang, scenario.default_language)]
    return [*lines, tr("legend.outcome", ui)]


def _levels(
    rubric: Rubric,
    criterion_descriptors: Mapping[float, Text] | None,
    say: Localizer,
    criterion: str | None = None,
) -> list[LevelView]:
    levels = sorted(rubric.levels, key=lambda level: level.points)
    return [
        LevelView(
            points_text(level.points),
            say.line(level.label),
            say.text(criterion_descriptors.get(level.points)) if criterion_descriptors else "",
            (say.example(rubric.id, criterion, level.points) or "") if criterion else "",
        )
        for level in levels
    ]


def rubric_sheet(rubric: Rubric, say: Localizer) -> RubricSheet:
    return RubricSheet(
        id=rubric.id,
        title=say.line(rubric.title),
        auto=rubric.is_auto,
        levels=_levels(rubric, None, say),
        criteria=[
            CriterionSheet(
                c.id, say.line(c.title), c.weight, _levels(rubric, c.descriptors, say, c.id)
            )
            for c in rubric.criteria
        ],
    )


def handout_view(case: Case, lang: str | None = None) -> HandoutView:
    """What teams need to prepare: the case, the roles, the knowledge points, the rubrics."""
    scenario = case.scenario
    language = clean_line(lang or "") or scenario.default_language
    words = labels(language)
    say = Localizer(scenario, language, words)
    own = [case.rubrics[r] for r in scenario.rubrics if r in case.rubrics]
    rated = [r for r in case.classroom_rubrics.values() if r not in own]
    return HandoutView(
        scenario_id=scenario.id,
        lang=language,
        labels=words,
        title=say.line(scenario.title),
        summary=say.text(scenario.summary),
        minutes=scenario.minutes,
        case=say.markdown(scenario.case),
        roles=[RoleView(say.line(r.name), say.text(r.persona)) for r in scenario.roles],
        knowledge=[
            KnowledgeView(k.id, say.line(k.title), say.text(k.summary))
            for k in scenario.knowledge_points
        ],
        rubrics=[rubric_sheet(r, say) for r in [*own, *rated]],
    )
