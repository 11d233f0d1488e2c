"""Six paths of tests/cases/scale-check.yaml, each computed by hand from FORMAT.md.

The case has a 0/5/10 scale, a double-weight criterion, rubric weights 3:1, a mismatched
reason, an unobserved criterion, clamping past the maximum, and `requires` on an earlier
choice. The working for each path is in the comments.
"""

from __future__ import annotations

import pytest

from sim.cases import load_case
from sim.engine import Step as St
from sim.engine import available_choices, choose, give_reason, replay, start
from sim.scoring import knowledge_taught, score_path
from tests.conftest import CASES

CASE = load_case(CASES / "scenarios" / "scale-check.yaml")
SC, RUBRICS = CASE.scenario, CASE.rubrics


def steps(first: str, reason: str, second: str) -> list[St]:
    return [St("s1", first, reason), St("s2", second)]


# path, ending, mood, money, overall, ten %, four %, {criterion: (score, level)}
PATHS = [
    # warm +5 clamps 13 -> 10; gift +50. ten.a mean(10, 5) = 7.5 (tie 5/10 -> 10), b 10:
    # ten = (2*0.75 + 1*1)/3 = 83.33; four.x 4, four.y mean(4, 3) = 3.5 (tie -> 4):
    # four = (1 + 0.8333)/2 = 91.67; overall = (3*83.33 + 91.67)/4 = 85.42.
    (
        steps("warm", "care", "gift"),
        "delighted",
        10,
        50,
        85.4167,
        83.3333,
        91.6667,
        {"ten.a": (7.5, 10), "ten.b": (10, 10), "ten.c": (None, None), "four.y": (3.5, 4)},
    ),
    # cheap does not support warm: ten.b gets ten's lowest, 0. ten = (2*1 + 0)/3 = 66.67;
    # four.x mean(4, 2) = 3, four.y 4: four = (0.6667 + 1)/2 = 83.33; overall 70.83.
    # mood 10 but money 0: not delighted; not fine (10 is not < 10): the fallback.
    (
        steps("warm", "cheap", "plain"),
        "gone",
        10,
        0,
        70.8333,
        66.6667,
        83.3333,
        {"ten.b": (0, 0), "four.x": (3, 3), "four.y": (4, 4)},
    ),
    # mood 8 - 3 = 5, refund sets 9: fine. ten: a 0, b 5, c 10 -> (0 + 0.5 + 1)/4 = 37.5;
    # four: only x observed, 1 -> 0; overall (3*37.5 + 0)/4 = 28.125.
    (
        steps("cold", "cheap", "refund"),
        "fine",
        9,
        0,
        28.125,
        37.5,
        0.0,
        {"ten.c": (10, 10), "four.y": (None, None)},
    ),
    # care does not support cold: ten.b -> 0 and four.y -> 1 (each rubric's lowest).
    # ten 0; four.x mean(1, 2) = 1.5 (tie 1/2 -> 2), y 1: four = (0.1667 + 0)/2 = 8.33;
    # overall 8.33/4 = 2.083.
    (
        steps("cold", "care", "plain"),
        "gone",
        5,
        0,
        2.0833,
        0.0,
        8.3333,
        {"four.x": (1.5, 2), "four.y": (1, 1)},
    ),
    # ten: a 10, b 10 -> 100; four.x mean(4, 2) = 3, y mean(4, 3) = 3.5 -> 75;
    # overall (300 + 75)/4 = 93.75.
    (
        steps("warm", "care", "plain"),
        "gone",
        10,
        0,
        93.75,
        100.0,
        75.0,
        {"ten.a": (10, 10), "four.x": (3, 3)},
    ),
    # ten: a 0, b 5 -> (0 + 0.5)/3 = 16.67; four.x mean(1, 2) = 1.5 -> 16.67; overall 16.67.
    (
        steps("cold", "cheap", "plain"),
        "gone",
        5,
        0,
        16.6667,
        16.6667,
        16.6667,
        {"ten.a": (0, 0), "ten.b": (5, 5)},
    ),
]


@pytest.mark.parametrize(
    "row", PATHS, ids=[",".join(s.choice for s in p[0]) + f":{p[0][0].reason}" for p in PATHS]
)
def test_path_scores_match_hand_computation(row: tuple) -> None:  # type: ignore[type-arg]
    path, ending, mood, money, overall, ten, four, criteria = row
    run = replay(SC, path)
    assert run.ending == ending
    assert run.values == {"mood": mood, "money": money}
    card = score_path(SC, RUBRICS, run.steps)
    assert card.overall == pytest.approx(overall, abs=0.01)
    assert card.rubrics["ten"].percent == pytest.approx(ten, abs=0.01)
    assert card.rubrics["four"].percent == pytest.approx(four, abs=0.01)
    for key, (score, level) in criteria.items():
        rubric_id, criterion_id = key.split(".")
        result = next(c for c in card.rubrics[rubric_id].criteria if c.criterion == criterion_id)
        if score is None:
            assert not result.observed and result.level is None and result.evidence == ()
        else:
            assert result.score == pytest.approx(score, abs=0.01)
            assert result.level is not None and result.level.points == level


def test_requires_on_an_earlier_choice_changes_what_is_offered() -> None:
    warm = give_reason(SC, choose(SC, start(SC), "warm"), "care")
    cold = give_reason(SC, choose(SC, start(SC), "cold"), "care")
    assert [c.id for c in available_choices(SC, warm)] == ["gift", "plain"]
    assert [c.id for c in available_choices(SC, cold)] == ["plain", "refund"]


def test_evidence_names_the_choices_and_reasons_that_gave_it() -> None:
    card = score_path(SC, RUBRICS, steps("warm", "cheap", "plain"))
    b = next(c for c in card.rubrics["ten"].criteria if c.criterion == "b")
    assert [(e.source, e.item, e.points, e.mismatched) for e in b.evidence] == [
        ("reason", "cheap", 0, True)
    ]


def test_a_mismatched_reason_teaches_nothing() -> None:
    assert knowledge_taught(SC, steps("warm", "cheap", "plain")) == set()
