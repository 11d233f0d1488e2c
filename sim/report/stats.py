"""`sim stats` as the faces show it: read a case's sessions from the store, then lay the
figures of `sim.stats` out in one language as text, HTML, and data for the app's screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sim.cases import Case
from sim.i18n import tr
from sim.model import Scenario, localize
from sim.prose import cells, flow_line, short
from sim.report.labels import ui_language
from sim.report.sanitize import clean_line
from sim.stats import CaseStats, StoredSession, case_stats
from sim.store.protocol import Store

KINDS = ("practice", "classroom", "record")


class SinceError(ValueError):
    """`--since` that is not a date."""


def parse_since(text: str) -> str:
    """`2025-09-01` (or an ISO time) → the UTC time the store's `created` is compared with.

    A date is that day's start in UTC; a time without a zone is read as UTC.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise SinceError(
            f"`{clean_line(text)}` is not a date: write it as YYYY-MM-DD (e.g. 2025-09-01)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def read_stats(
    store: Store, case: Case, since: str | None = None, kind: str | None = None
) -> CaseStats:
    """Every stored session of the case (by its id), filtered, summed up."""
    logs = store.case_logs(
        case.scenario.id, parse_since(since) if since else None, (kind,) if kind else ()
    )
    return case_stats(
        case.scenario,
        case.rubrics,
        case.classroom_rubrics,
        [StoredSession(*log) for log in logs],
        {"since": since, "kind": kind},
    )


# The view: every label localized and cleaned, numbers still floats ----------------------------


@dataclass(frozen=True)
class Row:
    label: str
    ident: str
    count: int
    share: float
    """Of the rows' total (0 when the total is 0), 0–1."""
    mean: float | None = None
    note: str = ""
    children: list[Row] = field(default_factory=list)
    warn: bool = False


@dataclass(frozen=True)
class DecisionView:
    scene: str
    title: str
    total: int
    spread: float | None
    rows: list[Row]


@dataclass(frozen=True)
class LevelCount:
    label: str
    points: str
    count: int
    share: float


@dataclass(frozen=True)
class CriterionView:
    rubric: str
    title: str
    levels: list[LevelCount]
    mean: float | None
    observed: int
    not_observed: int


@dataclass(frozen=True)
class AgreementRow:
    title: str
    teams: int
    peer: float | None
    instructor: float | None
    difference: float | None
    alpha: float | None


@dataclass(frozen=True)
class AgreementView:
    title: str
    classes: int
    classes_text: str
    rows: list[AgreementRow]
    alpha: float | None


@dataclass(frozen=True)
class StatsView:
    lang: str
    title: str
    scenario_id: str
    totals: str
    overall: str
    filters: str
    empty: bool
    endings: list[Row]
    decisions: list[DecisionView]
    criteria: list[CriterionView]
    agreement: list[AgreementView]
    labels: dict[str, str]


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def pad(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal columns."""
    text = short(text, width)
    return text + " " * (width - cells(text))


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def stats_view(stats: CaseStats, case: Case, lang: str | None = None) -> StatsView:
    sc: Scenario = case.scenario
    default = sc.default_language
    ui = ui_language(lang or default)

    def t(text: object) -> str:
        return clean_line(flow_line(localize(text, ui, default)))  # type: ignore[arg-type]

    endings = []
    for ident, count in stats.endings.items():
        ending = sc.ending(ident)
        title = t(ending.title) if ending and ending.title else ident
        note = "" if ending else tr("stats.ending_gone", ui)
        endings.append(Row(title, ident, count, _share(count, stats.finished), note=note))

    decisions = []
    for decision in stats.decisions:
        scene = sc.scenes.get(decision.scene)
        total = sum(c.count for c in decision.choices)
        rows = []
        for choice in decision.choices:
            model = scene.choice_by_id.get(choice.id) if scene else None
            reasons_by_id = scene.reason_by_id if scene else {}
            given = sum(r.count for r in choice.reasons)
            children = [
                Row(
                    t(reasons_by_id[r.id].text) if r.id in reasons_by_id else r.id,
                    r.id,
                    r.count,
                    _share(r.count, given),
                    note="" if r.supports else tr("stats.mismatch", ui),
                    warn=not r.supports,
                )
                for r in choice.reasons
            ]
            rows.append(
                Row(
                    t(model.text) if model else choice.id,
                    choice.id,
                    choice.count,
                    _share(choice.count, total),
                    mean=choice.mean_overall,
                    children=children,
                )
            )
        title = tr("stats.scene", ui, scene=decision.scene)
        if scene is not None and scene.line is not None:
            title += " — " + t(scene.line)
        decisions.append(DecisionView(decision.scene, title, total, decision.spread, rows))

    criteria = []
    for c in stats.criteria:
        rubric = case.rubrics[c.rubric]
        criterion = rubric.criterion(c.criterion)
        labels_by_points = {lv.points: t(lv.label) for lv in rubric.levels}
        criteria.append(
            CriterionView(
                t(rubric.title),
                t(criterion.title) if criterion else c.criterion,
                [
                    LevelCount(
                        labels_by_points.get(p, f"{p:g}"), f"{p:g}", n, _share(n, c.observed)
                    )
                    for p, n in c.levels
                ],
                c.mean,
                c.observed,
                c.not_observed,
            )
        )

    agreement = []
    for a in stats.agreement:
        rated = case.classroom_rubrics.get(a.rubric)
        titles = {cr.id: t(cr.title) for cr in rated.criteria} if rated else {}
        agreement.append(
            AgreementView(
                t(rated.title) if rated else a.rubric,
                a.classes,
                tr("stats.classes", ui, n=a.classes),
                [
                    AgreementRow(
                        titles.get(c.criterion, c.criterion),
                        c.teams,
                        c.peer_mean,
                        c.instructor_mean,
                        c.peer_minus_instructor,
                        c.alpha,
                    )
                    for c in a.criteria
                ],
                a.alpha,
            )
        )

    filters = []
    if stats.filters.get("since"):
        filters.append(tr("stats.since", ui, date=clean_line(str(stats.filters["since"]))))
    if stats.filters.get("kind"):
        kind = tr(f"report.kind.{stats.filters['kind']}", ui)
        filters.append(tr("stats.kind", ui, kind=kind))
    labels = {
        key.removeprefix("stats."): tr(key, ui)
        for key in (
            "stats.title",
            "stats.endings",
            "stats.decisions",
            "stats.decisions_note",
            "stats.criteria",
            "stats.criteria_note",
            "stats.agreement",
            "stats.agreement_note",
            "stats.no_ratings",
            "stats.criterion",
            "stats.peer",
            "stats.instructor",
            "stats.difference",
            "stats.alpha",
            "stats.teams",
            "stats.all_criteria",
            "stats.count",
            "stats.share",
            "stats.option",
            "stats.mean_overall",
            "stats.level",
            "stats.runs",
            "stats.reasons",
            "stats.mean",
            "stats.not_reached",
            "stats.generated",
            "stats.chart_endings",
            "stats.none",
        )
    }
    return StatsView(
        lang=ui,
        title=t(sc.title),
        scenario_id=sc.id,
        totals=tr(
            "stats.totals",
            ui,
            sessions=stats.sessions,
            runs=stats.runs,
            finished=stats.finished,
            unfinished=stats.runs - stats.finished,
        ),
        overall=tr("stats.overall", ui, mean=number(stats.overall_mean)),
        filters=tr("stats.filters", ui, what=", ".join(filters)) if filters else "",
        empty=stats.sessions == 0,
        endings=endings,
        decisions=decisions,
        criteria=criteria,
        agreement=agreement,
        labels=labels,
    )


# Text ----------------------------------------------------------------------------------------

BAR = 20


def bar(share: float, width: int = BAR) -> str:
    """A share (0–1) as a bar of `width` cells, eighths included: `██████▍`."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


def stats_text(view: StatsView) -> str:
    """The figures as plain text with bars, for a terminal."""
    L = view.labels
    out = [f"{view.title} ({view.scenario_id}) — {L['title']}", view.totals]
    if view.filters:
        out.append(view.filters)
    if view.empty:
        out.append(L["none"])
        return "\n".join(out) + "\n"
    out.append(view.overall)
    out += ["", L["endings"]]
    for row in view.endings:
        out.append(
            f"  {row.count:>5}  {bar(row.share):<{BAR}}  {short(row.label, 40)} [{row.ident}]"
        )
    out += ["", L["decisions"]]
    for d in view.decisions:
        spread = f"  ({tr('stats.spread', view.lang, value=number(d.spread))})" if d.spread else ""
        out.append(f"  {short(d.title, 72)}{spread}")
        if not d.total:
            out.append(f"    {L['not_reached']}")
            continue
        for row in d.rows:
            mean = f"  ({number(row.mean)})" if row.mean is not None else ""
            out.append(
                f"    {row.count:>5}  {bar(row.share):<{BAR}}  "
                f"{short(row.label, 36)} [{row.ident}]{mean}"
            )
            for reason in row.children:
                mark = f"  ✗ {reason.note}" if reason.warn else ""
                out.append(
                    f"           {reason.count:>5}  "
                    f"{short(reason.label, 40)} [{reason.ident}]{mark}"
                )
    out += ["", L["criteria"]]
    for c in view.criteria:
        levels = " · ".join(f"{lv.label} {lv.count}" for lv in c.levels)
        unobserved = (
            f" · {tr('stats.not_observed', view.lang, n=c.not_observed)}" if c.not_observed else ""
        )
        out.append(
            f"  {c.rubric} / {c.title}: {levels} · {L['mean']} {number(c.mean, 2)}{unobserved}"
        )
    out += ["", L["agreement"]]
    if not view.agreement:
        out.append(f"  {L['no_ratings']}")
    for a in view.agreement:
        out.append(f"  {a.title} · {a.classes_text} · α {number(a.alpha, 2)}")
        for r in a.rows:
            out.append(
                f"    {pad(r.title, 28)}  {L['peer']} {number(r.peer, 2)}  "
                f"{L['instructor']} {number(r.instructor, 2)}  {L['difference']} "
                f"{number(r.difference, 2)}  α {number(r.alpha, 2)}  ({L['teams']} {r.teams})"
            )
    return "\n".join(out) + "\n"


def stats_html(view: StatsView) -> str:
    """The one-page report: inline CSS and SVG bars, no script (as the debrief report)."""
    from sim.report.environment import html_environment
    from sim.report.html import CJK_NOTE, shows_cjk

    html = html_environment().get_template("stats.html.j2").render(view=view, bar_px=bar_px)
    return html.replace("<!--cjk-note-->", CJK_NOTE if shows_cjk(html) else "", 1)


def bar_px(share: float, width: float = 240.0) -> float:
    """A share (0–1) as an SVG bar's width in pixels."""
    return round(max(0.0, min(1.0, share)) * width, 1)
