"""Effects of a choice: deltas added to state variables, or `set` assignments, in file order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from sim.model.base import LIMIT


@dataclass(frozen=True)
class Effect:
    """One operation on one variable: `add` a delta or `set` a value."""

    op: Literal["add", "set"]
    var: str
    value: float


def _number(value: Any, where: str) -> float:
    # bool is an int in Python; a YAML `true` is never a meaningful delta.
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str):
            try:
                float(value)
                hint = "; remove the quotes"
            except ValueError:
                hint = "; write a number"
        raise PydanticCustomError(
            "effect_type",
            "{where} must be a number, got {value}{hint}",
            {"where": where, "value": repr(value), "hint": hint},
        )
    if value != value or value in (float("inf"), float("-inf")):
        raise PydanticCustomError(
            "effect_type", "{where} must be a finite number", {"where": where}
        )
    if abs(value) > LIMIT:
        raise PydanticCustomError(
            "effect_type",
            "{where} is {value}, beyond the limit of numbers in a case (-1e12 to 1e12)",
            {"where": where, "value": f"{float(value):g}"},
        )
    return float(value)


def _validate_effects(value: Any) -> tuple[Effect, ...]:
    if isinstance(value, tuple) and all(isinstance(item, Effect) for item in value):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "effect_type",
            "effects must be a mapping like {satisfaction: 10, set: {cost: 0}}",
        )
    ops: list[Effect] = []
    for key, item in value.items():
        if key == "set":
            if not isinstance(item, dict):
                raise PydanticCustomError(
                    "effect_type", "`set` must be a mapping of variable: value"
                )
            for var, number in item.items():
                ops.append(Effect("set", str(var), _number(number, f"set.{var}")))
        else:
            ops.append(Effect("add", str(key), _number(item, f"the change to {key}")))
    return tuple(ops)


def _serialize_effects(effects: tuple[Effect, ...]) -> dict[str, Any]:
    """Back to the author's shape, so a dumped scenario validates again."""
    out: dict[str, Any] = {}
    for effect in effects:
        if effect.op == "set":
            out.setdefault("set", {})[effect.var] = effect.value
        else:
            out[effect.var] = effect.value
    return out


Effects = Annotated[
    tuple[Effect, ...],
    PlainValidator(_validate_effects),
    PlainSerializer(_serialize_effects),
    WithJsonSchema(
        {
            "type": "object",
            "description": "deltas added to state variables; `set` assigns values",
            "properties": {"set": {"type": "object", "additionalProperties": {"type": "number"}}},
            "additionalProperties": {"type": "number"},
        }
    ),
]
