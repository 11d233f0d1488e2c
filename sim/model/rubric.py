"""The rubric file of format 1: levels, criteria with descriptors, and who rates it."""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from pydantic import Field

from sim.model.base import Frozen, Number
from sim.model.text import Text

Rater = Literal["auto", "instructor", "peer", "self"]


class Level(Frozen):
    """A step on the rubric's scale; levels are ordered low to high by points."""

    points: Number
    label: Text


class Criterion(Frozen):
    """One thing the rubric judges, with a descriptor for each level."""

    id: str
    title: Text
    weight: Number = Field(default=1, gt=0)
    descriptors: dict[Number, Text] = Field(default_factory=dict)
    """What the criterion looks like at each level, keyed by the level's points."""


class Rubric(Frozen):
    """A rubric: scored automatically from evidence (`auto`) or rated by people."""

    format: Literal[1]
    id: str
    title: Text
    levels: tuple[Level, ...] = Field(min_length=2)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    rated_by: tuple[Rater, ...] = ("auto",)
    percent: dict[Number, Number] | None = None
    """How levels become percent, keyed by level points (e.g. `{1: 40, 2: 60, 3: 80, 4: 100}`
    for a Chinese 百分制); a score between two levels is interpolated linearly. Unset: linear,
    the lowest level 0 % and the highest 100 %."""

    @property
    def lowest(self) -> float:
        return min(level.points for level in self.levels)

    @property
    def highest(self) -> float:
        return max(level.points for level in self.levels)

    @property
    def is_auto(self) -> bool:
        return "auto" in self.rated_by

    def percent_of(self, score: float) -> float:
        """The percent a criterion score (on the level scale) is worth under this rubric."""
        anchors = self.anchors
        if score <= anchors[0][0]:
            return anchors[0][1]
        for (lo, lo_pct), (hi, hi_pct) in pairwise(anchors):
            if score <= hi:
                return lo_pct + (score - lo) / (hi - lo) * (hi_pct - lo_pct)
        return anchors[-1][1]

    @property
    def anchors(self) -> list[tuple[float, float]]:
        """(points, percent) for each level, low to high: the declared mapping or linear."""
        points = sorted(level.points for level in self.levels)
        lo, hi = points[0], points[-1]
        if hi == lo:  # refused by the validator; never divide by zero meanwhile
            return [(p, 100.0) for p in points]
        if self.percent is None or any(p not in self.percent for p in points):
            return [(p, 100 * (p - lo) / (hi - lo)) for p in points]
        return [(p, float(self.percent[p])) for p in points]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
