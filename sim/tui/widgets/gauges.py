"""The visible state variables as labelled bars."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from sim.model import Scenario
from sim.tui.text import local
from sim.tui.wrap import Wrapped

BAR = 10


class Gauges(Static):
    """One line per two gauges at 80 columns; hidden entirely in realistic mode."""

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
        parts = Text()
        for name, var in scenario.state.items():
            if not var.visible:
                continue
            label = local(var.label, lang, scenario.default_language) or name
            span = var.max - var.min
            share = (values[name] - var.min) / span if span else 1.0
            filled = round(share * BAR)
            if parts:
                parts.append("   ")
            parts.append(f"{label} ", style="bold")
            parts.append("█" * filled, style="green")
            parts.append("░" * (BAR - filled), style="dim")
            unit = f" {var.unit}" if var.unit else ""
            parts.append(f" {values[name]:g}{unit}")
        self.update(Wrapped(parts))
