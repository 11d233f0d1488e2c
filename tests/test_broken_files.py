"""Each broken file gets the right message at the right line and column."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim.cases import validate_paths
from sim.loader import read_document
from sim.loader.yaml_nodes import MAX_BYTES
from tests.conftest import BROKEN

S, R = "scenarios", "rubrics"

# (folder, file, line, column, severity, a fragment of the message)
EXPECTED = [
    (S, "yaml-syntax", 23, 13, "error", "expected ',' or ']'"),
    (S, "duplicate-key", 24, 9, "error", "duplicate key `next` (first defined at line 23"),
    (S, "wrong-type", 5, 10, "error", "`minutes`: expected a number, got the text 'thirty'"),
    (S, "unknown-key", 17, 5, "error", "unknown key `choice` (did you mean `choices`?)"),
    (S, "missing-next", 35, 9, "error", "missing required key `next`"),
    (
        S,
        "dangling-next",
        23,
        15,
        "error",
        "`next: closing` is neither a scene nor `end` (did you mean `close`?)",
    ),
    (S, "dangling-speaker", 15, 14, "error", "unknown role `guests` (did you mean `guest`?)"),
    (S, "dangling-supports", 30, 57, "error", "`lisen` is not a choice of scene `desk`"),
    (S, "dangling-chose", 38, 19, "error", "no choice has the id `listened`"),
    (S, "unknown-knowledge", 22, 21, "error", "unknown knowledge point `listen`"),
    (S, "unknown-evidence-rubric", 21, 20, "error", "evidence for `tinny`"),
    (S, "unknown-evidence-criterion", 27, 20, "error", "rubric `tiny` has no criterion `cares`"),
    (S, "evidence-off-scale", 27, 31, "error", "11 is off the scale of `tiny` (0 to 10)"),
    (S, "unknown-state-var", 26, 19, "error", "unknown state variable `moood`"),
    (S, "unknown-rubric", 9, 17, "error", "rubric `empathy` not found"),
    (S, "last-ending-has-when", 41, 5, "error", "the last ending, `sad`, is the fallback"),
    (S, "duplicate-choice-id", 24, 13, "error", "duplicate choice id `listen`"),
    (S, "yaml11-boolean", 11, 48, "error", "`no` is text here, not a boolean"),
    (S, "quoted-number", 20, 18, "error", "must be a number, got '3'; remove the quotes"),
    (S, "state-named-set", 12, 3, "error", "may not be named `set`"),
    (S, "initial-out-of-range", 11, 3, "error", "initial (15) lies outside"),
    (S, "bad-id", 2, 5, "error", "id `Broken_Case` must use only"),
    (S, "evidence-human-rubric", 27, 20, "error", "evidence may only name rubrics rated `auto`"),
    (S, "condition-two-forms", 38, 5, "error", "a condition has one form"),
    (S, "scene-without-choices", 32, 3, "error", "a scene needs `choices`"),
    (S, "tab-indent", 15, 1, "error", "found character '\\t'"),
    (S, "two-documents", 42, 1, "error", "only one YAML document per file"),
    (S, "python-tag", 3, 8, "error", "YAML tag tag:yaml.org,2002:python/object/apply"),
    (S, "alias-bomb", 2, 8, "error", "YAML aliases (*name) are not supported"),
    (S, "not-utf8", 16, 16, "error", "not UTF-8"),
    (S, "not-a-mapping", 1, 1, "error", "the file holds a list"),
    (S, "empty", 1, 1, "error", "the file is empty"),
    (S, "missing-language", 25, 15, "warning", "text lacks en"),
    (S, "unreachable-scene", 36, 3, "warning", "scene `lost-room` is unreachable"),
    (S, "ending-never-reached", 37, 5, "warning", "ending `happy` can never be reached"),
    (S, "knowledge-never-taught", 8, 5, "warning", "knowledge point `listening` is never taught"),
    (S, "no-way-out", 32, 3, "warning", "from scene `close` no ending can be reached"),
    (R, "points-not-increasing", 7, 14, "error", "level points must strictly increase"),
    (R, "descriptor-unknown-level", 14, 7, "error", "descriptor for 9 points"),
    (R, "rubric-typo", 8, 1, "error", "unknown key `criterias` (did you mean `criteria`?)"),
    (R, "percent-missing-level", 8, 1, "error", "`percent` must give every level a percent"),
    (R, "percent-falls", 8, 29, "error", "a higher level may not be worth less"),
    (S, "ending-evidence-off-scale", 42, 27, "error", "12 is off the scale of `tiny`"),
    (S, "worst-path-unjudged", 30, 5, "warning", "ends at `sad` and never judges `duo.keeping`"),
    # One file, problems of every kind: type errors do not hide the reference and graph checks.
    (S, "several-problems", 5, 10, "error", "`minutes`: expected a number"),
    (S, "several-problems", 13, 19, "error", "`state.mood.initial`: expected a number"),
    (S, "several-problems", 17, 14, "error", "unknown role `guests`"),
    (S, "several-problems", 23, 26, "error", "11 is off the scale of `tiny`"),
    (S, "several-problems", 25, 15, "error", "`next: closing` is neither a scene nor `end`"),
    (S, "several-problems", 38, 3, "warning", "scene `lost-room` is unreachable"),
    # A misspelt structural key is read as the field it means, so what it holds is checked
    # at its own lines; a quoted evidence value is set aside without hiding the rest.
    (S, "misspelt-structure", 16, 14, "error", "unknown role `guests`"),
    (S, "misspelt-structure", 22, 26, "error", "`scenes.desk.choices[0].evidence.tiny`: expected"),
    (S, "misspelt-structure", 35, 5, "error", "unknown key `choises` (did you mean `choices`?)"),
    (S, "misspelt-structure", 36, 50, "error", "`next: ending` is neither a scene nor `end`"),
]


@pytest.mark.parametrize(
    ("folder", "name", "line", "column", "severity", "fragment"),
    EXPECTED,
    ids=[row[1] for row in EXPECTED],
)
def test_broken_file_is_reported_at_its_place(
    folder: str, name: str, line: int, column: int, severity: str, fragment: str
) -> None:
    path = BROKEN / folder / f"{name}.yaml"
    findings = validate_paths([path])
    matching = [
        f
        for f in findings
        if f.line == line
        and f.column == column
        and f.severity == severity
        and fragment in f.message
    ]
    assert matching, "\n".join(str(f) for f in findings)
    assert all(f.path == str(path) for f in findings)


def test_every_problem_of_a_file_comes_in_one_run_and_nothing_about_placeholders() -> None:
    findings = validate_paths([BROKEN / S / "several-problems.yaml"])
    expected = [row for row in EXPECTED if row[1] == "several-problems"]
    assert [(f.line, f.column, f.severity) for f in findings] == [
        (line, column, severity) for _, _, line, column, severity, _ in expected
    ]
    document = read_document(BROKEN / S / "several-problems.yaml")
    assert document.model is None and document.salvaged is not None  # never played


def test_a_misspelt_structure_is_checked_inside_without_cascading_warnings() -> None:
    findings = sorted(validate_paths([BROKEN / S / "misspelt-structure.yaml"]))
    expected = [row for row in EXPECTED if row[1] == "misspelt-structure"]
    assert [(f.line, f.column, f.severity) for f in findings] == [
        (line, column, severity) for _, _, line, column, severity, _ in expected
    ]


def test_text_with_a_colon_is_told_to_take_quotes(tmp_path: Path) -> None:
    for text in ("title:\n  en: Offer: 500 yuan\n", "title: {zh: a, en: Offer: 500 yuan}\n"):
        path = tmp_path / "colon.yaml"
        path.write_text("format: 1\nid: x\n" + text, encoding="utf-8")
        (finding,) = validate_paths([path])
        assert "put the text in quotes" in finding.message, finding


def test_a_line_indented_too_far_is_told_so_not_to_take_quotes(tmp_path: Path) -> None:
    """A key indented further than the one above makes YAML read it as that key's text; the
    quoting hint alone sent authors looking for a colon in their text."""
    path = tmp_path / "indented.yaml"
    path.write_text("format: 1\nid: x\ntitle:\n  zh: 你好\n   en: hello\n", encoding="utf-8")
    (finding,) = validate_paths([path])
    assert (finding.line, finding.column) == (5, 6)
    assert "indented further than the key above it" in finding.message, finding


def test_a_failure_that_cannot_be_set_aside_reports_the_files_own_errors(tmp_path: Path) -> None:
    # A scene that is neither a decision nor an ending cannot be left out without inventing
    # one: no salvage, and no invented findings about scenes that lead to it.
    text = (BROKEN / S / "scene-without-choices.yaml").read_text(encoding="utf-8")
    document = read_document(BROKEN / S / "scene-without-choices.yaml")
    assert document.salvaged is None
    findings = validate_paths([BROKEN / S / "scene-without-choices.yaml"])
    assert [f.severity for f in findings] == ["error"] and "close" in text


def test_the_base_case_itself_is_clean() -> None:
    assert validate_paths([BROKEN / "scenarios" / "valid-base.yaml"]) == []


def test_every_broken_file_is_covered() -> None:
    covered = {(folder, name) for folder, name, *_ in EXPECTED}
    on_disk = {(p.parent.name, p.stem) for p in BROKEN.rglob("*.yaml")}
    allowed_clean = {(S, "valid-base"), (R, "tiny"), (R, "panel"), (R, "duo")}
    assert on_disk - allowed_clean == covered


def test_alias_bomb_is_refused_fast() -> None:
    began = time.perf_counter()
    document = read_document(BROKEN / S / "alias-bomb.yaml")
    assert time.perf_counter() - began < 0.5
    assert document.model is None and document.findings


def test_oversized_file_is_refused_fast_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.write(b"format: 1\ntext: '")
        out.write(b"x" * (MAX_BYTES + 10))
        out.write(b"'\n")
    began = time.perf_counter()
    document = read_document(huge)
    assert time.perf_counter() - began < 0.5
    assert [str(f) for f in document.findings] == [
        f"{huge}:1:1: error: the file is over 4 MB; case files are smaller"
    ]


def test_deep_nesting_is_refused_not_crashed(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    document = read_document(deep)
    assert document.model is None
    assert len(document.findings) == 1
