"""JSON Schema of the scenario and rubric formats, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from sim.model import Rubric, Scenario

SCHEMA_ID = "https://sim.invalid/schema/format-1.json"


def format_schema() -> dict[str, Any]:
    """One schema accepting a scenario or a rubric, for an editor's YAML language server."""
    adapter: TypeAdapter[Scenario | Rubric] = TypeAdapter(Scenario | Rubric)
    schema = adapter.json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sim case or rubric (format 1)"
    return schema
