"""Pure debrief helpers: a path's held feedback, and a round's decision aligned by scene."""

from __future__ import annotations

from sim.cases import load_case
from sim.debrief import decision_by_scene, path_feedback
from sim.engine import Step
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"


def test_path_feedback_marks_a_reason_that_does_not_support_its_choice() -> None:
    sc = load_case(SCALE).scenario
    steps = (Step("s1", "warm", "cheap"), Step("s2", "plain"))
    items = path_feedback(sc, steps)
    assert [(i.number, i.choice.id, i.mismatched) for i in items] == [
        (1, "warm", True),
        (2, "plain", False),
    ]
    assert items[0].reason is not None and items[0].reason.id == "cheap"
    assert items[1].reason is None
    # A step the case no longer has (edited since) is left out, not guessed at.
    assert path_feedback(sc, (Step("gone", "x"),)) == []


def test_decision_by_scene_sets_only_answers_to_the_same_question_side_by_side() -> None:
    sc = load_case("airline-ba008").scenario
    paths = {
        "Red": [Step("gate", "listen", "understand-first"), Step("needs", "check-record")],
        "Blue": [Step("gate", "policy", "fair-to-all"), Step("escalation", "apologise-reset")],
        "Green": [Step("gate", "listen", "keep-vip"), Step("needs", "promise-now")],
        "Gold": [Step("gate", "listen", "keep-vip")],  # has not answered decision 2 yet
    }
    first = decision_by_scene(sc, paths, 0)
    assert [(g.scene, [a.team for a in g.answers]) for g in first] == [
        ("gate", ["Red", "Blue", "Green", "Gold"])
    ]
    second = decision_by_scene(sc, paths, 1)
    assert [(g.scene, [a.team for a in g.answers]) for g in second] == [
        ("needs", ["Red", "Green"]),
        ("escalation", ["Blue"]),
    ]
    red = second[0].answers[0]
    assert red.before.scene == "needs" and red.after.scene == "profile"
    assert decision_by_scene(sc, paths, 5) == []
