"""The visible state variables on one line, as compact as the width needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.widgets import Static

from sim.model import Scenario
from sim.tui.text import local

BAR = 10


@dataclass(frozen=True)
class Gauge:
    label: str
    share: float
    value: str


def _fit(label: str, width: int) -> str:
    """`label` cut to `width` cells with an ellipsis (only when it must be)."""
    if cell_len(label) <= width:
        return label
    out = ""
    for char in label:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


class GaugeLine:
    """All gauges on one line: the widest form that fits the width it is drawn at.

    Bars of ten cells, then of five, then numbers alone, then numbers with labels cut short;
    one line in every form, so the story keeps its room at 80×24 in both languages.
    """

    FORMS = ((BAR, "   "), (5, "  "), (0, " · "))

    def __init__(self, gauges: list[Gauge]) -> None:
        self.gauges = gauges

    def line(self, width: int) -> Text:
        for bar, sep in self.FORMS:
            text = self._draw(bar, sep, None)
            if text.cell_len <= width:
                return text
        # Numbers only, labels shortened evenly until the line fits.
        longest = max((cell_len(g.label) for g in self.gauges), default=0)
        for label_width in range(longest, 1, -1):
            text = self._draw(0, " · ", label_width)
            if text.cell_len <= width:
                return text
        return self._draw(0, " ", 2)

    def _draw(self, bar: int, sep: str, label_width: int | None) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for gauge in self.gauges:
            if text:
                text.append(sep, style="dim")
            label = gauge.label if label_width is None else _fit(gauge.label, label_width)
            text.append(f"{label} ", style="bold")
            if bar:
                filled = round(gauge.share * bar)
                text.append("█" * filled, style="green")
                text.append("░" * (bar - filled), style="dim")
                text.append(" ")
            text.append(gauge.value)
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = self.line(options.max_width)
        line.truncate(options.max_width)
        yield from line.render(console)
        yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def gauges_of(scenario: Scenario, values: Mapping[str, float], lang: str) -> list[Gauge]:
    out = []
    for name, var in scenario.state.items():
        if not var.visible:
            continue
        label = local(var.label, lang, scenario.default_language) or name
        span = var.max - var.min
        share = (values[name] - var.min) / span if span else 1.0
        unit = f" {var.unit}" if var.unit else ""
        out.append(Gauge(label, share, f"{values[name]:g}{unit}"))
    return out


class Gauges(Static):
    """One line of gauges at any width; hidden entirely in realistic mode."""

    def show_state(
        self,
        scenario: Scenario,
        values: Mapping[str, float],
        lang: str,
        hidden_label: str,
        visible: bool,
    ) -> None:
        if not visible:
            self.update(Text(hidden_label, style="dim italic"))
            return
        self.update(GaugeLine(gauges_of(scenario, values, lang)))
