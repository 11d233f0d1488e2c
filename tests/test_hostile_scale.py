"""Hostile sizes: costs that must stay bounded whatever the file holds (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sim.analyze import analyze
from sim.cases import load_case, validate_paths
from sim.cli import main
from sim.headless import analysis_text
from sim.model import Rubric, Scenario
from sim.synthetic import broken_next_yaml, loop_yaml, recording_yaml, wide_scene_yaml
from sim.validate import SUGGESTIONS


def _case(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenarios" / "case.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_suggestions_only_for_the_first_unknown_names(tmp_path: Path) -> None:
    """4,000 misspelt `next:` took 143 s here, nearly all in "did you mean"; now ~2 s."""
    path = _case(tmp_path, broken_next_yaml(4000))
    started = time.perf_counter()
    findings = validate_paths([path])
    elapsed = time.perf_counter() - started
    broken = [f for f in findings if "is neither a scene nor `end`" in f.message]
    assert len(broken) == 2 * 3999  # two choices a scene; the last scene goes to `end`
    hinted = [f for f in broken if "did you mean" in f.message]
    assert len(hinted) == SUGGESTIONS
    assert hinted == sorted(broken)[:SUGGESTIONS]  # the first ones in the file carry the hint
    assert elapsed < 30, f"validation took {elapsed:.1f} s"


def test_choices_and_reasons_are_indexed_by_id() -> None:
    scenario = Scenario.model_validate(
        {
            "format": 1,
            "id": "x",
            "title": "x",
            "start": "s",
            "scenes": {
                "s": {
                    "choices": [
                        {"id": "a", "text": "first", "next": "end"},
                        {"id": "a", "text": "second", "next": "end"},
                        {"id": "b", "text": "b", "next": "end"},
                    ],
                    "reasons": [{"id": "r", "text": "one"}, {"id": "r", "text": "two"}],
                }
            },
            "endings": [{"id": "e"}],
        }
    )
    scene = scenario.scenes["s"]
    assert scene.choice_by_id["a"].text == "first"  # the first, as a scan in file order finds
    assert list(scene.choice_by_id) == ["a", "b"]
    assert scene.reason_by_id["r"].text == "one"


def test_analysis_of_a_wide_scene_is_linear(tmp_path: Path) -> None:
    """20,000 choices in one scene: 30.6 s when each step's evidence scanned the scene."""
    case = load_case(_case(tmp_path, wide_scene_yaml(20_000)))
    started = time.perf_counter()
    result = analyze(case.scenario, case.rubrics)
    elapsed = time.perf_counter() - started
    assert result.paths == 20_000 and result.exact
    assert elapsed < 8, f"analysis took {elapsed:.1f} s"


def test_a_loop_with_exits_is_named_and_analysed_quickly(tmp_path: Path) -> None:
    """s0 -> s1 -> s0 with a way out at each: minutes and 1.5 GB before, now a second."""
    case = load_case(_case(tmp_path, loop_yaml(2)))
    started = time.perf_counter()
    result = analyze(case.scenario, case.rubrics)
    assert time.perf_counter() - started < 10
    assert result.cycle and result.paths is None and result.loop == ("s0", "s1", "s0")
    assert result.endings == {"only": True} and result.complete
    assert result.best is not None and result.worst is not None
    for path in (result.best, result.worst):  # no path goes round the loop
        scenes = [step.scene for step in path.steps]
        assert len(scenes) == len(set(scenes))


def test_a_loop_without_exit_ends_and_says_the_ending_is_never_reached(tmp_path: Path) -> None:
    path = _case(tmp_path, loop_yaml(3, exits=False))
    started = time.perf_counter()
    findings = validate_paths([path])
    case_result = analyze(*_loaded(path))
    assert time.perf_counter() - started < 20
    assert case_result.loop == ("s0", "s1", "s2", "s0")
    assert case_result.endings == {"only": False}
    assert case_result.best is None and case_result.worst is None
    assert any("can never be reached" in f.message for f in findings)


def _loaded(path: Path) -> tuple[Scenario, dict[str, Rubric]]:
    from sim.loader import read_document

    document = read_document(path, "scenario")
    assert isinstance(document.model, Scenario)
    from sim.library import bundled_rubric

    located = bundled_rubric("communication")
    assert located is not None
    rubric = read_document(located, "rubric").model
    assert isinstance(rubric, Rubric)
    return document.model, {"communication": rubric}


def test_a_path_recording_case_stays_within_its_budget(tmp_path: Path) -> None:
    """30 scenes x 8 choices, every path a new state: 9.4 GB and over 300 s before."""
    case = load_case(_case(tmp_path, recording_yaml(30, 8)))
    started = time.perf_counter()
    result = analyze(case.scenario, case.rubrics, budget=2_000)
    assert time.perf_counter() - started < 15
    assert result.states <= 2_000 and result.budget == 2_000
    assert not result.complete and not result.exact and result.paths is None
    assert result.endings == {"only": True}  # met on the way: certain
    assert result.best is not None and result.worst is not None
    assert result.best.overall is not None and result.worst.overall is not None
    assert len(result.best.steps) == 30 and result.best.overall >= result.worst.overall
    text = analysis_text(case, result)
    assert "more states than the budget of 2,000" in text
    assert "the figures below are bounds, not exact" in text


def test_validation_of_a_path_recording_case_is_bounded(tmp_path: Path) -> None:
    """It explored a million states (90 s, 4.5 GB) to tell whether each ending is reachable."""
    path = _case(tmp_path, recording_yaml(30, 8))
    started = time.perf_counter()
    findings = validate_paths([path])
    assert time.perf_counter() - started < 20
    assert not [f for f in findings if f.severity == "error"]


def test_budget_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _case(tmp_path, recording_yaml(6, 4))  # 4**6 paths, 5,461 states
    assert main(["analyze", str(path), "--budget", "300", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["budget"] == 300 and shown["states"] <= 300 and shown["complete"] is False
    assert main(["analyze", str(path), "--budget", "20000", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["complete"] is True and shown["exact"] is True and shown["paths"] == 4**6
    for wrong in ("0", "-5", "lots", str(10**12)):
        assert main(["analyze", str(path), "--budget", wrong]) == 2
        assert "is not a budget" in capsys.readouterr().err


def test_the_hostile_benchmark_measures_a_promise() -> None:
    import importlib.util
    import sys

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location(
        "bench_hostile", REPO / "benchmarks" / "hostile.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    results = module.run(["loop"])
    assert [(m.case, m.command) for m in results] == [("loop", "validate"), ("loop", "analyze")]
    assert all(m.exit == 0 and m.seconds > 0 and m.megabytes > 10 for m in results)
    assert "loop" in module.table(results)
