"""A copied case must get its own id: cases are found, listed and stored by it."""

from __future__ import annotations

import shutil
from pathlib import Path

from sim.cases import validate_paths
from sim.library import bundled_root

BA008 = bundled_root() / "scenarios" / "airline-ba008.yaml"


def test_two_files_with_one_id_are_an_error_at_the_id(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(BA008, folder / "a.yaml")
    shutil.copy(BA008, folder / "b.yaml")
    findings = [f for f in validate_paths([folder]) if f.severity == "error"]
    assert [(Path(f.path).name, f.line, f.column) for f in findings] == [("b.yaml", 2, 5)]
    assert "already used by" in findings[0].message and "a.yaml" in findings[0].message


def test_a_copy_keeping_a_bundled_id_is_warned(tmp_path: Path) -> None:
    copy = tmp_path / "my-case.yaml"
    shutil.copy(BA008, copy)
    findings = validate_paths([copy])
    assert [(f.severity, f.line, f.column) for f in findings] == [("warning", 2, 5)]
    assert "bundled case's id" in findings[0].message


def test_the_bundled_library_itself_is_clean() -> None:
    assert validate_paths([bundled_root() / "scenarios", bundled_root() / "rubrics"]) == []


def test_one_typo_in_rubrics_gives_one_error_per_unlisted_rubric(tmp_path: Path) -> None:
    text = BA008.read_text(encoding="utf-8").replace("id: airline-ba008", "id: typo-case", 1)
    typo = tmp_path / "typo.yaml"
    typo.write_text(text.replace("rubrics: [communication", "rubrics: [comunication", 1))
    errors = [f for f in validate_paths([typo]) if f.severity == "error"]
    # The unknown rubric (with the likely fix), its weight, and its first knock-on use only.
    assert len(errors) == 3, errors
    assert "not found" in errors[0].message
    assert errors[0].message.endswith("(did you mean `communication`?)")
