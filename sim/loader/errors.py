"""Turning pydantic's validation errors into findings an author can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.findings import Finding
from sim.loader.yaml_nodes import DataPath, Mark, Places
from sim.model.base import LIMIT

_KINDS = {
    "NoneType": "nothing",
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "list": "a list",
    "dict": "a mapping",
}

_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def closest(word: str, options: typing.Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option closest to `word`, or None when none is close enough."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return close[0] if close else None


def suggest(word: str, options: typing.Iterable[str]) -> str:
    """` (did you mean `x`?)` for the closest option, or nothing when none is close."""
    close = closest(word, options)
    return f" (did you mean `{close}`?)" if close else ""


def place_of(places: Places, path: DataPath, *, key: bool = False) -> Mark:
    """The position of a data path, or of its nearest ancestor that the file contains."""
    for end in range(len(path), -1, -1):
        place = places.get(path[:end])
        if place is not None:
            if key and end == len(path) and place.key is not None:
                return place.key
            # For an ancestor, point at its key: that names what holds the problem.
            if end < len(path) and place.key is not None:
                return place.key
            return place.value
    return Mark(1, 1)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found.extend(_unwrap(arg))
        return found
    return [annotation]


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the data at `loc`, walking fields, lists and dicts."""
    current: list[Any] = [root]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                for name, info in candidate.model_fields.items():
                    if part in (name, info.alias):
                        following.extend(_unwrap(info.annotation))
            else:
                origin = typing.get_origin(candidate)
                args = typing.get_args(candidate)
                if origin in (list, tuple) and args:
                    following.extend(_unwrap(args[0]))
                elif origin is dict and len(args) == 2:
                    following.extend(_unwrap(args[1]))
        current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _describe(value: Any) -> str:
    return _KINDS.get(type(value).__name__, type(value).__name__)


def field_path(loc: tuple[Any, ...]) -> str:
    """A data path as an author reads it: `scenes.gate.choices[2].next`."""
    shown = ""
    for part in loc:
        if isinstance(part, int):
            shown += f"[{part}]"
        else:
            shown += ("." if shown else "") + str(part)
    return shown


def _message(error: ErrorDetails, root: type[BaseModel]) -> str:
    """The problem in words, naming the field it is about (unknown and missing keys name
    themselves)."""
    text = _problem(error, root)
    loc = tuple(part for part in error["loc"] if part != "[key]")
    if error["type"] in ("extra_forbidden", "missing") or not loc:
        return text
    return f"`{field_path(loc)}`: {text}"


def _problem(error: ErrorDetails, root: type[BaseModel]) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = model_at(root, loc[:-1])
        known = _field_names(parent) if parent else []
        hint = suggest(key, known)
        if not hint and known:
            hint = f"; expected one of: {', '.join(known)}"
        return f"unknown key `{key}`{hint}"
    if kind == "missing":
        return f"missing required key `{loc[-1]}`"
    if kind == "bool_type" and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return f"`{value}` is text here, not a boolean; write true or false"
    if kind == "bool_type":
        return f"expected true or false, got {_describe(value)}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        if isinstance(value, str):
            hint = "remove the quotes" if _looks_numeric(value) else "write a number"
            return f"expected a number, got the text {value!r}; {hint}"
        return f"expected a number, got {_describe(value)}"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}; quote it"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {_describe(value)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed here; expected {expected}"
    if kind == "too_short":
        return f"`{loc[-1]}` must not be empty" if loc else "must not be empty"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "finite_number":
        return "expected a finite number"
    beyond = isinstance(value, int | float) and abs(value) > LIMIT
    if kind in ("less_than_equal", "greater_than_equal") and beyond:
        return f"{value:g} is beyond the limit of numbers in a case (-1e12 to 1e12)"
    return str(error["msg"])


def _echo_of_item_errors(error: ErrorDetails) -> bool:
    """pydantic reports a list "too short" when its items failed; the items say why."""
    if error["type"] != "too_short":
        return False
    value = error.get("input")
    minimum = error.get("ctx", {}).get("min_length", 0)
    return isinstance(value, list | dict) and len(value) >= minimum


def findings_from(
    exc: ValidationError, root: type[BaseModel], places: Places, path: str
) -> list[Finding]:
    """One finding per pydantic error, placed at the offending key or value."""
    findings = []
    for error in exc.errors():
        if _echo_of_item_errors(error):
            continue
        loc = tuple(part for part in error["loc"] if part != "[key]")
        # Unknown keys and whole-mapping problems are best shown at the key that holds them.
        on_key = error["type"] in ("extra_forbidden", "value_error") or "[key]" in error["loc"]
        if error["type"] == "missing":
            mark = place_of(places, loc[:-1], key=True)
        else:
            mark = place_of(places, loc, key=on_key)
        findings.append(Finding(path, mark.line, mark.column, "error", _message(error, root)))
    return sorted(set(findings))
