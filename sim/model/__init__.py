"""Pydantic models of the case and rubric formats (format 1). Pure: no I/O."""

from sim.model.condition import Condition
from sim.model.effects import Effect
from sim.model.rubric import Criterion, Level, Rubric
from sim.model.scenario import (
    END,
    Choice,
    Debrief,
    Ending,
    KnowledgePoint,
    Reason,
    Role,
    Scenario,
    Scene,
    StateVar,
    Variant,
)
from sim.model.text import Text, localize

__all__ = [
    "END",
    "Choice",
    "Condition",
    "Criterion",
    "Debrief",
    "Effect",
    "Ending",
    "KnowledgePoint",
    "Level",
    "Reason",
    "Role",
    "Rubric",
    "Scenario",
    "Scene",
    "StateVar",
    "Text",
    "Variant",
    "localize",
]
