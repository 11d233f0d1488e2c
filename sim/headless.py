"""Playing a case from a list of choices (`sim run`) and describing analyses as text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.analyze import Analysis, PathScore
from sim.cases import Case
from sim.engine import MoveError, Run, choose, give_reason, start
from sim.i18n import tr
from sim.model import localize
from sim.prose import flow_line
from sim.scoring import Scorecard, score_path
from sim.shapes import run_json


class RunRefused(Exception):
    """A choice or reason the run cannot take; the message lists the valid ones."""


@dataclass
class HeadlessOutcome:
    case: Case
    run: Run
    card: Scorecard

    def as_json(self) -> dict[str, Any]:
        return run_json(self.case.scenario.id, self.run, self.card)

    def as_text(self, lang: str | None = None) -> str:
        """The run for a reader, in `lang` (default: the case's first language): case text and
        labels in that language, ids in brackets for the next `--choices`."""
        sc = self.case.scenario
        lang = lang or sc.default_language
        ui = "zh" if lang.lower().startswith("zh") else "en"
        colon = tr("colon", ui)

        def t(text: Any) -> str:
            return flow_line(localize(text, lang, sc.default_language))

        def named(title: str, ident: str) -> str:
            return f"{title}（{ident}）" if ui == "zh" else f"{title} ({ident})"

        lines = [t(sc.title), ""]
        for number, step in enumerate(self.run.steps, 1):
            scene = sc.scenes[step.scene]
            choice = scene.choice_by_id[step.choice]
            lines.append(f"{number}. [{step.scene}] {t(choice.text)} [{choice.id}]")
            if step.reason is not None:
                reason = scene.reason_by_id[step.reason]
                because = tr("play.because", ui)
                lines.append(f"   {because}{colon}{t(reason.text)} [{reason.id}]")
        if self.run.ending is None:
            lines.append("\n" + tr("run.unfinished", ui, scene=self.run.scene))
        else:
            ending = sc.ending(self.run.ending)
            title = t(ending.title) if ending and ending.title else self.run.ending
            lines.append(f"\n{tr('end.ending', ui)}{colon}{named(title, self.run.ending)}")
        state = []
        for name, value in self.run.values.items():
            var = sc.state.get(name)
            label = (t(var.label) if var and var.label else "") or name
            unit = f" {var.unit}" if var and var.unit else ""
            state.append(f"{label} {value:g}{unit}")
        lines.append(f"{tr('end.state', ui)}{colon}{tr('comma', ui).join(state)}")
        overall = self.card.overall
        score = f"{overall:.1f}" if overall is not None else "-"
        if overall is not None and not self.run.finished:
            score += tr("run.partial", ui)
        lines.append(f"{tr('end.overall', ui)}{colon}{score}")
        not_observed = tr("end.not_observed", ui)
        for rubric_id, result in self.card.rubrics.items():
            percent = f"{result.percent:.1f}%" if result.percent is not None else not_observed
            lines.append(f"  {named(t(result.rubric.title), rubric_id)}{colon}{percent}")
            for c in result.criteria:
                criterion = result.rubric.criterion(c.criterion)
                title = t(criterion.title) if criterion and criterion.title else c.criterion
                head = f"    {named(title, c.criterion)}{colon}"
                if c.score is None or c.level is None:
                    lines.append(head + not_observed)
                else:
                    lines.append(f"{head}{c.score:.2f} -> {t(c.level.label)}")
        return "\n".join(lines)


def play_headless(case: Case, choices: list[tuple[str, str | None]]) -> HeadlessOutcome:
    """Apply the choices in order, refusing the first one that cannot be taken."""
    sc = case.scenario
    run = start(sc)
    for number, (choice_id, reason_id) in enumerate(choices, 1):
        where = f"choice {number} (`{choice_id}`) at scene `{run.scene}`"
        if run.finished:
            raise RunRefused(f"{where}: the run already ended at `{run.ending}`")
        try:
            run = choose(sc, run, choice_id)
        except MoveError as refused:
            raise RunRefused(
                f"{where}: {refused.message}; valid: {', '.join(refused.valid) or 'none'}"
            ) from None
        if run.pending is not None:
            valid = [r.id for r in sc.scenes[run.scene].reasons]
            if reason_id is None:
                raise RunRefused(
                    f"{where}: this scene asks why; add a reason as "
                    f"`{choice_id}:REASON`, one of: {', '.join(valid)}"
                )
            try:
                run = give_reason(sc, run, reason_id)
            except MoveError as refused:
                raise RunRefused(
                    f"{where}: {refused.message}; valid: {', '.join(refused.valid)}"
                ) from None
        elif reason_id is not None:
            raise RunRefused(f"{where}: this scene asks no reason; write `{choice_id}` alone")
    return HeadlessOutcome(case, run, score_path(sc, case.rubrics, run.steps, run.ending))


def _path_text(label: str, path: PathScore | None) -> list[str]:
    if path is None:
        return [f"{label}: none"]
    overall = f"{path.overall:.1f}" if path.overall is not None else "-"
    steps = ",".join(f"{s.choice}:{s.reason}" if s.reason else s.choice for s in path.steps)
    return [f"{label}: {overall} -> {path.ending}", f"  --choices {steps}"]


def analysis_text(case: Case, analysis: Analysis) -> str:
    """The analysis for an author: what is certain, what is a bound, and any loop."""
    if analysis.loop is not None:
        paths = "unbounded paths (the case loops)"
    elif analysis.paths is not None:
        paths = f"{analysis.paths:,} paths"
    else:
        paths = f"paths not counted (more states than the budget of {analysis.budget:,})"
    lines = [f"{analysis.scenario}: {paths}, {analysis.states:,} states explored"]
    if analysis.loop is not None:
        ring = " -> ".join(analysis.loop)
        lines.append(
            f"  loop: {ring} (a run can go round it for ever; paths below never repeat a state)"
        )
    if not analysis.complete:
        lines.append(
            f"  bounded: the analysis stopped at its budget of {analysis.budget:,} states "
            "(--budget N explores more); the figures below are bounds, not exact"
        )
    for ending_id, reachable in analysis.endings.items():
        mark = {True: "reachable", False: "NEVER REACHED", None: "not found within the budget"}[
            reachable
        ]
        lines.append(f"  ending {ending_id}: {mark}")
    exact = (
        "exact"
        if analysis.exact
        else "the best and worst found by a bounded search, not guaranteed extremes"
    )
    lines.append(f"best and worst paths ({exact}):")
    lines += _path_text("  best", analysis.best)
    lines += _path_text("  worst", analysis.worst)
    if analysis.worst_unjudged:
        lines.append(
            "warning: the worst path never judges "
            + ", ".join(analysis.worst_unjudged)
            + ": a failing run is scored as if these had not been tried; give the ending "
            "it reaches `evidence` at the lowest level (docs/FORMAT.md)"
        )
    lines += _decisions_text(analysis)
    return "\n".join(lines)


def _decisions_text(analysis: Analysis) -> list[str]:
    """The per-decision table: where an author sees a dominated option or a fake dilemma."""
    if not analysis.decisions:
        return []
    scored = "exact" if analysis.exact else "best and worst unknown without an exact search"
    lines = [f"decisions (best / worst overall of complete paths taking the choice; {scored}):"]
    width = max(len(c.id) for d in analysis.decisions for c in d.choices)
    for decision in analysis.decisions:
        lines.append(f"  {decision.scene}")
        for choice in decision.choices:
            if not choice.endings:
                lines.append(f"    {choice.id:<{width}}  never taken")
                continue
            best = f"{choice.best:5.1f}" if choice.best is not None else "    -"
            worst = f"{choice.worst:5.1f}" if choice.worst is not None else "    -"
            lines.append(
                f"    {choice.id:<{width}}  {best} / {worst}  -> {', '.join(choice.endings)}"
            )
    return lines
