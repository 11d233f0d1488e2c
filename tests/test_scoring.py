"""Scoring rules: levels, human-rating aggregation policies, classroom totals."""

from __future__ import annotations

import pytest

from sim.model import Rubric
from sim.scoring import (
    Rating,
    RatingError,
    aggregate,
    check_rating,
    classroom_total,
    human_scores,
    level_for,
)

PANEL = Rubric.model_validate(
    {
        "format": 1,
        "id": "panel",
        "title": "Panel",
        "rated_by": ["instructor", "peer"],
        "levels": [{"points": p, "label": str(p)} for p in (1, 2, 3, 4)],
        "criteria": [{"id": "k", "title": "K", "weight": 3}, {"id": "t", "title": "T"}],
    }
)


def r(kind: str, rater: str, points: float, team: str = "A", criterion: str = "k") -> Rating:
    return Rating(team, kind, rater, "panel", criterion, points)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "level"), [(1.0, 1), (1.49, 1), (1.5, 2), (2.5, 3), (3.5, 4), (4, 4), (2.51, 3)]
)
def test_nearest_level_with_ties_going_up(score: float, level: float) -> None:
    assert level_for(PANEL, score).points == level


def test_course_formula_averages_the_peer_mean_and_the_instructor_mean() -> None:
    ratings = [r("peer", "B", 2), r("peer", "C", 3), r("instructor", "Li", 4)]
    # mean(mean(2, 3), 4) = mean(2.5, 4) = 3.25
    assert aggregate(ratings) == pytest.approx(3.25)


def test_one_side_alone_when_the_other_has_no_ratings() -> None:
    assert aggregate([r("peer", "B", 2), r("peer", "C", 4)]) == pytest.approx(3)
    assert aggregate([r("instructor", "Li", 1)]) == pytest.approx(1)
    assert aggregate([]) is None


def test_median_and_trimmed_policies() -> None:
    peers = [r("peer", t, p) for t, p in (("B", 1), ("C", 4), ("D", 4))]
    ratings = [*peers, r("instructor", "Li", 2)]
    assert aggregate(ratings, "median") == pytest.approx((4 + 2) / 2)
    # trimmed drops the highest and lowest peer: 4 remains
    assert aggregate(ratings, "trimmed") == pytest.approx((4 + 2) / 2)
    assert aggregate(ratings, "course") == pytest.approx((3 + 2) / 2)


def test_self_ratings_are_not_counted() -> None:
    assert aggregate([r("self", "A", 1), r("instructor", "Li", 3)]) == pytest.approx(3)


def test_a_team_never_rates_itself() -> None:
    with pytest.raises(RatingError, match="cannot rate itself"):
        check_rating(r("peer", "A", 3, team="A"), PANEL)


def test_ratings_must_be_a_level() -> None:
    with pytest.raises(RatingError, match="not a level"):
        check_rating(r("peer", "B", 2.5), PANEL)


def test_human_rubric_percent_uses_criterion_weights() -> None:
    ratings = [r("instructor", "Li", 4, criterion="k"), r("instructor", "Li", 1, criterion="t")]
    finals, percent = human_scores(PANEL, ratings, "A")
    assert finals == {"k": 4, "t": 1}
    assert percent == pytest.approx(100 * (3 * 1 + 1 * 0) / 4)


def test_classroom_total() -> None:
    assert classroom_total(80, 60) == pytest.approx(70)
    assert classroom_total(80, 60, 0.7, 0.3) == pytest.approx(74)
    assert classroom_total(None, 60) == 60
    assert classroom_total(80, None) == 80
