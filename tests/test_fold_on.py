"""The incremental fold (`fold_on`, what `Classroom` keeps after each stored event) gives the
state `fold` gives from the whole log — compared after every event of random classes, in both
modes, with corrections, settings, pauses, skips, summaries, ballots and a second writer —
and a store's `append_many` commits all of its events or none."""

from __future__ import annotations

import random

import pytest

from sim.cases import Case, load_case
from sim.classroom import ClassError, Classroom, Rate, phase_of
from sim.session import fold
from sim.store import SqliteStore, open_store
from tests.conftest import CASES, REPO

SCALE = CASES / "scenarios" / "scale-check.yaml"
BA008 = REPO / "scenarios" / "airline-ba008.yaml"


def same_as_fold(room: Classroom, store: SqliteStore) -> None:
    """The room's kept log and state are what reading and folding the whole log give."""
    logged = store.events(room.session_id)
    assert room.events == logged
    assert room.state == fold(room.case.scenario, logged)
    assert room.phase() == phase_of(room.order, room.state, logged, room.mode)


def random_act(room: Classroom, rng: random.Random, other: SqliteStore) -> bool:
    """One move a class could make now, picked at random (refused moves store nothing);
    False when it was another connection's write, which the room sees at its next move."""
    phase = room.phase()
    roll = rng.random()
    movers = [t for t in room.order if room.may_move(t)]
    try:
        if roll < 0.06:
            room.undo()
        elif roll < 0.09:
            room.pause(not room.paused)
        elif roll < 0.11:
            room.summarize(rng.choice([None, *room.order]), rng.choice(["", "good", "ok"]))
        elif roll < 0.13:
            room.set(auto_weight=rng.choice([0.0, 0.5]))
        elif roll < 0.15 and movers:
            room.skip(rng.choice(movers))
        elif roll < 0.18:
            # Another connection (`sim run --record`, the projector) writes between two moves.
            other.append(room.session_id, "setting", None, {"gauges": rng.random() < 0.5})
            return False
        elif movers:
            team = rng.choice(movers)
            if room.run_of(team).pending is None:
                choice = rng.choice(room.choices(team)).id
                room.choose(team, choice, note=rng.choice(["", "because"]))
            else:
                reason = rng.choice(room.reasons(team)).id
                room.give_reason(team, reason, note=rng.choice(["", "so", "and so"]))
        elif isinstance(phase, Rate) and roll < 0.7:
            team = rng.choice(phase.teams)
            kind, rater = rng.choice(room.raters_of(team))
            ballot = [
                (rubric, criterion.id, float(rng.choice(rubric.levels).points))
                for rubric in room.case.classroom_rubrics.values()
                for criterion in rubric.criteria
                if rng.random() < 0.8
            ]
            room.rate_ballot(team, kind, rater, ballot)
        else:
            room.advance()
    except ClassError:
        pass
    return True


@pytest.mark.parametrize("path", [SCALE, BA008], ids=["scale-check", "ba008"])
def test_the_kept_state_is_the_fold_of_the_log_after_every_event(path: object) -> None:
    case: Case = load_case(path)  # type: ignore[arg-type]
    store = open_store()
    other = open_store()
    for seed in range(12):
        rng = random.Random(seed)
        teams = [f"T{n}" for n in range(rng.randint(2, 5))]
        mode = rng.choice(["sequential", "round"])
        room = Classroom.begin(case, store, teams, settings={"mode": mode})
        same_as_fold(room, store)
        for _ in range(120):
            if random_act(room, rng, other):
                same_as_fold(room, store)
            if room.finished:
                break
    other.close()
    store.close()


def test_a_ballot_is_stored_in_one_transaction_or_not_at_all() -> None:
    case = load_case(SCALE)
    store = open_store()
    room = Classroom.begin(case, store, ["A", "B"])
    for choice, reason in (("warm", "care"), ("gift", None)):
        room.choose("A", choice)
        if reason:
            room.give_reason("A", reason)
    rubric = next(iter(case.classroom_rubrics.values()))
    ballot = [(rubric, c.id, 3.0) for c in rubric.criteria]
    before = len(store.events(room.session_id))
    bad = [*ballot[:-1], (rubric, ballot[-1][1], 99.0)]  # the last level is off the scale
    with pytest.raises(ClassError):
        room.rate_ballot("A", "peer", "B", bad)
    assert len(store.events(room.session_id)) == before  # refused whole: nothing stored
    assert room.rate_ballot("A", "peer", "B", ballot) == len(ballot)
    stored = store.events(room.session_id)[before:]
    assert [e.type for e in stored] == ["rating"] * len(ballot)
    assert [e.seq for e in stored] == list(range(before + 1, before + 1 + len(ballot)))
    assert room.rate_ballot("A", "peer", "B", ballot) == 0  # the same again stores nothing
    same_as_fold(room, store)


def test_append_many_commits_all_or_nothing() -> None:
    store = open_store()
    session = store.create_session("s", "classroom", ["A", "B"])
    written = store.append_many(
        session, [("note", "A", {"step": 0, "text": "x"}), ("setting", None, {"k": (1, 2)})]
    )
    assert [e.seq for e in written] == [2, 3]
    assert written == store.events(session)[1:]  # as read back: the tuple came back a list
    with pytest.raises(TypeError):
        store.append_many(session, [("note", "A", {}), ("setting", None, {"k": object()})])
    assert len(store.events(session)) == 3
    assert store.append_many(session, []) == []
    store.close()
