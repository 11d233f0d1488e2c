"""Path counts, reachability, cycles and the extreme paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

import sim.analyze
from sim.analyze import analyze
from sim.cases import load_case
from sim.cli import main
from sim.engine import Step, available_choices, choose, give_reason, reasons, start
from sim.model import Rubric, Scenario
from sim.scoring import score_path
from sim.synthetic import chain_yaml
from tests.conftest import CASES
from tests.test_properties import RUBRICS, cases


def every_path(sc: Scenario) -> list[tuple[tuple[Step, ...], str]]:
    """Brute force through the engine: every finished run's steps and ending."""
    found: list[tuple[tuple[Step, ...], str]] = []
    stack = [start(sc)]
    while stack:
        run = stack.pop()
        if run.finished:
            found.append((run.steps, run.ending or ""))
            continue
        for choice in available_choices(sc, run):
            chosen = choose(sc, run, choice.id)
            if chosen.pending is None:
                stack.append(chosen)
            else:
                stack += [give_reason(sc, chosen, r.id) for r in reasons(sc, chosen)]
    return found


def brute_extremes(sc: Scenario, rubrics: dict[str, Rubric]) -> tuple[float, float] | None:
    """The highest and lowest overall score over every path, each path scored in full."""
    scores = [score_path(sc, rubrics, steps).overall for steps, _ in every_path(sc)]
    known = [s for s in scores if s is not None]
    return (max(known), min(known)) if known else None


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
    # A million paths, but few distinct evidence totals per scene: exact, not sampled.
    assert result.exact
    assert result.best is not None and result.worst is not None
    # Every choice gives all three criteria the same points, 1 + (option + scene) % 4 on a
    # 1..4 scale, so the best path takes the larger of the two at every scene.
    high = [max(1 + (o + i) % 4 for o in (0, 1)) for i in range(20)]
    low = [min(1 + (o + i) % 4 for o in (0, 1)) for i in range(20)]
    # The bundled rubrics map levels {1: 40, 2: 60, 3: 80, 4: 100}: 20 + 20 x the mean level.
    assert result.best.overall == pytest.approx(20 + 20 * sum(high) / 20)
    assert result.worst.overall == pytest.approx(20 + 20 * sum(low) / 20)
    best_card = score_path(case.scenario, case.rubrics, result.best.steps)
    assert best_card.overall == pytest.approx(result.best.overall)


def test_exact_extremes_match_scoring_every_path_through_the_engine(tmp_path: Path) -> None:
    # 3 choices x 3 scenes x a moving state variable, plus the reason mismatch rule.
    case = load_case(write_case(tmp_path, chain_yaml(7, 3, with_state=True)))
    result = analyze(case.scenario, case.rubrics)
    assert result.exact and result.paths == 3**7
    extremes = brute_extremes(case.scenario, case.rubrics)
    assert extremes is not None and result.best is not None and result.worst is not None
    assert result.best.overall == pytest.approx(extremes[0])
    assert result.worst.overall == pytest.approx(extremes[1])


@settings(max_examples=120, deadline=None)
@given(cases())
def test_exact_extremes_equal_brute_force_on_generated_cases(sc: Scenario) -> None:
    result = analyze(sc, RUBRICS)
    assert result.exact
    extremes = brute_extremes(sc, RUBRICS)
    if extremes is None:
        return
    assert result.best is not None and result.worst is not None
    assert result.best.overall == pytest.approx(extremes[0])
    assert result.worst.overall == pytest.approx(extremes[1])
    for path in (result.best, result.worst):
        card = score_path(sc, RUBRICS, path.steps)
        assert card.overall == pytest.approx(path.overall)


def test_past_the_exact_budget_the_search_is_bounded_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sim.analyze, "EXACT_LIMIT", 10)
    case = load_case(write_case(tmp_path, chain_yaml(12, 3, with_state=True)))
    result = analyze(case.scenario, case.rubrics)
    assert not result.exact
    assert result.best is not None and result.worst is not None
    assert result.best.overall is not None and result.worst.overall is not None
    assert result.best.overall >= result.worst.overall


def test_among_equal_scores_the_first_path_in_file_order_is_reported(tmp_path: Path) -> None:
    text = """format: 1
id: ties
title: Ties
languages: [en]
rubrics: [communication]
start: a
scenes:
  a:
    choices:
      - {id: one, text: One, evidence: {communication: 4}, next: b}
      - {id: two, text: Two, evidence: {communication: 4}, next: b}
  b:
    choices:
      - {id: x, text: X, evidence: {communication: 1}, next: end}
      - {id: y, text: Y, evidence: {communication: 1}, next: end}
endings:
  - id: only
"""
    case = load_case(write_case(tmp_path, text))
    result = analyze(case.scenario, case.rubrics)
    assert result.exact and result.best is not None and result.worst is not None
    assert [s.choice for s in result.best.steps] == ["one", "x"]
    assert [s.choice for s in result.worst.steps] == ["one", "x"]


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


def test_the_analysis_names_what_the_worst_path_leaves_unjudged() -> None:
    from tests.conftest import BROKEN

    case = load_case(BROKEN / "scenarios" / "worst-path-unjudged.yaml")
    result = analyze(case.scenario, case.rubrics)
    assert result.worst is not None and result.worst.ending == "sad"
    assert result.worst_unjudged == ["duo.keeping"]
    assert result.as_json()["worst_unjudged"] == ["duo.keeping"]


def brute_decisions(
    sc: Scenario, rubrics: dict[str, Rubric]
) -> dict[tuple[str, str], tuple[float | None, float | None, set[str]]]:
    """Per (scene, choice): best, worst overall and endings over every path that takes it."""
    table: dict[tuple[str, str], tuple[float | None, float | None, set[str]]] = {}
    for steps, ending in every_path(sc):
        overall = score_path(sc, rubrics, steps, ending).overall
        for step in steps:
            best, worst, endings = table.get((step.scene, step.choice), (None, None, set()))
            if overall is not None:
                best = overall if best is None else max(best, overall)
                worst = overall if worst is None else min(worst, overall)
            table[(step.scene, step.choice)] = (best, worst, endings | {ending})
    return table


def check_decisions(sc: Scenario, rubrics: dict[str, Rubric]) -> None:
    """The analysis's decision table equals brute force over every path, choice by choice."""
    result = analyze(sc, rubrics)
    expected = brute_decisions(sc, rubrics)
    visited = {scene for scene, _ in expected}
    assert [d.scene for d in result.decisions] == [
        s for s, scene in sc.scenes.items() if s in visited and len(scene.choices) >= 2
    ]
    for decision in result.decisions:
        listed = [c.id for c in sc.scenes[decision.scene].choices]
        assert [c.id for c in decision.choices] == listed
        for outlook in decision.choices:
            best, worst, endings = expected.get((decision.scene, outlook.id), (None, None, set()))
            assert outlook.best == pytest.approx(best)
            assert outlook.worst == pytest.approx(worst)
            assert set(outlook.endings) == endings
    if result.exact:
        check_bests(sc, rubrics, result)


def check_bests(sc: Scenario, rubrics: dict[str, Rubric], result: sim.analyze.Analysis) -> None:
    """`scene_best` and `ending_best` (what `sim graph` colours by) equal brute force: the
    best overall of every path through a scene that makes a choice, or into an ending."""
    through: dict[str, float | None] = {}
    into: dict[str, float | None] = {}
    low_through: dict[str, float | None] = {}
    low_into: dict[str, float | None] = {}

    def higher(old: float | None, new: float | None) -> float | None:
        return new if old is None or (new is not None and new > old) else old

    def lower(old: float | None, new: float | None) -> float | None:
        return new if old is None or (new is not None and new < old) else old

    for steps, ending in every_path(sc):
        overall = score_path(sc, rubrics, steps, ending).overall
        for scene in {step.scene for step in steps}:
            through[scene] = higher(through.get(scene), overall)
            low_through[scene] = lower(low_through.get(scene), overall)
        into[ending] = higher(into.get(ending), overall)
        low_into[ending] = lower(low_into.get(ending), overall)
    for scene, worst in low_through.items():
        assert result.scene_worst[scene] == pytest.approx(worst)
    for ending, worst in low_into.items():
        assert result.ending_worst[ending] == pytest.approx(worst)
    assert set(result.scene_best) == set(through)
    for scene, best in through.items():
        assert result.scene_best[scene] == pytest.approx(best)
    assert set(result.ending_best) == set(into)
    for ending, best in into.items():
        assert result.ending_best[ending] == pytest.approx(best)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_decisions_equal_brute_force_on_generated_cases(sc: Scenario) -> None:
    check_decisions(sc, RUBRICS)


def test_decisions_equal_brute_force_with_state_and_reasons(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, chain_yaml(6, 3, with_state=True)))
    check_decisions(case.scenario, case.rubrics)
    case = load_case(CASES / "scenarios" / "scale-check.yaml")
    check_decisions(case.scenario, case.rubrics)


def test_decisions_of_a_million_paths_are_exact_without_enumerating(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, chain_yaml(20)))
    result = analyze(case.scenario, case.rubrics)
    assert result.exact and len(result.decisions) == 20
    # Taking c0-0 (1 point) at the first scene costs exactly that scene's difference.
    high = [max(1 + (o + i) % 4 for o in (0, 1)) for i in range(20)]
    first = result.decisions[0]
    assert first.scene == "s0" and [c.id for c in first.choices] == ["c0-0", "c0-1"]
    rubric = case.rubrics["communication"]
    assert first.choices[0].best == pytest.approx(rubric.percent_of((sum(high) - 1) / 20))
    assert first.choices[1].best == pytest.approx(result.best.overall if result.best else None)


def test_an_unavailable_choice_is_listed_as_never_taken(tmp_path: Path, capsys: object) -> None:
    text = """format: 1
id: gated
title: Gated
languages: [en]
rubrics: [communication]
state:
  trust: {initial: 0, min: 0, max: 10}
start: a
scenes:
  a:
    choices:
      - {id: warm, text: Warm, evidence: {communication: 4}, next: end}
      - {id: secret, text: Secret, requires: {var: trust, gte: 5}, next: end}
      - {id: cold, text: Cold, evidence: {communication: 1}, next: end}
endings:
  - id: only
"""
    path = write_case(tmp_path, text)
    assert main(["analyze", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert out["decisions"] == [
        {
            "scene": "a",
            "choices": [
                {"id": "warm", "best": 100.0, "worst": 100.0, "endings": ["only"]},
                {"id": "secret", "best": None, "worst": None, "endings": []},
                {"id": "cold", "best": 40.0, "worst": 40.0, "endings": ["only"]},
            ],
        }
    ]
    assert main(["analyze", str(path)]) == 0
    text_out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "decisions (best / worst overall" in text_out
    assert "secret  never taken" in text_out
    assert "warm    100.0 / 100.0  -> only" in text_out


def test_a_cycle_still_lists_the_endings_each_choice_can_reach(tmp_path: Path) -> None:
    text = """format: 1
id: loop
title: Loop
languages: [en]
start: a
state:
  n: {initial: 0, min: 0, max: 3}
scenes:
  a:
    choices:
      - {id: again, text: Again, next: b}
      - {id: stop, text: Stop, next: end}
  b:
    choices:
      - {id: back, text: Back, next: a}
      - {id: out, text: Out, effects: {n: 3}, next: end}
endings:
  - id: high
    when: {var: n, gte: 3}
  - id: low
"""
    case = load_case(write_case(tmp_path, text))
    result = analyze(case.scenario, case.rubrics)
    assert result.cycle and not result.exact
    table = {(d.scene, c.id): c for d in result.decisions for c in d.choices}
    assert table[("a", "stop")].endings == ("low",)
    assert table[("a", "again")].endings == ("high", "low")
    assert table[("b", "back")].endings == ("high", "low")
    assert table[("b", "out")].best is None
