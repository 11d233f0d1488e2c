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

from sim.loader.errors import _field_names, _unwrap, closest, model_at
from sim.loader.yaml_nodes import Places

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


def _scalar_entries(root: type[BaseModel], loc: list[Any]) -> bool:
    """Whether `loc` is a mapping of plain values (evidence, effects, weights): an entry of it
    can be left out without anything else referring to it."""
    if not loc or isinstance(loc[-1], int):
        return False
    holder = model_at(root, tuple(loc[:-1]))
    if holder is None:
        return False
    info = next((f for n, f in holder.model_fields.items() if loc[-1] in (n, f.alias)), None)
    if info is None:
        return False
    for candidate in _unwrap(info.annotation):
        if typing.get_origin(candidate) is dict:
            values = _unwrap(typing.get_args(candidate)[1])
            return all(v in (str, int, float, bool) for v in values)
    return False


def _rename(
    container: dict[Any, Any],
    key: str,
    parent: type[BaseModel] | None,
    loc: list[Any],
    places: Places,
) -> bool:
    """An unknown key that is a misspelling of a field the mapping lacks (`choises:`) is read
    as that field, so what it holds is still checked, at its own lines."""
    if parent is None:
        return False
    known = [name for name in _field_names(parent) if name not in container]
    field = closest(key, known, cutoff=0.75)  # surer than a "did you mean": it acts on it
    if field is None:
        return False
    container[field] = container.pop(key)
    old = (*loc[:-1], key)
    new = (*loc[:-1], field)
    for path, place in list(places.items()):
        if path[: len(old)] == old:
            places.setdefault(new + path[len(old) :], place)
    return True


def _set_aside(data: Any, error: ErrorDetails, root: type[BaseModel], places: Places) -> bool:
    """Drop or replace the value the error is about; False when that cannot be done."""
    loc = [part for part in error["loc"] if part != "[key]"]
    if not loc or isinstance(loc[-1], int):
        return False  # the whole file, or a list item: removing it would move the others
    container = _container(data, loc[:-1])
    key = loc[-1]
    if not isinstance(container, dict):
        return False
    if error["type"] == "extra_forbidden":
        if key in container and not _rename(
            container, str(key), model_at(root, tuple(loc[:-1])), loc, places
        ):
            container.pop(key, None)
        return True
    parent = model_at(root, tuple(loc[:-1]))
    if parent is None:
        if _scalar_entries(root, loc[:-1]):
            container.pop(key, None)  # one evidence or effect value: nothing refers to it
            return True
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


def salvage(
    data: dict[str, Any],
    failure: ValidationError,
    root: type[BaseModel],
    places: Places | None = None,
) -> Any:
    """A model of the file with its failed values set aside, or None. A misspelt key read as
    its field gets its places added to `places` under the field's name."""
    current = copy.deepcopy(data)
    places = places if places is not None else {}
    for _ in range(ROUNDS):
        if not all(_set_aside(current, error, root, places) for error in failure.errors()):
            return None
        try:
            return root.model_validate(current)
        except ValidationError as again:
            failure = again
    return None
