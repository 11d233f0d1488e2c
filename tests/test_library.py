"""The bundled case library meets the course's bars, checked through the engine and scorer.

Every case: best path >= 85 and worst <= 50 (exact analysis, replayed through the engine and
rescored), every ending reachable, every knowledge point taught and every criterion of its auto
rubrics evidenced by some reachable choice or supported reason, at least five decision scenes
and three endings, every text in Chinese and English, and a debrief; and `sim validate` finds
nothing in the bundled scenarios and rubrics.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.analyze import Analysis, StateGraph, analyze
from sim.cases import Case, load_case, validate_paths
from sim.cli import main
from sim.engine import Step, replay
from sim.library import bundled_root, bundled_scenarios
from sim.model import Scenario
from sim.model.text import Text
from sim.scoring import auto_rubrics, collect_evidence, knowledge_taught, score_path

BEST_AT_LEAST = 85.0
WORST_AT_MOST = 50.0
"""Under the bundled rubrics' 百分制 mapping (起步 40, 发展 60, 熟练 80, 优秀 100) a path judged
at the lowest level everywhere scores 40, so the worst path must fail clearly: 50 or less (a
mean level of 1.5). Before the mapping the bar was 35 on the linear scale, the same level."""
LANGUAGES = ("zh", "en")
CASES = bundled_scenarios()
_ANALYSES: dict[Path, tuple[Case, Analysis]] = {}


def analysed(path: Path) -> tuple[Case, Analysis]:
    """Each case is loaded and analysed once for all the tests below."""
    if path not in _ANALYSES:
        case = load_case(path)
        _ANALYSES[path] = (case, analyze(case.scenario, case.rubrics))
    return _ANALYSES[path]


def reachable_steps(scenario: Scenario) -> set[Step]:
    """Every (scene, choice, reason) some run can actually take, given state and `requires`."""
    graph = StateGraph(scenario)
    seen = {graph.start()}
    frontier = [graph.start()]
    steps: set[Step] = set()
    while frontier:
        for edge in graph.out(frontier.pop()):
            steps.add(edge.step)
            if edge.target is not None and edge.target not in seen:
                seen.add(edge.target)
                frontier.append(edge.target)
    return steps


def texts(sc: Scenario) -> Iterator[tuple[str, Text | None]]:
    """Every human-readable field of a scenario, named by where it is."""
    yield "title", sc.title
    yield "summary", sc.summary
    yield "case", sc.case
    for role in sc.roles:
        yield f"roles.{role.id}.name", role.name
        if role.persona is not None:
            yield f"roles.{role.id}.persona", role.persona
    for kp in sc.knowledge_points:
        yield f"knowledge_points.{kp.id}.title", kp.title
        yield f"knowledge_points.{kp.id}.summary", kp.summary
    for name, var in sc.state.items():
        if var.label is not None:
            yield f"state.{name}.label", var.label
    for scene_id, scene in sc.scenes.items():
        at = f"scenes.{scene_id}"
        if scene.text is not None:
            yield f"{at}.text", scene.text
        if scene.line is not None:
            yield f"{at}.line", scene.line
        for index, variant in enumerate(scene.variants):
            if variant.text is not None:
                yield f"{at}.variants.{index}.text", variant.text
            if variant.line is not None:
                yield f"{at}.variants.{index}.line", variant.line
        for choice in scene.choices:
            yield f"{at}.{choice.id}.text", choice.text
            yield f"{at}.{choice.id}.feedback", choice.feedback
        for reason in scene.reasons:
            yield f"{at}.{reason.id}.text", reason.text
    for ending in sc.endings:
        yield f"endings.{ending.id}.title", ending.title
        yield f"endings.{ending.id}.text", ending.text
    assert sc.debrief is not None
    yield "debrief.real_outcome", sc.debrief.real_outcome
    for index, question in enumerate(sc.debrief.questions):
        yield f"debrief.questions.{index}", question


def test_the_library_has_the_flagship_and_the_issue_seven_cases() -> None:
    ids = {path.stem for path in CASES}
    assert {
        "airline-ba008",
        "internal-marketing-backoffice",
        "hospital-complaint",
        "gas-station-segments",
        "online-shop-taste",
        "bank-expectation-gap",
    } <= ids


def test_validate_finds_nothing_in_the_bundled_scenarios_and_rubrics() -> None:
    root = bundled_root()
    findings = validate_paths([root / "scenarios", root / "rubrics"])
    assert [f"{f.path}:{f.line}: {f.severity}: {f.message}" for f in findings] == []


def test_sim_validate_prints_no_findings(capsys: pytest.CaptureFixture[str]) -> None:
    root = bundled_root()
    assert main(["validate", str(root / "scenarios"), str(root / "rubrics")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "0 error(s), 0 warning(s)" in captured.err


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_best_and_worst_paths_meet_the_bars_through_the_engine(path: Path) -> None:
    case, result = analysed(path)
    sc = case.scenario
    assert result.exact, "the analysis must score every path, not sample"
    assert not result.cycle and result.paths is not None
    assert result.best is not None and result.worst is not None
    for extreme in (result.best, result.worst):
        run = replay(sc, extreme.steps)
        assert run.finished and run.ending == extreme.ending
        card = score_path(sc, case.rubrics, extreme.steps, run.ending)
        assert card.overall == pytest.approx(extreme.overall)
    assert result.best.overall is not None and result.best.overall >= BEST_AT_LEAST
    assert result.worst.overall is not None and result.worst.overall <= WORST_AT_MOST


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_ending_is_reachable_and_there_are_enough_of_them(path: Path) -> None:
    case, result = analysed(path)
    assert len(case.scenario.endings) >= 3
    assert result.endings == {e.id: True for e in case.scenario.endings}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_knowledge_point_and_criterion_is_reached_by_some_run(path: Path) -> None:
    case, _ = analysed(path)
    sc = case.scenario
    steps = sorted(reachable_steps(sc), key=repr)
    taught = set().union(*(knowledge_taught(sc, [step]) for step in steps))
    assert {kp.id for kp in sc.knowledge_points} <= taught
    assert len(sc.knowledge_points) >= 2
    evidenced = {
        (e.rubric, e.criterion)
        for e in collect_evidence(sc, case.rubrics, steps)
        if not e.mismatched
    }
    for rubric in auto_rubrics(sc, case.rubrics):
        for criterion in rubric.criteria:
            assert (rubric.id, criterion.id) in evidenced, f"{rubric.id}.{criterion.id}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_shape_languages_and_debrief(path: Path) -> None:
    sc = analysed(path)[0].scenario
    decisions = [s for s in sc.scenes.values() if s.choices]
    assert len(decisions) >= 5
    assert any(s.reasons for s in decisions), "reasons at the key decisions"
    assert any(s.variants for s in decisions), "lines that react to the state"
    assert all(c.feedback is not None for s in decisions for c in s.choices)
    assert set(LANGUAGES) <= set(sc.languages)
    assert sc.debrief is not None and sc.debrief.real_outcome is not None
    assert len(sc.debrief.questions) >= 3
    for where, text in texts(sc):
        assert isinstance(text, dict), f"{where} must be written in {LANGUAGES}"
        for language in LANGUAGES:
            assert text.get(language, "").strip(), f"{where} lacks {language}"


def test_the_internal_marketing_case_is_scored_on_astar() -> None:
    case = load_case(bundled_root() / "scenarios" / "internal-marketing-backoffice.yaml")
    astar = case.rubrics["astar"]
    assert "astar" in case.scenario.rubrics and astar.is_auto
    assert [level.points for level in astar.levels] == [1, 2, 3, 4, 5]
    assert [c.id for c in astar.criteria] == [
        "attention",
        "speed",
        "trustworthiness",
        "accuracy",
        "resourcefulness",
    ]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_worst_path_judges_every_criterion(path: Path) -> None:
    """A failing run is judged (ending evidence), never scored as if it had not been tried."""
    _, result = analysed(path)
    assert result.worst_unjudged == []
