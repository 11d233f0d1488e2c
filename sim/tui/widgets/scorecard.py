"""The scorecard: each rubric's percent, each criterion's level, descriptor and evidence."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sim.debrief import percent_legends
from sim.i18n import tr
from sim.model import Scenario
from sim.scoring import Scorecard
from sim.tui.text import clean, local
from sim.tui.wrap import Wrapped


def scorecard_text(scenario: Scenario, card: Scorecard, lang: str) -> Text:
    """Plain text (no markup) so rubric and case text can contain anything."""
    default = scenario.default_language
    out = Text()
    overall = f"{card.overall:.1f}" if card.overall is not None else "–"
    colon = tr("colon", lang)
    out.append(f"{tr('end.overall', lang)}{colon}{overall} / 100\n", style="bold")
    # How the percents are made (level → percent → weight), so no number is a mystery.
    weights = " : ".join(
        f"{local(result.rubric.title, lang, default)} {scenario.rubric_weights.get(rid, 1.0):g}"
        for rid, result in card.rubrics.items()
    )
    out.append(clean(tr("end.how", lang, weights=weights)) + "\n", style="dim")
    rubrics = [result.rubric for result in card.rubrics.values()]
    for line in percent_legends(rubrics, lang, default):
        out.append("  " + clean(line) + "\n", style="dim")
    ending_text = {e.id: local(e.title, lang, default) or e.id for e in scenario.endings}
    choice_text = {
        (sid, c.id): local(c.text, lang, default)
        for sid, scene in scenario.scenes.items()
        for c in scene.choices
    }
    reason_text = {
        (sid, r.id): local(r.text, lang, default)
        for sid, scene in scenario.scenes.items()
        for r in scene.reasons
    }
    for result in card.rubrics.values():
        rubric = result.rubric
        percent = f"{result.percent:.1f}%" if result.percent is not None else "–"
        out.append(f"\n{local(rubric.title, lang, default)}  {percent}\n", style="bold underline")
        for criterion_result in result.criteria:
            criterion = rubric.criterion(criterion_result.criterion)
            title = local(criterion.title, lang, default) if criterion else ""
            if criterion_result.score is None or criterion_result.level is None:
                out.append(f"  {title}{colon}", style="bold")
                out.append(f"{tr('end.not_observed', lang)}\n", style="dim")
                continue
            level = criterion_result.level
            out.append(f"  {title}{colon}", style="bold")
            score = f"{criterion_result.score:.2f}"
            score = f"（{score}）" if lang == "zh" else f" ({score})"
            out.append(f"{local(level.label, lang, default)}{score}\n")
            if criterion and level.points in criterion.descriptors:
                descriptor = local(criterion.descriptors[level.points], lang, default)
                out.append(f"    {descriptor}\n", style="italic")
            example = scenario.rubric_example(rubric.id, criterion_result.criterion, level.points)
            if example is not None:
                # The shared rubric speaks in general terms; the case says what that meant here.
                out.append(f"    {tr('end.example', lang)}", style="dim")
                out.append(f"{local(example, lang, default)}\n", style="italic")
            sources = []
            for evidence in criterion_result.evidence:
                if evidence.source == "ending":
                    text = f"{tr('end.from_ending', lang)}{colon}{ending_text[evidence.item]}"
                else:
                    table = choice_text if evidence.source == "choice" else reason_text
                    text = table.get((evidence.scene, evidence.item), evidence.item)
                mark = " ✗" if evidence.mismatched else ""
                sources.append(f"{text} → {evidence.points:g}{mark}")
            if sources:
                # One line per choice or reason that earned the level: long texts stay legible.
                out.append(f"    {tr('end.from', lang)}{colon}\n", style="dim")
                for source in sources:
                    out.append(f"    · {clean(source)}\n", style="dim")
    return out


class ScorecardView(Static):
    def show(self, scenario: Scenario, card: Scorecard, lang: str) -> None:
        self.update(Wrapped(scorecard_text(scenario, card, lang), hang=True))
