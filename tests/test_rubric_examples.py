"""`rubric_examples`: a case's own example beside a shared rubric's general descriptor.

Checked by the validator (rubric, criterion and level must exist, each mistake at its line) and
shown on the end screen's scorecard, the rating screen, the reports and the handout.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

from sim.cases import load_case, validate_paths
from sim.classroom import Classroom
from sim.cli import main
from sim.engine import Step
from sim.report import render_handout
from sim.scoring import score_path
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.rating import RatingScreen
from sim.tui.widgets.scorecard import scorecard_text
from tests.conftest import CASES
from tests.tui.helpers import plain_of

EXAMPLES = """rubric_examples:
  four.x:
    4: {en: "Warm at the first desk: the case's own words"}
    1: {en: "Cold at the first desk"}
  classroom-performance.knowledge:
    3: {en: "Names the scale-check idea in the staging"}
"""


def case_with(tmp_path: Path, extra: str) -> Path:
    """A copy of the scale-check case (and its rubrics) with `extra` appended."""
    shutil.copytree(CASES / "rubrics", tmp_path / "rubrics")
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "scale-check.yaml"
    text = (CASES / "scenarios" / "scale-check.yaml").read_text(encoding="utf-8")
    path.write_text(text + extra, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_examples_load_and_are_found_by_rubric_criterion_and_level(tmp_path: Path) -> None:
    case = load_case(case_with(tmp_path, EXAMPLES))
    sc = case.scenario
    assert sc.rubric_example("four", "x", 4) == {
        "en": "Warm at the first desk: the case's own words"
    }
    assert sc.rubric_example("four", "x", 3) is None
    assert sc.rubric_example("four", "y", 4) is None
    assert sc.rubric_example("classroom-performance", "knowledge", 3) is not None
    assert [f for f in case.findings if "example" in f.message] == []


def test_every_wrong_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    bad = """rubric_examples:
  fuor.x:
    4: {en: typo in the rubric}
  four:
    4: {en: no criterion}
  four.z:
    4: {en: no such criterion}
  four.y:
    5: {en: no such level}
  ten.a:
    5: {en: "fine: ten's levels are 0, 5 and 10"}
"""
    path = case_with(tmp_path, bad)
    findings = [f for f in validate_paths([path]) if f.severity == "error"]
    by_line = {f.line: f.message for f in findings}
    assert (
        "not a rubric this case is scored or rated on (did you mean `four`?)"
        in by_line[line_of(path, "fuor.x")]
    )
    assert "write `four.CRITERION`" in by_line[line_of(path, "  four:")]
    assert "has no criterion `z`" in by_line[line_of(path, "four.z")]
    assert (
        "example for 5 points, but the levels of `four` are 1, 2, 3, 4"
        in by_line[line_of(path, "5: {en: no such level}")]
    )
    assert len(findings) == 4, findings


def test_examples_for_a_listed_rated_rubric_replace_the_classroom_fallback(tmp_path: Path) -> None:
    # A case that lists no rubric rated by people is rated on classroom-performance, so it may
    # give examples for it; the validator accepts them above (no findings at load).
    case = load_case(case_with(tmp_path, EXAMPLES))
    assert "classroom-performance" in case.classroom_rubrics


def test_the_scorecard_shows_the_example_of_the_level_reached(tmp_path: Path) -> None:
    case = load_case(case_with(tmp_path, EXAMPLES))
    card = score_path(case.scenario, case.rubrics, [Step("s1", "warm", "care"), Step("s2", "gift")])
    text = scorecard_text(case.scenario, card, "en").plain
    # four.x reached level 4 (warm gave 4): the general descriptor, then the case's example.
    assert re.search(r"x4\n\s+In this case: Warm at the first desk", text)
    assert "Cold at the first desk" not in text


def test_reports_and_handout_show_examples_beside_descriptors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = case_with(tmp_path, EXAMPLES)
    case = load_case(path)
    handout = render_handout(case, "md")
    assert "x4 — *In this case:* Warm at the first desk" in handout
    assert "x1 — *In this case:* Cold at the first desk" in handout
    assert "Names the scale-check idea in the staging" in handout  # the rated rubric too
    html = render_handout(case, "html")
    assert 'class="example"' in html and "Cold at the first desk" in html
    assert main(["run", str(path), "--choices", "warm:care,gift", "--record", "--team", "Red"]) == 0
    session = re.search(r"(\d+)", capsys.readouterr().err)
    assert session is not None
    assert main(["report", session.group(1), "--format", "md"]) == 0
    report = capsys.readouterr().out
    assert "x4 — *In this case:* Warm at the first desk" in report
    assert main(["report", session.group(1), "--format", "html"]) == 0
    assert "Warm at the first desk" in capsys.readouterr().out


def test_a_case_without_examples_shows_the_general_descriptors_alone() -> None:
    handout = render_handout(load_case(CASES / "scenarios" / "scale-check.yaml"), "md")
    assert "In this case" not in handout


def test_the_rating_screen_shows_the_example_under_its_level(tmp_path: Path) -> None:
    async def run() -> None:
        store = open_store()
        room = Classroom.begin(
            load_case(case_with(tmp_path, EXAMPLES)), store, ["A", "B"], {"mode": "sequential"}
        )
        app = SimApp(lang="en", store=store, classroom=room)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the projected briefing
            for digit in ("1", "1", "1"):
                await pilot.press(digit, "enter")
                await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RatingScreen)
            levels = plain_of(screen.query_one("#levels").content)  # type: ignore[attr-defined]
            # The first criterion is classroom-performance's knowledge: its level 3 example.
            assert re.search(r"3\. Proficient — .*\n\s+In this case: Names the scale-check", levels)

    asyncio.run(run())


def test_an_example_in_one_string_is_a_text_for_every_language(tmp_path: Path) -> None:
    """`{4: "..."}` is one example for every language, not a text in a language `4`: the
    validator used to take the whole mapping of levels for a multilingual text and crashed
    on its numeric keys."""
    plain = 'rubric_examples:\n  four.x:\n    4: "Warm at the first desk"\n    1: Cold\n'
    before = [(f.line, f.message) for f in validate_paths([case_with(tmp_path / "as-is", "")])]
    found = validate_paths([case_with(tmp_path / "plain", plain)])
    assert [(f.line, f.message) for f in found] == before
    mixed = "rubric_examples:\n  four.x:\n    4: {en: Warm, fr: Chaleureux}\n"
    path = case_with(tmp_path / "mixed", mixed)
    (finding,) = [f for f in validate_paths([path]) if (f.line, f.message) not in before]
    assert finding.severity == "warning" and "language fr is not declared" in finding.message
    assert finding.line == line_of(path, "fr: Chaleureux")
