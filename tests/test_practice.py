"""Attempts in the core: a recorded run (`sim run --record`) reopens under its own team."""

from __future__ import annotations

from sim.engine import replay
from sim.practice import Attempt, attempts_of
from sim.store import open_store
from tests.tui.helpers import BEST_PATH, ba008


def test_a_finished_recorded_run_reopens_as_finished_under_its_team() -> None:
    case, store = ba008(), open_store()
    session_id = store.record_run(
        case.scenario.id, str(case.path), "Red", replay(case.scenario, BEST_PATH)
    )
    assert session_id in attempts_of(store, case.scenario.id)
    attempt = Attempt.resume(case, store, session_id)
    assert attempt.team == "Red" and attempt.run.finished
    assert attempt.run.steps == BEST_PATH


def test_an_unfinished_recorded_run_plays_on_and_takes_back_under_its_team() -> None:
    case, store = ba008(), open_store()
    partial = replay(case.scenario, BEST_PATH[:1])
    session_id = store.record_run(case.scenario.id, str(case.path), "Blue", partial)
    attempt = Attempt.resume(case, store, session_id)
    attempt.choose(BEST_PATH[1].choice)
    assert store.events(session_id)[-1].team == "Blue"
    first = BEST_PATH[2]
    attempt.choose(first.choice)
    assert attempt.run.pending == first.choice
    attempt.take_back_choice()  # this crashed with KeyError 'solo' before
    assert attempt.run.pending is None and attempt.run.steps == BEST_PATH[:2]
