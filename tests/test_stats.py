"""`sim stats`: counts, means and agreement over stored sessions, checked by hand.

The scale-check case's automatic scores are hand-computed in test_scoring_hand_computed.py:
warm:care,gift 85.4167 (ending delighted; ten.a 7.5, ten.b 10, four.x 4, four.y 3.5);
cold:cheap,refund 28.125 (fine; ten.a 0, ten.b 5, ten.c 10, four.x 1);
warm:cheap,plain 70.8333 (gone; ten.a 10, ten.b 0, four.x 3, four.y 4).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.cases import Case, load_case
from sim.classroom import Classroom
from sim.cli import main
from sim.headless import play_headless
from sim.practice import Attempt
from sim.report.stats import parse_since, read_stats, stats_html, stats_text, stats_view
from sim.session import fold
from sim.stats import StoredSession, _Replayer, krippendorff_alpha, team_runs
from sim.store import SqliteStore, Store, open_store
from tests.conftest import CASES, REPO

SCALE = CASES / "scenarios" / "scale-check.yaml"
A = [("warm", "care"), ("gift", None)]
B = [("cold", "cheap"), ("refund", None)]
C = [("warm", "cheap"), ("plain", None)]
OVERALL = {"A": 85.4167, "B": 28.125, "C": 70.8333}


@pytest.fixture
def case() -> Case:
    return load_case(SCALE)


@pytest.fixture
def store() -> Iterator[Store]:
    """The default store (PostgreSQL under SIM_TEST_STORE=postgres), closed after the test:
    an unclosed PostgreSQL pool complains when it is collected."""
    opened = open_store()
    yield opened
    opened.close()


def record(store: SqliteStore, case: Case, team: str, path: list[tuple[str, str | None]]) -> int:
    run = play_headless(case, path).run
    return store.record_run(case.scenario.id, case.stored_path, team, run)


def stats_json(store: SqliteStore, case: Case, **filters: Any) -> dict[str, Any]:
    return read_stats(store, case, **filters).as_json()


def choice(data: dict[str, Any], scene: str, ident: str) -> dict[str, Any]:
    decision = next(d for d in data["decisions"] if d["scene"] == scene)
    return next(c for c in decision["choices"] if c["id"] == ident)


# Agreement -----------------------------------------------------------------------------------


def alpha_by_pairs(units: list[list[float]]) -> float:
    """Krippendorff's alpha (interval) from its definition, pair by pair, for the tests only."""
    pairable = [u for u in units if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    d_o = (
        sum(
            sum((a - b) ** 2 for a, b in itertools.permutations(u, 2)) / (len(u) - 1)
            for u in pairable
        )
        / n
    )
    values = [v for u in pairable for v in u]
    d_e = sum((a - b) ** 2 for a, b in itertools.permutations(values, 2)) / (n * (n - 1))
    return 1 - d_o / d_e


def test_alpha_matches_krippendorffs_worked_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers ×
    # 12 units example with missing values: interval alpha = 0.849 (the `krippendorff`
    # package gives 0.8491071428571428 on the same data).
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[float(o[u]) for o in observers if o[u] is not None] for u in range(12)]
    assert krippendorff_alpha(units) == pytest.approx(0.8491071428571428, abs=1e-12)
    assert krippendorff_alpha(units) == pytest.approx(alpha_by_pairs(units), abs=1e-12)


def test_alpha_is_undefined_without_variation_or_pairs() -> None:
    assert krippendorff_alpha([[3.0, 3.0], [3.0, 3.0]]) is None
    assert krippendorff_alpha([[3.0], [2.0]]) is None
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[1.0, 1.0], [4.0, 4.0]]) == pytest.approx(1.0)


# Counts and means ----------------------------------------------------------------------------


def test_hand_counted_runs_decisions_endings_and_means(case: Case, store: SqliteStore) -> None:
    paths = {"r1": A, "r2": A, "r3": B, "r4": C}
    for team, path in paths.items():
        record(store, case, team, path)
    # An unfinished practice attempt: one choice and its reason, no ending.
    attempt = Attempt.begin(case, store)
    attempt.choose("cold")
    attempt.give_reason("care")
    data = stats_json(store, case)

    assert (data["sessions"], data["runs"], data["finished"]) == (5, 5, 4)
    steps = [*[s for p in paths.values() for s in p], ("cold", "care")]
    chosen = Counter(c for c, _ in steps)
    for ident, n in chosen.items():
        scene = "s1" if ident in ("warm", "cold") else "s2"
        assert choice(data, scene, ident)["count"] == n
    # Reasons under their choice, with whether they support it (care supports warm only).
    warm = choice(data, "s1", "warm")
    assert warm["reasons"] == [
        {"id": "care", "count": 2, "supports": True},
        {"id": "cheap", "count": 1, "supports": False},
    ]
    cold = choice(data, "s1", "cold")
    assert cold["reasons"] == [
        {"id": "care", "count": 1, "supports": False},
        {"id": "cheap", "count": 1, "supports": True},
    ]
    assert data["endings"] == {"delighted": 2, "fine": 1, "gone": 1}

    # Means: finished runs only (the unfinished attempt adds nothing).
    overall = [OVERALL["A"], OVERALL["A"], OVERALL["B"], OVERALL["C"]]
    assert data["overall"]["mean"] == pytest.approx(statistics.fmean(overall), abs=1e-3)
    ten_a = data["criteria"]["ten"]["a"]
    assert ten_a["mean"] == pytest.approx(statistics.fmean([7.5, 7.5, 0, 10]))
    # Levels nearest each score (ties to the higher): 7.5 → 10, 0 → 0, 10 → 10.
    assert ten_a["levels"] == {"0": 1, "5": 0, "10": 3}
    ten_c = data["criteria"]["ten"]["c"]
    assert (ten_c["observed"], ten_c["not_observed"], ten_c["mean"]) == (1, 3, 10)
    four_y = data["criteria"]["four"]["y"]
    assert four_y["mean"] == pytest.approx(statistics.fmean([3.5, 3.5, 4]))

    # Separation: the mean overall of the finished runs that took each option.
    sep = {c["id"]: c for d in data["separation"] for c in d["choices"]}
    assert sep["warm"]["runs"] == 3
    assert sep["warm"]["mean_overall"] == pytest.approx(
        statistics.fmean([OVERALL["A"], OVERALL["A"], OVERALL["C"]]), abs=1e-3
    )
    assert sep["cold"]["mean_overall"] == pytest.approx(OVERALL["B"], abs=1e-3)
    s1 = next(d for d in data["separation"] if d["scene"] == "s1")
    assert s1["spread"] == pytest.approx(sep["warm"]["mean_overall"] - sep["cold"]["mean_overall"])


def test_corrections_and_undos_are_not_counted(case: Case, store: SqliteStore) -> None:
    attempt = Attempt.begin(case, store)
    attempt.choose("cold")
    attempt.take_back_choice()  # a correction voids it
    attempt.choose("warm")
    attempt.give_reason("care")
    attempt.choose("gift")
    room = Classroom.begin(case, store, ["X", "Y"])
    room.choose("X", "cold")
    room.undo()
    room.choose("X", "warm")
    data = stats_json(store, case)
    assert choice(data, "s1", "cold")["count"] == 0
    # The class's X has a pending choice only: a choice waiting for its reason is no step.
    assert choice(data, "s1", "warm")["count"] == 1
    assert (data["runs"], data["finished"]) == (3, 1)
    assert data["endings"]["delighted"] == 1


def test_the_replay_reads_the_log_as_fold_does(case: Case, store: SqliteStore) -> None:
    """`team_runs` is a faster reading of the log than `sim.session.fold`: same runs."""
    rng = random.Random(3)
    room = Classroom.begin(case, store, ["P", "Q", "R"], settings={"mode": "round"})
    for _ in range(40):
        phase_team = getattr(room.phase(), "team", None)
        if phase_team is None:
            room.advance()
            continue
        if rng.random() < 0.2 and room.undo() is not None:
            continue
        if room.choices(phase_team):
            room.choose(phase_team, rng.choice(room.choices(phase_team)).id)
        elif room.reasons(phase_team):
            room.give_reason(phase_team, rng.choice(room.reasons(phase_team)).id)
    for sid, kind, created, events in store.case_logs(case.scenario.id):
        state = fold(case.scenario, store.events(sid))
        runs, _ = team_runs(_Replayer(case.scenario), StoredSession(sid, kind, created, events))
        assert {r.team: (r.steps, r.ending) for r in runs} == {
            name: (p.run.steps, p.run.ending) for name, p in state.teams.items()
        }


def test_agreement_against_a_hand_computation(case: Case, store: SqliteStore) -> None:
    rubric = case.classroom_rubrics["classroom-performance"]
    first = rubric.criteria[0].id
    classes = [
        # team → {(rater kind, rater): points on the first criterion}
        {
            "A": {("instructor", "instructor"): 4, ("peer", "B"): 3, ("peer", "C"): 2},
            "B": {("instructor", "instructor"): 2, ("peer", "A"): 1, ("peer", "C"): 1},
            "C": {("instructor", "instructor"): 3, ("peer", "A"): 4, ("peer", "B"): 2},
        },
        {
            "D": {("instructor", "instructor"): 1, ("peer", "E"): 2},
            "E": {("instructor", "instructor"): 3, ("peer", "D"): 4},
        },
    ]
    for given in classes:
        room = Classroom.begin(case, store, list(given))
        for team, ratings in given.items():
            for (kind, rater), points in ratings.items():
                room.rate(team, kind, rater, rubric, first, 1)  # then corrected:
                room.rate(team, kind, rater, rubric, first, points)  # type: ignore[arg-type]
        if "A" in given:  # one rating of the second criterion, in the first class
            room.rate("A", "peer", "B", rubric, rubric.criteria[1].id, 4)
    data = stats_json(store, case, kind="classroom")
    (agreement,) = data["agreement"]
    assert agreement["rubric"] == rubric.id and agreement["classes"] == 2
    got = agreement["criteria"][first]
    # Peers minus instructor, team by team: A 2.5-4, B 1-2, C 3-3, D 2-1, E 4-3.
    differences = [2.5 - 4, 1 - 2, 3 - 3, 2 - 1, 4 - 3]
    assert got["teams"] == 5
    assert got["peer_minus_instructor"] == pytest.approx(statistics.fmean(differences))
    assert got["peer_mean"] == pytest.approx(statistics.fmean([3, 2, 1, 1, 4, 2, 2, 4]))
    assert got["instructor_mean"] == pytest.approx(statistics.fmean([4, 2, 3, 1, 3]))
    units = [[4, 3, 2], [2, 1, 1], [3, 4, 2], [1, 2], [3, 4]]
    assert got["alpha"] == pytest.approx(alpha_by_pairs([[float(v) for v in u] for u in units]))
    # A criterion rated once has no pairable values: no alpha, no difference.
    second = agreement["criteria"][rubric.criteria[1].id]
    assert (second["alpha"], second["peer_minus_instructor"], second["teams"]) == (None, None, 0)
    assert agreement["alpha"] == pytest.approx(
        alpha_by_pairs([[float(v) for v in u] for u in [*units, [4.0]]])
    )


# Filters and the command ---------------------------------------------------------------------


def test_since_and_kind_filter_the_sessions(case: Case, store: SqliteStore) -> None:
    record(store, case, "r", A)
    Classroom.begin(case, store, ["X", "Y"])
    assert stats_json(store, case)["sessions"] == 2
    assert stats_json(store, case, kind="record")["sessions"] == 1
    assert stats_json(store, case, kind="classroom")["runs"] == 2
    assert stats_json(store, case, kind="practice")["sessions"] == 0
    assert stats_json(store, case, since="2000-01-01")["sessions"] == 2
    assert stats_json(store, case, since="2999-01-01")["sessions"] == 0
    assert parse_since("2025-09-01") == "2025-09-01T00:00:00.000+00:00"
    assert parse_since("2025-09-01T08:00+08:00") == "2025-09-01T00:00:00.000+00:00"


def test_the_json_has_the_contracts_shape(
    case: Case, store: SqliteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    record(store, case, "r", A)
    store.close()
    assert main(["stats", str(SCALE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"runs", "finished", "decisions", "endings", "criteria", "agreement"} <= set(data)
    for decision in data["decisions"]:
        assert set(decision) == {"scene", "choices"}
        for c in decision["choices"]:
            assert set(c) == {"id", "count", "reasons"}
            for r in c["reasons"]:
                assert set(r) == {"id", "count", "supports"}
                assert isinstance(r["supports"], bool)
    assert all(isinstance(n, int) for n in data["endings"].values())
    assert [d["scene"] for d in data["decisions"]] == ["s1", "s2"]


def test_the_command_refuses_a_bad_date_and_writes_html(
    case: Case, store: SqliteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(store, case, "r", A)
    store.close()
    assert main(["stats", str(SCALE), "--since", "yesterday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    out = tmp_path / "stats.html"
    assert main(["stats", str(SCALE), "--format", "html", "--out", str(out), "--lang", "en"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<svg" in html and "Scene s1" in html
    assert main(["stats", str(SCALE), "--lang", "zh"]) == 0
    assert "结局" in capsys.readouterr().out


def test_an_empty_case_says_so(case: Case, store: SqliteStore) -> None:
    view = stats_view(read_stats(store, case), case, "en")
    assert "No stored sessions" in stats_text(view)
    assert "No stored sessions" in stats_html(view)


def test_the_benchmark_generator_makes_sessions_stats_can_read(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_stats", REPO / "benchmarks" / "stats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    database = tmp_path / "s.sqlite3"
    module.generate(database, 40)
    result = module.measure(database)
    assert result["sessions"] == 40 and result["runs"] == 40 + 2 * 2
