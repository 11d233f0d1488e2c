"""The pure engine: state, conditions, choices, reasons and endings exactly as FORMAT.md says.

A `Run` is an immutable value; every move returns a new one, so a run can be replayed from
its steps, compared, stored as events and resumed. No I/O, no UI.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from sim.model import END, Choice, Condition, Reason, Scenario, Scene
from sim.model.text import Text

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "eq": operator.eq,
    "ne": operator.ne,
}


class Step(NamedTuple):
    """One decision: the choice made at a scene and, where the scene asks, the reason why.

    A named tuple, not a frozen dataclass: analysis and scoring key dictionaries by steps
    (some 20,000 lookups to validate a 2,000-scene case), and a frozen dataclass's hash is
    computed by Python code on every lookup, a tuple's by C."""

    scene: str
    choice: str
    reason: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"scene": self.scene, "choice": self.choice, "reason": self.reason}


@dataclass(frozen=True)
class Run:
    """Where a run stands: the scene, the state, the steps so far, and the ending once over.

    `pending` holds a choice made at a scene that asks for a reason: the run waits for the
    reason before it moves on.
    """

    scene: str
    values: Mapping[str, float]
    steps: tuple[Step, ...] = ()
    pending: str | None = None
    ending: str | None = None
    chosen: frozenset[str] = field(default_factory=frozenset)

    @property
    def finished(self) -> bool:
        return self.ending is not None


class MoveError(ValueError):
    """A move the run cannot make; `valid` lists what it could do instead."""

    def __init__(self, message: str, valid: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.valid = valid


def holds(condition: Condition | None, values: Mapping[str, float], chosen: frozenset[str]) -> bool:
    """Whether a condition holds for these values and the choices taken so far."""
    if condition is None:
        return True
    if condition.var is not None:
        value = values[condition.var]
        return all(_COMPARE[op](value, number) for op, number in condition.comparisons())
    if condition.chose is not None:
        return condition.chose in chosen
    if condition.all_ is not None:
        return all(holds(inner, values, chosen) for inner in condition.all_)
    if condition.any_ is not None:
        return any(holds(inner, values, chosen) for inner in condition.any_)
    return not holds(condition.not_, values, chosen)


def apply_effects(
    scenario: Scenario, values: Mapping[str, float], choice: Choice
) -> dict[str, float]:
    """Deltas and `set`s in file order, then every variable clamped to its [min, max]."""
    result = dict(values)
    for effect in choice.effects:
        if effect.op == "set":
            result[effect.var] = effect.value
        else:
            result[effect.var] = result[effect.var] + effect.value
    for name, var in scenario.state.items():
        result[name] = min(max(result[name], var.min), var.max)
    return result


def start(scenario: Scenario) -> Run:
    """A new run at the start scene with every variable at its initial value."""
    values = {name: var.initial for name, var in scenario.state.items()}
    return _arrive(scenario, Run(scene=scenario.start, values=values))


def _arrive(scenario: Scenario, run: Run) -> Run:
    scene = scenario.scenes[run.scene]
    if scene.ending is not None:
        return replace(run, ending=scene.ending)
    return run


def pick_ending(scenario: Scenario, values: Mapping[str, float], chosen: frozenset[str]) -> str:
    """The first ending, in file order, whose `when` holds (the last one always does)."""
    for ending in scenario.endings:
        if holds(ending.when, values, chosen):
            return ending.id
    return scenario.endings[-1].id


def available_choices(scenario: Scenario, run: Run) -> list[Choice]:
    """The scene's choices whose `requires` holds, in file order."""
    if run.finished or run.pending is not None:
        return []
    scene = scenario.scenes[run.scene]
    return [c for c in scene.choices if holds(c.requires, run.values, run.chosen)]


def reasons(scenario: Scenario, run: Run) -> list[Reason]:
    """The reasons to pick from after a choice at this scene (empty if it asks none)."""
    return list(scenario.scenes[run.scene].reasons)


def choose(scenario: Scenario, run: Run, choice_id: str) -> Run:
    """Make a choice: effects apply now; the run moves on at once or after the reason."""
    if run.finished:
        raise MoveError("the run has ended", [])
    if run.pending is not None:
        valid = [r.id for r in reasons(scenario, run)]
        raise MoveError(f"a reason is due for `{run.pending}` first", valid)
    offered = available_choices(scenario, run)
    valid = [c.id for c in offered]
    choice = next((c for c in offered if c.id == choice_id), None)
    if choice is None:
        scene = scenario.scenes[run.scene]
        if any(c.id == choice_id for c in scene.choices):
            message = f"choice `{choice_id}` is not available now at scene `{run.scene}`"
        else:
            message = f"scene `{run.scene}` has no choice `{choice_id}`"
        raise MoveError(message, valid)
    values = apply_effects(scenario, run.values, choice)
    moved = replace(run, values=values, chosen=run.chosen | {choice.id})
    if scenario.scenes[run.scene].reasons:
        return replace(moved, pending=choice.id)
    return _advance(scenario, moved, Step(run.scene, choice.id), choice)


def give_reason(scenario: Scenario, run: Run, reason_id: str) -> Run:
    """Give the reason for the pending choice and move on."""
    if run.pending is None:
        raise MoveError("no choice is waiting for a reason", [])
    valid = [r.id for r in reasons(scenario, run)]
    if reason_id not in valid:
        raise MoveError(f"scene `{run.scene}` has no reason `{reason_id}`", valid)
    choice = scenario.scenes[run.scene].choice_by_id[run.pending]
    return _advance(
        scenario, replace(run, pending=None), Step(run.scene, choice.id, reason_id), choice
    )


def _advance(scenario: Scenario, run: Run, step: Step, choice: Choice) -> Run:
    steps = (*run.steps, step)
    if choice.next == END:
        return replace(run, steps=steps, ending=pick_ending(scenario, run.values, run.chosen))
    return _arrive(scenario, replace(run, steps=steps, scene=choice.next))


def take(scenario: Scenario, run: Run, step: Step) -> Run:
    """Apply one whole step (choice, then reason if the scene asks one)."""
    if step.scene != run.scene:
        raise MoveError(f"the run is at scene `{run.scene}`, not `{step.scene}`", [run.scene])
    run = choose(scenario, run, step.choice)
    if run.pending is not None:
        if step.reason is None:
            raise MoveError(
                f"scene `{step.scene}` asks why: give a reason",
                [r.id for r in reasons(scenario, run)],
            )
        run = give_reason(scenario, run, step.reason)
    elif step.reason is not None:
        raise MoveError(f"scene `{step.scene}` asks no reason", [])
    return run


def replay(scenario: Scenario, steps: tuple[Step, ...] | list[Step]) -> Run:
    """The run that these steps produce from the start."""
    run = start(scenario)
    for step in steps:
        run = take(scenario, run, step)
    return run


@dataclass(frozen=True)
class SceneView:
    """What the players see at a scene: narration and line after variants."""

    scene_id: str
    speaker: str | None
    text: Text | None
    line: Text | None


def view(scenario: Scenario, run: Run) -> SceneView:
    """The scene's text and line with the first matching variant applied."""
    scene: Scene = scenario.scenes[run.scene]
    text, line = scene.text, scene.line
    for variant in scene.variants:
        if holds(variant.when, run.values, run.chosen):
            text = variant.text if variant.text is not None else text
            line = variant.line if variant.line is not None else line
            break
    return SceneView(run.scene, scene.speaker, text, line)
