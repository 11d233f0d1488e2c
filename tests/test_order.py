"""Options are shown in an order drawn per attempt and per team, kept in the session.

These tests use the real random seeds (`shuffled` marker): the order must differ across
attempts and teams, yet be identical on resume; `shuffle: false` keeps file order.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from sim.analyze import analyze
from sim.cases import load_case
from sim.classroom import Classroom
from sim.engine import available_choices, choose, give_reason, start
from sim.library import bundled_scenarios
from sim.model import Choice, Scenario
from sim.order import shown_order, team_seed
from sim.practice import Attempt
from sim.scoring import score_path
from sim.store import open_store

pytestmark = pytest.mark.shuffled

MANY = "\n".join(
    f"      - {{id: c{n}, text: Option {n}, evidence: {{four: {1 + n % 4}}}, next: end}}"
    for n in range(8)
)
CASE = f"""format: 1
id: order-check
title: Order check
languages: [en]
rubrics: [four]
start: s1
scenes:
  s1:
    text: Pick one.
    choices:
{MANY}
    reasons:
      - {{id: r1, text: One, supports: [c1]}}
      - {{id: r2, text: Two, supports: [c2]}}
      - {{id: r3, text: Three, supports: [c3]}}
      - {{id: r4, text: Four, supports: [c4]}}
      - {{id: r5, text: Five, supports: [c5]}}
endings:
  - id: done
"""
FILE_ORDER = [f"c{n}" for n in range(8)]


def write(tmp_path: Path, text: str = CASE) -> Path:
    folder = tmp_path / "lib"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "rubrics").mkdir()
    four = Path(__file__).parent / "cases" / "rubrics" / "four.yaml"
    (folder / "rubrics" / "four.yaml").write_text(four.read_text(encoding="utf-8"))
    path = folder / "scenarios" / "order-check.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_practice_attempt_draws_its_own_order_and_keeps_it_on_resume(tmp_path: Path) -> None:
    case = load_case(write(tmp_path))
    store = open_store()
    orders = []
    for _ in range(6):
        attempt = Attempt.begin(case, store)
        shown = [c.id for c in attempt.choices()]
        assert sorted(shown) == sorted(FILE_ORDER)
        again = Attempt.resume(case, open_store(), attempt.session_id)
        assert [c.id for c in again.choices()] == shown  # resume shows what was played
        orders.append(tuple(shown))
    # 8! orders: six attempts drawing the same one would be a broken shuffle.
    assert len(set(orders)) > 1
    assert any(list(order) != FILE_ORDER for order in orders)


def test_a_replay_draws_a_new_order_even_from_the_earlier_attempts_settings(
    tmp_path: Path,
) -> None:
    case = load_case(write(tmp_path))
    store = open_store()
    first = Attempt.begin(case, store)
    seeds = {first.order_seed}
    for _ in range(5):
        # The end screen's replay passes the earlier attempt's settings on.
        seeds.add(
            Attempt.begin(case, store, first.settings, replayed_from=first.session_id).order_seed
        )
    assert len(seeds) > 1


def test_reasons_are_shuffled_too_and_kept_after_the_choice(tmp_path: Path) -> None:
    case = load_case(write(tmp_path))
    store = open_store()
    seen = set()
    for _ in range(6):
        attempt = Attempt.begin(case, store)
        attempt.choose("c1")
        reasons = [r.id for r in attempt.reasons()]
        assert [r.id for r in Attempt.resume(case, store, attempt.session_id).reasons()] == (
            reasons
        )
        seen.add(tuple(reasons))
    assert len(seen) > 1


def test_each_team_in_a_class_sees_its_own_order(tmp_path: Path) -> None:
    case = load_case(write(tmp_path))
    store = open_store()
    room = Classroom.begin(case, store, ["Red", "Blue", "Green", "Gold"])
    orders = {}
    for team in room.order:
        orders[team] = [c.id for c in room_choices(room, team)]
    assert len({tuple(o) for o in orders.values()}) > 1
    resumed = Classroom.resume(case, open_store(), room.session_id)
    for team in room.order:
        assert [c.id for c in room_choices(resumed, team)] == orders[team]


def room_choices(room: Classroom, team: str) -> list[Choice]:
    """A team's choices in its order, whether or not it is that team's turn (pure)."""
    run = room.run_of(team)
    return shown_order(
        room.case.scenario,
        run.scene,
        "choices",
        available_choices(room.case.scenario, run),
        room.order_seed(team),
    )


def test_digit_picks_the_option_as_shown(tmp_path: Path) -> None:
    case = load_case(write(tmp_path))
    store = open_store()
    attempt = Attempt.begin(case, store)
    third = attempt.choices()[2]
    attempt.choose(third.id)
    assert attempt.run.pending == third.id


def test_shuffle_false_keeps_file_order(tmp_path: Path) -> None:
    whole = load_case(write(tmp_path, CASE.replace("start: s1", "shuffle: false\nstart: s1")))
    scene = load_case(
        write(
            tmp_path / "b",
            CASE.replace("    text: Pick one.", "    text: Pick one.\n    shuffle: false"),
        )
    )
    for case in (whole, scene):
        store = open_store()
        for _ in range(4):
            attempt = Attempt.begin(case, store)
            assert [c.id for c in attempt.choices()] == FILE_ORDER
            attempt.choose("c1")
            assert [r.id for r in attempt.reasons()] == ["r1", "r2", "r3", "r4", "r5"]


def test_an_order_is_a_pure_function_of_the_seed_and_stable_for_subsets(tmp_path: Path) -> None:
    sc: Scenario = load_case(write(tmp_path)).scenario
    items = list(sc.scenes["s1"].choices)
    first = shown_order(sc, "s1", "choices", items, 12345)
    assert shown_order(sc, "s1", "choices", items, 12345) == first
    # A subset keeps the relative order of the whole list (availability never reshuffles).
    subset = [c for c in items if c.id != "c3"]
    assert shown_order(sc, "s1", "choices", subset, 12345) == [c for c in first if c.id != "c3"]
    # No seed (sessions stored before shuffling): file order, as they were played.
    assert shown_order(sc, "s1", "choices", items, None) == items
    assert team_seed(None, "Red") is None
    assert team_seed(7, "Red") != team_seed(7, "Blue")


def _press_one(case_path: Path, seed: int) -> tuple[float | None, str | None]:
    """Play a case pressing 1 at every prompt in the order this seed shows (as the app does)."""
    case = load_case(case_path)
    sc = case.scenario
    run = start(sc)
    while not run.finished:
        offered = shown_order(sc, run.scene, "choices", available_choices(sc, run), seed)
        run = choose(sc, run, offered[0].id)
        if run.pending is not None:
            reasons = shown_order(sc, run.scene, "reasons", sc.scenes[run.scene].reasons, seed)
            run = give_reason(sc, run, reasons[0].id)
    return score_path(sc, case.rubrics, run.steps, run.ending).overall, run.ending


@pytest.mark.parametrize("case_path", bundled_scenarios(), ids=lambda p: p.stem)
def test_pressing_1_throughout_is_a_random_walk_not_the_best_path(case_path: Path) -> None:
    case = load_case(case_path)
    best = analyze(case.scenario, case.rubrics).best
    assert best is not None and best.overall is not None
    played = [_press_one(case_path, seed) for seed in range(20)]
    scores = [score for score, _ in played if score is not None]
    assert len({ending for _, ending in played}) >= 2, "every attempt reached the same ending"
    assert statistics.fmean(scores) <= best.overall - 20
