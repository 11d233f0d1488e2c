"""Hostile sizes: costs that must stay bounded whatever the file holds (issue 15)."""

from __future__ import annotations

import time
from pathlib import Path

from sim.analyze import analyze
from sim.cases import load_case, validate_paths
from sim.model import Scenario
from sim.synthetic import broken_next_yaml, wide_scene_yaml
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
