"""The rest of a file that failed its models: enough to run the reference and graph checks.

A type error used to hide every other problem of the file: fix `initial: lots`, run again,
and only then learn that `next: optionz` goes nowhere. Here each value that failed is set
aside — an unknown key dropped, an optional field left out, a required one given a
placeholder of its type — and the models are tried again, a few rounds at most. When that
yields a model, the validator's cross-checks run on it; what they say about a placeholder's
own line is the placeholder talking and is dropped by the caller.

Some failures cannot be set aside without moving or inventing structure (a list item, a
whole scene, a mapping checked as a whole): then there is no salvage and the file's own
errors are all that is reported, as before.
"""

from __future__ import annotations

import copy
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.loader.errors import _unwrap, model_at

ROUNDS = 4
_NOTHING = object()


def _placeholder(annotation: Any) -> Any:
    """A harmless value of the field's type, or _NOTHING when there is none to make."""
    for candidate in _unwrap(annotation):
        if candidate is str:
            return "?"
        if candidate in (int, float):
            return 1
        if candidate is bool:
            return False
        origin = typing.get_origin(candidate)
        if origin in (list, tuple):
            return []
        if origin is dict:
            return {}
    return _NOTHING


def _container(data: Any, path: list[Any]) -> Any:
    for part in path:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]
        else:
            return None
    return data


def _set_aside(data: Any, error: ErrorDetails, root: type[BaseModel]) -> bool:
    """Drop or replace the value the error is about; False when that cannot be done."""
    loc = [part for part in error["loc"] if part != "[key]"]
    if not loc or isinstance(loc[-1], int):
        return False  # the whole file, or a list item: removing it would move the others
    container = _container(data, loc[:-1])
    key = loc[-1]
    if not isinstance(container, dict):
        return False
    if error["type"] == "extra_forbidden":
        container.pop(key, None)
        return True
    parent = model_at(root, tuple(loc[:-1]))
    if parent is None:
        return False  # a mapping's entry (a scene, a state variable): others refer to it
    info = next((f for name, f in parent.model_fields.items() if key in (name, f.alias)), None)
    if info is None:
        return False
    if not info.is_required() and error["type"] != "missing":
        container.pop(key, None)
        return True
    value = _placeholder(info.annotation)
    if value is _NOTHING:
        return False
    if container.get(key, _NOTHING) == value:
        return False  # the placeholder itself failed: no progress to make
    container[key] = value
    return True


def salvage(data: dict[str, Any], failure: ValidationError, root: type[BaseModel]) -> Any:
    """A model of the file with its failed values set aside, or None."""
    current = copy.deepcopy(data)
    for _ in range(ROUNDS):
        if not all(_set_aside(current, error, root) for error in failure.errors()):
            return None
        try:
            return root.model_validate(current)
        except ValidationError as again:
            failure = again
    return None
