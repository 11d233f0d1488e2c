"""The scenario (case) file of format 1, as FORMAT.md defines it."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field, model_validator

from sim.model.base import Count, Flag, Frozen, Number
from sim.model.condition import Condition
from sim.model.effects import Effects
from sim.model.text import Text

Id = str
"""An author's identifier: lowercase letters, digits and hyphens (checked by the validator)."""

END = "end"
"""The `next` that ends the run and picks an ending."""

Outcome = Literal["loyal", "satisfied", "neutral", "complaining", "lost"]


class Role(Frozen):
    """Someone a team plays; persona notes help the actors."""

    id: Id
    name: Text
    persona: Text | None = None


class KnowledgePoint(Frozen):
    """What the case teaches; choices and reasons point here."""

    id: Id
    title: Text
    summary: Text | None = None


class StateVar(Frozen):
    """A numeric state variable. Effects add to it, then it is clamped to [min, max]."""

    initial: Number
    min: Number
    max: Number
    label: Text | None = None
    unit: str | None = None
    visible: Flag = True
    """False hides the gauge from players; the debrief still shows it."""

    @model_validator(mode="after")
    def _bounds(self) -> StateVar:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if not self.min <= self.initial <= self.max:
            raise ValueError(
                f"initial ({self.initial:g}) lies outside [min, max] = [{self.min:g}, {self.max:g}]"
            )
        return self


class Variant(Frozen):
    """Replaces the scene's text and/or line when its condition holds (first match wins)."""

    when: Condition
    text: Text | None = None
    line: Text | None = None


class Choice(Frozen):
    """Something a team can say or do at a scene."""

    id: Id
    text: Text
    requires: Condition | None = None
    """The choice is offered only while this holds."""
    effects: Effects = ()
    evidence: dict[str, Number] = Field(default_factory=dict)
    """Points on a rubric's scale: `RUBRIC` (every criterion) or `RUBRIC.CRITERION`."""
    knowledge: tuple[Id, ...] = ()
    feedback: Text | None = None
    next: Id
    """A scene id, or `end` to pick an ending."""


class Reason(Frozen):
    """Why a team made its choice; asked after every choice at a scene that has reasons."""

    id: Id
    text: Text
    supports: tuple[Id, ...] = ()
    """The choices this reason fits; for any other choice its evidence gets the lowest level."""
    evidence: dict[str, Number] = Field(default_factory=dict)
    knowledge: tuple[Id, ...] = ()
    feedback: Text | None = None


class Scene(Frozen):
    """A moment of the case: narration, the speaker's line, and the choices offered."""

    speaker: Id | None = None
    text: Text | None = None
    line: Text | None = None
    variants: tuple[Variant, ...] = ()
    choices: tuple[Choice, ...] = ()
    reasons: tuple[Reason, ...] = ()
    ending: Id | None = None
    """For a scene without choices: the ending it leads to."""
    shuffle: Flag | None = None
    """False shows this scene's choices and reasons in file order (a scale, a sequence);
    unset follows the scenario's `shuffle`."""

    @cached_property
    def choice_by_id(self) -> dict[str, Choice]:
        """The choices by id, built once: scoring and analysis look a step's choice up for
        every step, and a scan per lookup made a 100,000-choice scene quadratic. The first of
        two choices with one id wins, as a scan would find it (the validator refuses both)."""
        index: dict[str, Choice] = {}
        for choice in self.choices:
            index.setdefault(choice.id, choice)
        return index

    @cached_property
    def reason_by_id(self) -> dict[str, Reason]:
        """The reasons by id (first wins), for the same reason as `choice_by_id`."""
        index: dict[str, Reason] = {}
        for reason in self.reasons:
            index.setdefault(reason.id, reason)
        return index

    @model_validator(mode="after")
    def _choices_or_ending(self) -> Scene:
        if not self.choices and self.ending is None:
            raise ValueError("a scene needs `choices`, or `ending: ENDING_ID` if it ends the case")
        if self.choices and self.ending is not None:
            raise ValueError("a scene has either `choices` or `ending`, not both")
        if self.reasons and not self.choices:
            raise ValueError("`reasons` are asked after a choice; this scene has no `choices`")
        return self


class Ending(Frozen):
    """How the case can end; on `end` the first ending whose `when` holds is reached."""

    id: Id
    when: Condition | None = None
    title: Text | None = None
    text: Text | None = None
    outcome: Outcome = "neutral"
    evidence: dict[str, Number] = Field(default_factory=dict)
    """Evidence the ending itself gives, as a choice's does: a customer lost for good is
    evidence of the lowest level on relationship criteria, so failure is judged, not skipped."""


class Debrief(Frozen):
    """What the instructor reveals after play."""

    real_outcome: Text | None = None
    questions: tuple[Text, ...] = ()


class Scenario(Frozen):
    """A case file. Cross-references are checked by `sim.validate`, not here."""

    format: Literal[1]
    id: Id
    title: Text
    languages: tuple[str, ...] = ("zh", "en")
    """Declared languages; the first is the default."""
    minutes: Count | None = Field(default=None, gt=0)
    """Expected classroom time."""
    summary: Text | None = None
    case: Text | None = None
    """The full case text (Markdown), shown at the briefing."""
    roles: tuple[Role, ...] = ()
    knowledge_points: tuple[KnowledgePoint, ...] = ()
    rubrics: tuple[Id, ...] = ()
    rubric_weights: dict[str, Number] = Field(default_factory=dict)
    state: dict[str, StateVar] = Field(default_factory=dict)
    start: Id
    scenes: dict[str, Scene] = Field(min_length=1)
    endings: tuple[Ending, ...] = Field(min_length=1)
    debrief: Debrief | None = None
    shuffle: Flag = True
    """Choices and reasons are shown in an order drawn afresh for each attempt and team;
    false keeps file order everywhere (a scene may still set its own `shuffle`)."""
    rubric_examples: dict[str, dict[Number, Text]] = Field(
        default_factory=dict,
        description=(
            "This case's own example of a shared rubric's level, shown beside the general "
            "descriptor: keyed `RUBRIC.CRITERION`, then by the level's points."
        ),
    )
    """What a level of a shared (case-neutral) rubric's criterion looks like in this case.

    Shared rubrics describe levels in general terms so that every case can use them; the
    case says what that means here (`communication.listening: {2: ...}`). Checked by the
    validator: the rubric must be one the case is scored or rated on, the criterion and the
    level must exist."""

    def rubric_example(self, rubric: str, criterion: str, points: float) -> Text | None:
        """This case's example for a rubric criterion's level, if it gives one."""
        return self.rubric_examples.get(f"{rubric}.{criterion}", {}).get(points)

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "en"

    def ending(self, ending_id: str) -> Ending | None:
        return next((e for e in self.endings if e.id == ending_id), None)
