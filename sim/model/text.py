"""Multilingual text: a plain string or a mapping from language code to string."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from sim.localize import localize

__all__ = ["Text", "localize"]


def _validate_text(value: Any) -> str | dict[str, str]:
    # A plain validator keeps error locations free of union branch names, so the loader can
    # point at the exact YAML node.
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError(
                "text_type", "empty text mapping; write a string or {zh: ..., en: ...}"
            )
        for lang, text in value.items():
            if not isinstance(lang, str):
                raise PydanticCustomError(
                    "text_type",
                    "language code {lang!r} must be text like zh or en",
                    {"lang": lang},
                )
            if not isinstance(text, str):
                raise PydanticCustomError(
                    "text_type",
                    "the {lang} text must be a string; quote it",
                    {"lang": lang},
                )
        return dict(value)
    raise PydanticCustomError(
        "text_type",
        "expected text: a string or a mapping like zh: ... en: ..., got {kind}",
        {"kind": {"list": "a list", "NoneType": "nothing"}.get(type(value).__name__, "a number")},
    )


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_validate_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "minProperties": 1,
                    "description": "text per language code, e.g. {zh: ..., en: ...}",
                },
            ]
        }
    ),
]
"""A human-readable field: one string for every language, or one string per language."""
