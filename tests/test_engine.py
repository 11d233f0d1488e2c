"""The engine's semantics: state, clamping, set, conditions, variants, reasons, endings."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine import (
    MoveError,
    Step,
    available_choices,
    choose,
    holds,
    replay,
    start,
    take,
    view,
)
from sim.model import Condition, Scenario


def scenario(**overrides: Any) -> Scenario:
    data: dict[str, Any] = {
        "format": 1,
        "id": "t",
        "title": "T",
        "languages": ["en"],
        "state": {"s": {"initial": 5, "min": 0, "max": 10}},
        "start": "a",
        "scenes": {
            "a": {
                "line": "hello",
                "variants": [{"when": {"var": "s", "lt": 3}, "line": "grr"}],
                "choices": [
                    {"id": "up", "text": "Up", "effects": {"s": 100}, "next": "b"},
                    {"id": "down", "text": "Down", "effects": {"s": -4}, "next": "b"},
                ],
            },
            "b": {
                "line": "hello",
                "variants": [{"when": {"var": "s", "lt": 3}, "line": "grr"}],
                "choices": [
                    {
                        "id": "reset",
                        "text": "Reset",
                        "effects": {"set": {"s": 2}, "s": 1},
                        "next": "end",
                    },
                    {"id": "stop", "text": "Stop", "next": "done"},
                ],
                "reasons": [{"id": "why", "text": "Why", "supports": ["reset"]}],
            },
            "done": {"text": "Over.", "ending": "bad"},
        },
        "endings": [{"id": "good", "when": {"var": "s", "gte": 3}}, {"id": "bad"}],
    }
    data.update(overrides)
    return Scenario.model_validate(data)


SC = scenario()


def test_effects_clamp_to_the_bounds() -> None:
    assert choose(SC, start(SC), "up").values["s"] == 10


def test_set_and_add_apply_in_file_order_then_clamp() -> None:
    run = replay(SC, [Step("a", "down"), Step("b", "reset", "why")])
    assert run.values["s"] == 3  # set 2, then +1
    assert run.ending == "good"


def test_a_scene_with_an_ending_ends_the_run_on_arrival() -> None:
    run = replay(SC, [Step("a", "up"), Step("b", "stop", "why")])
    assert run.finished and run.ending == "bad" and run.scene == "done"


def test_variants_replace_the_line_when_their_condition_holds() -> None:
    assert view(SC, start(SC)).line == "hello"
    low = take(SC, start(SC), Step("a", "down"))
    assert view(SC, low).line == "grr"


def test_a_reason_is_required_where_the_scene_asks() -> None:
    run = take(SC, start(SC), Step("a", "up"))
    with pytest.raises(MoveError) as refused:
        take(SC, run, Step("b", "reset"))
    assert refused.value.valid == ["why"]


def test_unknown_choice_lists_the_valid_ones() -> None:
    with pytest.raises(MoveError) as refused:
        choose(SC, start(SC), "sideways")
    assert refused.value.valid == ["up", "down"]


def test_unavailable_choice_is_refused_with_the_available_ones() -> None:
    data = SC.model_dump(by_alias=True, exclude_none=True)
    data["scenes"]["a"]["choices"][0]["requires"] = {"var": "s", "gt": 7}
    guarded = Scenario.model_validate(data)
    with pytest.raises(MoveError) as refused:
        choose(guarded, start(guarded), "up")
    assert "not available" in refused.value.message
    assert refused.value.valid == ["down"]
    assert [c.id for c in available_choices(guarded, start(guarded))] == ["down"]


def test_first_ending_in_file_order_wins_and_the_last_is_the_fallback() -> None:
    run = replay(SC, [Step("a", "down"), Step("b", "reset", "why")])
    assert run.ending == "good"


@pytest.mark.parametrize(
    ("condition", "values", "chosen", "expected"),
    [
        ({"var": "s", "gte": 3, "lt": 7}, {"s": 5}, set(), True),
        ({"var": "s", "gte": 3, "lt": 7}, {"s": 7}, set(), False),
        ({"var": "s", "eq": 5}, {"s": 5}, set(), True),
        ({"var": "s", "ne": 5}, {"s": 5}, set(), False),
        ({"chose": "x"}, {"s": 0}, {"x"}, True),
        ({"not": {"chose": "x"}}, {"s": 0}, {"x"}, False),
        ({"any": [{"chose": "x"}, {"var": "s", "gt": 1}]}, {"s": 2}, set(), True),
        ({"all": [{"chose": "x"}, {"var": "s", "gt": 1}]}, {"s": 2}, set(), False),
        ({"all": []}, {"s": 0}, set(), True),
        ({"any": []}, {"s": 0}, set(), False),
    ],
)
def test_conditions(
    condition: dict[str, Any], values: dict[str, float], chosen: set[str], expected: bool
) -> None:
    assert holds(Condition.model_validate(condition), values, frozenset(chosen)) is expected


def test_a_run_is_immutable_and_replay_reproduces_it() -> None:
    first = start(SC)
    moved = choose(SC, first, "up")
    assert first.values["s"] == 5 and moved.values["s"] == 10
    run = replay(SC, [Step("a", "up"), Step("b", "reset", "why")])
    assert replay(SC, run.steps) == run
