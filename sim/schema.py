"""JSON Schema of the scenario and rubric formats, generated from the models."""

from __future__ import annotations

import ast
import inspect
import sys
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, TypeAdapter

from sim.model import Rubric, Scenario
from sim.model.base import Frozen

SCHEMA_ID = "https://sim.invalid/schema/format-1.json"


def format_schema() -> dict[str, Any]:
    """One schema accepting a scenario or a rubric, for an editor's YAML language server."""
    adapter: TypeAdapter[Scenario | Rubric] = TypeAdapter(Scenario | Rubric)
    schema = adapter.json_schema(by_alias=True)
    _add_field_docstrings(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sim case or rubric (format 1)"
    return schema


def field_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """The docstring under each field of `cls`, as pydantic's `use_attribute_docstrings` reads it.

    The models do not ask pydantic for them: reading every model's source as its class is
    built cost ~50 ms at each import (a third of loading the models, paid by every `sim
    validate`), and only this schema shows them.
    """
    source = inspect.getsource(sys.modules[cls.__module__])
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            break
    else:
        return {}
    docs: dict[str, str] = {}
    body = node.body
    for field, after in pairwise(body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _models(base: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for cls in base.__subclasses__():
        found += [cls, *_models(cls)]
    return found


def _add_field_docstrings(schema: dict[str, Any]) -> None:
    """Each field's docstring as its property's `description`, where no description is set,
    with the keys sorted as pydantic sorts them."""
    definitions = schema.get("$defs", {})
    for cls in _models(Frozen):
        properties = definitions.get(cls.__name__, {}).get("properties", {})
        docs = field_docstrings(cls)
        for name, info in cls.model_fields.items():
            prop = properties.get(info.alias or name)
            if prop is None or name not in docs or "description" in prop:
                continue
            prop["description"] = docs[name]
            ordered = dict(sorted(prop.items()))
            prop.clear()
            prop.update(ordered)
