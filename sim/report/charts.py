"""The debrief's bar chart as plain geometry; the HTML template draws it as inline SVG."""

from __future__ import annotations

from dataclasses import dataclass

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and dark
# enough to read on a projector and in a greyscale print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9", "#000000")

WIDTH = 960.0
LABEL_WIDTH = 210.0
BAR_WIDTH = 640.0
AXIS = 34.0
HEADER = 30.0
ROW = 26.0
BAR = 19.0
GAP = 12.0


@dataclass(frozen=True)
class ChartBar:
    team: str
    y: float
    width: float
    value: str
    colour: str
    missing: bool


@dataclass(frozen=True)
class ChartGroup:
    title: str
    y: float
    bars: list[ChartBar]
    emphasis: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    label_width: float
    bar_width: float
    ticks: list[Tick]
    groups: list[ChartGroup]


@dataclass(frozen=True)
class Series:
    """One group of bars: a title and each team's percent (None: nothing to show)."""

    title: str
    values: list[float | None]
    emphasis: bool = False
    missing: list[str | None] | None = None
    """Per team, what a missing value says in this series (None: the chart's default)."""


def team_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def bar_chart(teams: list[str], series: list[Series], missing: str = "—") -> Chart:
    """Horizontal bars grouped by series, one bar per team, on a 0–100 axis."""
    y = AXIS
    groups = []
    for item in series:
        top = y
        y += HEADER
        bars = []
        for index, (team, value) in enumerate(zip(teams, item.values, strict=True)):
            clamped = min(max(value, 0.0), 100.0) if value is not None else 0.0
            bars.append(
                ChartBar(
                    team=short(team),
                    y=y + (ROW - BAR) / 2,
                    width=round(BAR_WIDTH * clamped / 100, 1),
                    value=f"{value:.1f}"
                    if value is not None
                    else ((item.missing[index] if item.missing else None) or missing),
                    colour=team_colour(index),
                    missing=value is None,
                )
            )
            y += ROW
        groups.append(ChartGroup(item.title, top, bars, item.emphasis))
        y += GAP
    ticks = [Tick(LABEL_WIDTH + BAR_WIDTH * p / 100, str(p)) for p in (0, 25, 50, 75, 100)]
    return Chart(WIDTH, y, LABEL_WIDTH, BAR_WIDTH, ticks, groups)
