"""The JSON Schema accepts the bundled files and rejects a typo, as an editor would."""

from __future__ import annotations

import pytest
import yaml

from sim.library import bundled_root
from sim.schema import format_schema

jsonschema = pytest.importorskip("jsonschema")


def test_bundled_files_satisfy_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(format_schema())
    files = sorted((bundled_root() / "scenarios").glob("*.yaml")) + sorted(
        (bundled_root() / "rubrics").glob("*.yaml")
    )
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path}: {errors[0].message}"


def test_a_typo_is_rejected_by_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(format_schema())
    rubric = {
        "format": 1,
        "id": "x",
        "title": "X",
        "criterias": [],
        "levels": [{"points": 1, "label": "a"}, {"points": 2, "label": "b"}],
    }
    assert list(validator.iter_errors(rubric))
