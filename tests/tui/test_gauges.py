"""Gauges stay on one line at 80 columns, as wide as the line allows."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from sim.cases import load_case
from sim.engine import start
from sim.library import bundled_scenarios
from sim.tui.widgets.gauges import Gauge, GaugeLine, gauges_of


def drawn(line: GaugeLine, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(line)
    return console.export_text().splitlines()


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_case_shows_its_gauges_on_one_line_at_80_columns(path: object, lang: str) -> None:
    case = load_case(path)  # type: ignore[arg-type]
    gauges = gauges_of(case.scenario, start(case.scenario).values, lang)
    shown = drawn(GaugeLine(gauges), 78)  # 80 columns less the widget's padding
    assert len(shown) == 1
    for gauge in gauges:
        assert gauge.value in shown[0]


def test_the_widest_form_that_fits_is_chosen() -> None:
    gauges = [Gauge("满意度", 0.5, "50"), Gauge("信任", 1.0, "100")]
    assert drawn(GaugeLine(gauges), 78) == ["满意度 █████░░░░░ 50   信任 ██████████ 100"]
    assert drawn(GaugeLine(gauges), 32) == ["满意度 ██░░░ 50  信任 █████ 100"]
    assert drawn(GaugeLine(gauges), 22) == ["满意度 50 · 信任 100"]
    assert drawn(GaugeLine(gauges), 16) == ["满… 50 · 信… 100"]
