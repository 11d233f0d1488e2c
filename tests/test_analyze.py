"""Path counts, reachability, cycles and the extreme paths."""

from __future__ import annotations

import json
from pathlib import Path

from sim.analyze import analyze
from sim.cases import load_case
from sim.cli import main
from sim.synthetic import chain_yaml
from tests.conftest import CASES


def write_case(folder: Path, text: str) -> Path:
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    path = folder / "scenarios" / "case.yaml"
    path.write_text(text)
    return path


def test_scale_check_counts_reasons_as_separate_paths() -> None:
    case = load_case(CASES / "scenarios" / "scale-check.yaml")
    result = analyze(case.scenario, case.rubrics)
    # s1: 2 choices x 2 reasons; s2: 2 choices available either way.
    assert result.paths == 8
    assert result.endings == {"delighted": True, "fine": True, "gone": True}
    assert result.exact and not result.cycle
    assert result.best is not None and result.worst is not None
    assert [s.choice for s in result.best.steps] == ["warm", "plain"]
    assert result.best.overall is not None and abs(result.best.overall - 93.75) < 1e-9
    assert [(s.choice, s.reason) for s in result.worst.steps] == [("cold", "care"), ("plain", None)]


def test_a_chain_of_twenty_two_choice_scenes_has_two_to_the_twenty_paths(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, chain_yaml(20)))
    result = analyze(case.scenario, case.rubrics)
    assert result.paths == 1_048_576
    assert not result.exact  # beyond the exhaustive limit: bounded search
    assert result.best is not None and result.worst is not None
    assert result.best.overall is not None and result.worst.overall is not None
    assert result.best.overall >= result.worst.overall


def test_a_cycle_is_reported_and_nothing_hangs(tmp_path: Path) -> None:
    text = """format: 1
id: loop
title: Loop
languages: [en]
start: a
scenes:
  a:
    choices:
      - {id: again, text: Again, next: b}
      - {id: stop, text: Stop, next: end}
  b:
    choices:
      - {id: back, text: Back, next: a}
endings:
  - id: only
"""
    path = write_case(tmp_path, text)
    case = load_case(path)
    result = analyze(case.scenario, case.rubrics)
    assert result.cycle and result.paths is None
    assert result.endings == {"only": True}
    assert main(["analyze", str(path), "--json"]) == 0


def test_analyze_json_has_the_contract_keys(tmp_path: Path, capsys: object) -> None:
    path = CASES / "scenarios" / "scale-check.yaml"
    assert main(["analyze", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert set(out) >= {"scenario", "paths", "endings", "best", "worst"}
    assert out["endings"]["fine"] == {"reachable": True}
    assert set(out["best"]) >= {"overall", "path"}
    assert out["best"]["path"][0] == {"scene": "s1", "choice": "warm", "reason": "care"}
