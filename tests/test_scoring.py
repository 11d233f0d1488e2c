"""Scoring rules: levels, human-rating aggregation policies, classroom totals."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cases import Case, load_case
from sim.engine import Step
from sim.model import Rubric
from sim.scoring import (
    Rating,
    RatingError,
    aggregate,
    check_rating,
    classroom_total,
    human_scores,
    knowledge_taught,
    knowledge_touched,
    level_for,
    well_used,
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


# A declared level → percent mapping (FORMAT: rubric `percent`) ------------------------------

GRADED = Rubric.model_validate(
    {
        **PANEL.model_dump(exclude={"percent"}),
        "percent": {1: 40, 2: 60, 3: 80, 4: 100},
    }
)


@pytest.mark.parametrize(
    ("score", "percent"), [(1, 40), (2, 60), (3, 80), (4, 100), (3.25, 85), (1.5, 50)]
)
def test_a_declared_mapping_gives_each_level_its_percent_pro_rata_between(
    score: float, percent: float
) -> None:
    assert GRADED.percent_of(score) == pytest.approx(percent)


def test_without_a_mapping_levels_are_linear_from_0_to_100() -> None:
    assert [PANEL.percent_of(s) for s in (1, 2, 3, 4)] == pytest.approx([0, 100 / 3, 200 / 3, 100])


def test_every_criterion_proficient_is_80_under_the_mapping_not_66_7() -> None:
    ratings = [r("instructor", "I", 3, criterion=c) for c in ("k", "t")]
    assert human_scores(PANEL, ratings, "A")[1] == pytest.approx(200 / 3)
    assert human_scores(GRADED, ratings, "A")[1] == pytest.approx(80)


# An ending's own evidence (FORMAT: `endings[].evidence`) -----------------------------------


def test_an_ending_that_loses_the_customer_is_judged_at_the_lowest_level(tmp_path: Path) -> None:
    from sim.analyze import analyze
    from sim.cases import load_case
    from sim.engine import replay
    from sim.scoring import score_path

    folder = tmp_path / "lib"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "rubrics").mkdir()
    four = Path(__file__).parent / "cases" / "rubrics" / "four.yaml"
    (folder / "rubrics" / "four.yaml").write_text(four.read_text(encoding="utf-8"))
    path = folder / "scenarios" / "lose.yaml"
    path.write_text(
        """format: 1
id: lose
title: Lose
languages: [en]
rubrics: [four]
state:
  mood: {initial: 5, min: 0, max: 10}
start: s1
scenes:
  s1:
    text: Pick.
    choices:
      - {id: kind, text: Kind, effects: {mood: 5}, evidence: {four.x: 4}, next: end}
      - {id: rude, text: Rude, effects: {mood: -5}, evidence: {four.x: 2}, next: end}
endings:
  - {id: kept, when: {var: mood, gte: 10}, outcome: loyal}
  - {id: lost, outcome: lost, evidence: {four.y: 1}}
""",
        encoding="utf-8",
    )
    case = load_case(path)
    lost = replay(case.scenario, [Step("s1", "rude")])
    assert lost.ending == "lost"
    card = score_path(case.scenario, case.rubrics, lost.steps, lost.ending)
    y = next(c for c in card.rubrics["four"].criteria if c.criterion == "y")
    assert y.observed and y.score == 1
    assert [e.source for e in y.evidence] == ["ending"]
    # Without the ending, y would not be observed at all: the failure is judged, not skipped.
    bare = score_path(case.scenario, case.rubrics, lost.steps)
    assert not next(c for c in bare.rubrics["four"].criteria if c.criterion == "y").observed
    # The analyser counts the ending's evidence exactly as the scorer does.
    result = analyze(case.scenario, case.rubrics)
    assert result.worst is not None and result.worst.ending == "lost"
    assert result.worst.overall == pytest.approx(card.overall)


# The classroom weights (`sim class --weights`) ----------------------------------------------


@pytest.mark.parametrize(
    ("spec", "shares"),
    [
        ("auto=50,rated=50", (0.5, 0.5)),
        ("rated=100", (0.0, 1.0)),
        ("auto=30", (0.3, 0.7)),
        ("auto=1,rated=3", (0.25, 0.75)),
        ("human=60, auto=40", (0.4, 0.6)),
        ("auto=0.2", (0.2, 0.8)),
    ],
)
def test_weights_are_read_as_shares(spec: str, shares: tuple[float, float]) -> None:
    from sim.debrief import parse_weights

    assert parse_weights(spec) == pytest.approx(shares)


@pytest.mark.parametrize(
    "spec", ["", "auto", "auto=x", "auto=-1", "auto=200", "gut=50", "auto=0,rated=0", "auto=nan"]
)
def test_bad_weights_are_refused_in_words(spec: str) -> None:
    from sim.debrief import WeightsError, parse_weights

    with pytest.raises(WeightsError):
        parse_weights(spec)


def _knowledge_case(tmp_path: Path) -> Case:
    """Three choices naming one concept: used well, only touched, and with no evidence."""
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "kp.yaml"
    path.write_text(
        """format: 1
id: kp
title: Knowledge
languages: [en]
rubrics: [communication]
knowledge_points:
  - {id: value, title: Value}
start: a
scenes:
  a:
    choices:
      - {id: good, text: G, evidence: {communication: 3}, knowledge: [value], next: b}
      - {id: weak, text: W, evidence: {communication.empathy: 2}, knowledge: [value], next: b}
      - {id: bare, text: B, knowledge: [value], next: b}
    reasons:
      - {id: why, text: Y, supports: [weak, good], evidence: {communication: 1}, knowledge: [value]}
  b:
    choices:
      - {id: done, text: D, next: end}
endings:
  - id: only
""",
        encoding="utf-8",
    )
    return load_case(path)


def test_a_knowledge_point_counts_only_where_it_is_used_well(tmp_path: Path) -> None:
    case = _knowledge_case(tmp_path)
    sc, rubrics = case.scenario, case.rubrics
    good = [Step("a", "good", "why"), Step("b", "done")]
    weak = [Step("a", "weak", "why"), Step("b", "done")]
    bare = [Step("a", "bare", "why"), Step("b", "done")]
    # 3 on a 1-4 scale is above the midpoint (2.5): applied, even with a weak reason beside it.
    assert knowledge_touched(sc, good, rubrics) == ({"value"}, set())
    # A 2 and a 1 only touch it: shown as misapplied, not applied.
    assert knowledge_touched(sc, weak, rubrics) == (set(), {"value"})
    assert knowledge_taught(sc, weak, rubrics) == set()
    # No evidence to judge by: the author's `knowledge` stands.
    assert knowledge_taught(sc, bare, rubrics) == {"value"}
    # Without rubrics, the old rule (any supporting item applies its points).
    assert knowledge_taught(sc, weak) == {"value"}


def test_well_used_is_the_mean_position_on_each_rubrics_scale(tmp_path: Path) -> None:
    rubrics = _knowledge_case(tmp_path).rubrics
    assert well_used(rubrics, {"communication": 2.5})
    assert not well_used(rubrics, {"communication": 2.4})
    assert well_used(rubrics, {"communication.empathy": 4, "communication.clarity": 1})
    assert well_used(rubrics, {"unknown-rubric": 1})
