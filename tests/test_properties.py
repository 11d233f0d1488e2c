"""Property-based tests over generated valid cases (hypothesis)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analyze import analyze
from sim.engine import available_choices, choose, give_reason, reasons, replay, start
from sim.model import Rubric, Scenario
from sim.scoring import score_path

RUBRIC = Rubric.model_validate(
    {
        "format": 1,
        "id": "r",
        "title": "R",
        "levels": [{"points": p, "label": str(p)} for p in (0, 5, 10)],
        "criteria": [{"id": "a", "title": "A", "weight": 2}, {"id": "b", "title": "B"}],
    }
)
RUBRICS = {"r": RUBRIC}
VARS = ["v0", "v1"]


def conditions(depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.one_of(
        st.builds(
            lambda v, op, n: {"var": v, op: n},
            st.sampled_from(VARS),
            st.sampled_from(["lt", "lte", "gt", "gte", "eq", "ne"]),
            st.integers(-5, 15),
        ),
        st.builds(lambda c: {"chose": c}, st.sampled_from(["c0-0", "c1-1", "c2-0"])),
    )
    if depth == 0:
        return leaf
    inner = conditions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    )


@st.composite
def cases(draw: st.DrawFn) -> Scenario:
    count = draw(st.integers(1, 6))
    scenes: dict[str, Any] = {}
    for index in range(count):
        choices = []
        for option in range(draw(st.integers(1, 3))):
            later = [f"s{j}" for j in range(index + 1, count)] + ["end"]
            choice: dict[str, Any] = {
                "id": f"c{index}-{option}",
                "text": "x",
                "next": draw(st.sampled_from(later)),
                "effects": {v: draw(st.integers(-8, 8)) for v in VARS if draw(st.booleans())},
                "evidence": {
                    k: draw(st.sampled_from([0, 5, 10]))
                    for k in ("r", "r.a", "r.b")
                    if draw(st.booleans())
                },
            }
            if option > 0 and draw(st.booleans()):
                choice["requires"] = draw(conditions())
            if draw(st.booleans()):
                choice["effects"]["set"] = {"v1": draw(st.integers(-20, 20))}
            choices.append(choice)
        scene: dict[str, Any] = {"choices": choices}
        if draw(st.booleans()):
            scene["reasons"] = [
                {
                    "id": f"r{index}-{k}",
                    "text": "y",
                    "supports": [c["id"] for c in choices if draw(st.booleans())],
                    "evidence": {"r.a": draw(st.sampled_from([0, 5, 10]))},
                }
                for k in range(draw(st.integers(1, 2)))
            ]
        scenes[f"s{index}"] = scene
    endings = [{"id": f"e{k}", "when": draw(conditions())} for k in range(draw(st.integers(0, 2)))]
    endings.append({"id": "fallback"})
    return Scenario.model_validate(
        {
            "format": 1,
            "id": "gen",
            "title": "G",
            "languages": ["en"],
            "rubrics": ["r"],
            "state": {
                "v0": {"initial": 5, "min": 0, "max": 10},
                "v1": {"initial": 0, "min": -3, "max": 3},
            },
            "start": "s0",
            "scenes": scenes,
            "endings": endings,
        }
    )


def random_walk(sc: Scenario, seed: int) -> Any:
    """A run where every offered choice is possible; a scene may offer none (stuck)."""
    rng = random.Random(seed)
    run = start(sc)
    while not run.finished:
        offered = available_choices(sc, run)
        if not offered:
            return run
        run = choose(sc, run, rng.choice(offered).id)
        for var, spec in sc.state.items():
            assert spec.min <= run.values[var] <= spec.max
        if run.pending is not None:
            run = give_reason(sc, run, rng.choice(reasons(sc, run)).id)
    return run


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 10_000))
def test_engine_never_raises_and_state_stays_in_bounds(sc: Scenario, seed: int) -> None:
    run = random_walk(sc, seed)
    card = score_path(sc, RUBRICS, run.steps)
    for result in card.rubrics.values():
        assert result.percent is None or 0 <= result.percent <= 100
    assert card.overall is None or 0 <= card.overall <= 100
    assert replay(sc, run.steps) == run


@settings(max_examples=80, deadline=None)
@given(cases(), st.lists(st.integers(0, 10_000), min_size=1, max_size=5))
def test_analysis_bounds_every_sampled_run(sc: Scenario, seeds: list[int]) -> None:
    result = analyze(sc, RUBRICS)
    assert not result.cycle
    for seed in seeds:
        run = random_walk(sc, seed)
        if not run.finished:
            continue
        assert result.endings[run.ending or ""] is True
        overall = score_path(sc, RUBRICS, run.steps).overall
        if overall is not None and result.best and result.worst:
            assert result.best.overall is not None and result.worst.overall is not None
            assert result.worst.overall - 1e-9 <= overall <= result.best.overall + 1e-9
