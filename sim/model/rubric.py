"""The rubric file of format 1: levels, criteria with descriptors, and who rates it."""

from __future__ import annotations

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

    @property
    def lowest(self) -> float:
        return min(level.points for level in self.levels)

    @property
    def highest(self) -> float:
        return max(level.points for level in self.levels)

    @property
    def is_auto(self) -> bool:
        return "auto" in self.rated_by

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
