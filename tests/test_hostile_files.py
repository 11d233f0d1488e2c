"""Hostile case files: every one becomes a positioned finding, never an exception (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cases import validate_paths
from sim.findings import Finding
from sim.loader import read_document
from tests.conftest import CASES

VALID = (CASES / "scenarios" / "scale-check.yaml").read_text(encoding="utf-8")


def _library(tmp_path: Path) -> None:
    """The test rubrics beside a scenarios/ folder, so a valid case validates clean."""
    (tmp_path / "scenarios").mkdir(parents=True, exist_ok=True)
    (tmp_path / "rubrics").mkdir(exist_ok=True)
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (tmp_path / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())


def _findings(tmp_path: Path, raw: bytes, name: str = "case.yaml") -> list[Finding]:
    _library(tmp_path)
    path = tmp_path / "scenarios" / name
    path.write_bytes(raw)
    return validate_paths([path])


@pytest.mark.parametrize(
    ("char", "what"),
    [
        ("\x00", "U+0000 (a control character)"),
        ("\x1b", "U+001B (a control character)"),
        ("\x07", "U+0007 (a control character)"),
        ("\x7f", "U+007F (a control character)"),
        ("\x9b", "U+009B (a control character)"),
        ("\x0b", "U+000B (a control character)"),
        ("\ufffe", "U+FFFE (a non-character)"),
    ],
)
def test_control_character_is_a_positioned_error(tmp_path: Path, char: str, what: str) -> None:
    findings = _findings(tmp_path, f"format: 1\nid: x{char}y\n".encode())
    assert [(f.line, f.column, f.severity) for f in findings] == [(2, 6, "error")]
    assert what in findings[0].message


def test_control_character_does_not_stop_the_rest_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "a-bad.yaml").write_bytes(b"format: 1\x1b\n")
    (tmp_path / "scenarios" / "b-bad.yaml").write_text("format: 1\nid: [\n", encoding="utf-8")
    findings = validate_paths([tmp_path])
    assert {Path(f.path).name for f in findings} == {"a-bad.yaml", "b-bad.yaml"}


def test_integer_too_long_to_convert_is_a_positioned_error(tmp_path: Path) -> None:
    text = VALID.replace("minutes", "x").replace(
        "mood: {initial: 8,", "mood: {initial: " + "9" * 5000 + ","
    )
    findings = _findings(tmp_path, text.encode())
    assert len(findings) == 1 and findings[0].severity == "error"
    assert "the number has 5,000 characters" in findings[0].message
    assert (findings[0].line, findings[0].column) == (9, 19)


def test_integer_too_long_in_a_rubric_id_position(tmp_path: Path) -> None:
    findings = _findings(tmp_path, ("format: 1\nid: " + "1" * 4400 + "\n").encode())
    assert [(f.line, f.column) for f in findings] == [(2, 5)]


@pytest.mark.parametrize("quoted", ['"\\ud800"', '"ab\\udfffcd"', '"\\ud83d"'])
def test_lone_surrogate_is_a_positioned_error(tmp_path: Path, quoted: str) -> None:
    text = VALID.replace("title: Scale check", f"title: {quoted}")
    findings = _findings(tmp_path, text.encode())
    assert len(findings) == 1, findings
    assert (findings[0].line, findings[0].column) == (4, 8)
    assert "half of a UTF-16 pair" in findings[0].message


def test_surrogate_pair_written_in_full_is_fine(tmp_path: Path) -> None:
    text = VALID.replace("title: Scale check", 'title: "smile \\U0001F600"')
    findings = _findings(tmp_path, text.encode())
    assert not [f for f in findings if f.severity == "error" or "UTF-16" in f.message]


def test_lone_surrogate_in_a_key(tmp_path: Path) -> None:
    text = VALID.replace("  mood: {", '  "m\\ud800": {')
    document = read_document(_write(tmp_path, text))
    assert document.model is None
    assert "half of a UTF-16 pair" in document.findings[0].message


def test_infinite_number_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("{ten: 3, four: 1}", "{ten: 1e999, four: 1}")
    findings = _findings(tmp_path, text.encode())
    assert findings and all(f.severity == "error" for f in findings)
    assert any("finite" in f.message for f in findings)


def _write(tmp_path: Path, text: str) -> Path:
    _library(tmp_path)
    path = tmp_path / "scenarios" / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{ten: 3, four: 1}", "{ten: 1e308, four: 1e308}"),
        ("mood: {initial: 8, min: 0, max: 10}", "mood: {initial: 8, min: -1e308, max: 1e308}"),
        ("effects: {mood: 5}", "effects: {mood: 1e300}"),
        ("effects: {set: {mood: 9}}", "effects: {set: {mood: -1e13}}"),
        ("when: {var: mood, gte: 8, lt: 10}", "when: {var: mood, gte: 8, lt: 1e200}"),
    ],
)
def test_numbers_beyond_the_limit_are_refused(tmp_path: Path, old: str, new: str) -> None:
    assert old in VALID
    findings = _findings(tmp_path, VALID.replace(old, new).encode())
    assert findings and all(f.severity == "error" for f in findings), findings
    assert all("beyond the limit of numbers in a case" in f.message for f in findings)


def test_rubric_points_and_weights_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    _library(tmp_path)
    rubric = tmp_path / "rubrics" / "ten.yaml"
    text = rubric.read_text(encoding="utf-8")
    assert "points: 10," in text
    rubric.write_text(text.replace("points: 10,", "points: 1e308,"), encoding="utf-8")
    findings = validate_paths([rubric])
    assert findings and "beyond the limit" in findings[0].message


CREDS = """format: 1
id: creds
title: SECRET-TOKEN-123
levels: [{points: 0, label: a}, {points: 10, label: b}]
criteria: [{id: a, title: A}]
"""


@pytest.mark.parametrize(
    "reference", ["../../creds", "{outside}/creds", "../rubrics/ten", "ten\\n"]
)
def test_rubric_references_are_ids_not_paths(tmp_path: Path, reference: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "creds.yaml").write_text(CREDS, encoding="utf-8")
    (tmp_path / "creds.yaml").write_text(CREDS, encoding="utf-8")
    reference = reference.replace("{outside}", str(outside))
    text = VALID.replace("rubrics: [ten, four]", f'rubrics: [ten, four, "{reference}"]')
    findings = _findings(tmp_path / "lib", text.encode())
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1, findings
    assert (errors[0].line, errors[0].column) == (6, 22)
    assert "rubrics[2]" in errors[0].message and "is not a rubric id" in errors[0].message


def test_rubric_reference_cannot_follow_a_symlink_out_of_the_library(tmp_path: Path) -> None:
    (tmp_path / "creds.yaml").write_text(CREDS, encoding="utf-8")
    _library(tmp_path / "lib")
    (tmp_path / "lib" / "rubrics" / "creds.yaml").symlink_to(tmp_path / "creds.yaml")
    text = VALID.replace("rubrics: [ten, four]", "rubrics: [ten, four, creds]")
    findings = _findings(tmp_path / "lib", text.encode())
    assert any("rubric `creds` not found" in f.message for f in findings), findings


def test_run_never_prints_a_file_named_by_a_rubric_path(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "creds.yaml").write_text(CREDS, encoding="utf-8")
    text = VALID.replace("rubrics: [ten, four]", 'rubrics: [ten, four, "../../creds"]')
    _findings(tmp_path / "lib", text.encode())
    case = tmp_path / "lib" / "scenarios" / "case.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(case), "--choices", "warm:care,gift"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "SECRET-TOKEN-123" not in result.stdout + result.stderr
    assert "is not a rubric id" in result.stderr
