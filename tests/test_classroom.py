"""The classroom state machine: turns in both modes, ratings, corrections, undo, totals.

The scale-check case's automatic scores are hand-computed in test_scoring_hand_computed.py:
warm:care,gift 85.4167; cold:cheap,refund 28.125; warm:cheap,plain 70.8333.
"""

from __future__ import annotations

import pytest

from sim.cases import Case, load_case
from sim.classroom import (
    ClassError,
    ClassMoved,
    Classroom,
    Debrief,
    Rate,
    Reveal,
    Turn,
    clean_name,
    parse_teams,
)
from sim.engine import MoveError
from sim.store import SqliteStore, open_store
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
PATHS = {
    "A": [("warm", "care"), ("gift", None)],
    "B": [("cold", "cheap"), ("refund", None)],
    "C": [("warm", "cheap"), ("plain", None)],
}
# Per rater, the level given on every criterion of classroom-performance (levels 1–4).
RATINGS = {
    "A": {("instructor", "instructor"): 4, ("peer", "B"): 3, ("peer", "C"): 2},
    "B": {("instructor", "instructor"): 2, ("peer", "A"): 1, ("peer", "C"): 1},
    "C": {("instructor", "instructor"): 3, ("peer", "A"): 4, ("peer", "B"): 2},
}
# course formula: mean(mean(peers), instructor), then classroom-performance's declared mapping
# {1: 40, 2: 60, 3: 80, 4: 100}, pro rata between levels.
# A: mean(2.5, 4) = 3.25 → 85 %; B: mean(1, 2) = 1.5 → 50 %; C: mean(3, 3) = 3 → 80 %.
HUMAN = {"A": 85.0, "B": 50.0, "C": 80.0}
AUTO = {"A": 85.4167, "B": 28.125, "C": 70.8333}


@pytest.fixture
def case() -> Case:
    return load_case(SCALE)


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


def play_step(room: Classroom, team: str, choice: str, reason: str | None) -> None:
    room.choose(team, choice, note=f"{team} thinks {choice}")
    if reason is not None:
        room.give_reason(team, reason)


def rate_all(room: Classroom, team: str) -> None:
    rubric = room.case.classroom_rubrics["classroom-performance"]
    for (kind, rater), points in RATINGS[team].items():
        for criterion in rubric.criteria:
            room.rate(team, kind, rater, rubric, criterion.id, points)  # type: ignore[arg-type]


def check_totals(room: Classroom) -> None:
    result = room.result()
    by_team = {t.team: t for t in result.teams}
    for team in "ABC":
        got = by_team[team]
        assert got.auto.overall == pytest.approx(AUTO[team], abs=1e-3)
        assert got.human_percent == pytest.approx(HUMAN[team])
        # The course method by default: the rated score is the total.
        assert got.total == pytest.approx(HUMAN[team], abs=1e-3)
        assert got.missing == []
        assert got.notes[0] == f"{team} thinks {PATHS[team][0][0]}"


def test_sequential_class_plays_rates_and_totals(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B", "C"])
    phases = []
    for team in "ABC":
        for choice, reason in PATHS[team]:
            phases.append(room.phase())
            play_step(room, team, choice, reason)
        phases.append(room.phase())
        rate_all(room, team)
        room.advance()
    assert phases == [p for t in "ABC" for p in (Turn(t), Turn(t), Rate((t,)))]
    assert room.phase() == Debrief()
    room.advance()
    assert room.finished
    check_totals(room)
    # Everything survives a reopening: the same numbers from the stored events alone.
    check_totals(Classroom.resume(case, open_store(), room.session_id))


def test_round_class_reveals_each_decision_then_rates_everyone(
    case: Case, store: SqliteStore
) -> None:
    room = Classroom.begin(case, store, ["A", "B", "C"], settings={"mode": "round"})
    for index in range(2):
        for team in "ABC":
            assert room.phase() == Turn(team, index)
            choice, reason = PATHS[team][index]
            play_step(room, team, choice, reason)
        assert room.phase() == Reveal(index)
        room.advance()
    assert room.phase() == Rate(("A", "B", "C"))
    for team in "ABC":
        rate_all(room, team)
    room.advance()
    assert room.phase() == Debrief()
    check_totals(room)


def test_only_the_team_whose_turn_it_is_may_choose(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    with pytest.raises(ClassError, match="not team B's turn"):
        room.choose("B", "warm")
    assert len(room.events) == 1  # nothing stored


def test_undo_voids_the_last_event_and_keeps_it_in_the_log(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    room.choose("A", "cold", note="oops")
    undone = room.undo()
    assert undone is not None and undone.type == "choice"
    assert room.run_of("A").pending is None and room.run_of("A").steps == ()
    assert room.state.teams["A"].notes == {}
    room.choose("A", "warm")
    assert room.run_of("A").pending == "warm"
    assert [e.type for e in store.events(room.session_id)] == [
        "started",
        "choice",
        "correction",
        "choice",
    ]


def test_a_later_rating_corrects_an_earlier_one(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    rubric = case.classroom_rubrics["classroom-performance"]
    room.rate("A", "peer", "B", rubric, "knowledge", 1)
    room.rate("A", "peer", "B", rubric, "knowledge", 3)
    assert room.rating("A", "peer", "B", rubric.id, "knowledge") == 3
    assert len([r for r in room.state.ratings if r.team == "A"]) == 1


def test_a_team_never_rates_itself_and_ratings_must_be_levels(
    case: Case, store: SqliteStore
) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    rubric = case.classroom_rubrics["classroom-performance"]
    with pytest.raises(ClassError, match="never rates itself"):
        room.rate("A", "peer", "A", rubric, "knowledge", 3)
    with pytest.raises(ClassError, match="not a level"):
        room.rate("A", "peer", "B", rubric, "knowledge", 7)


def test_missing_ratings_are_listed(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B", "C"])
    missing = {t.team: t.missing for t in room.result().teams}
    assert {(m.rater_kind, m.rater) for m in missing["A"]} == {
        ("instructor", "instructor"),
        ("peer", "B"),
        ("peer", "C"),
    }
    assert len(missing["A"]) == 3 * 5


def test_settings_are_events_and_can_be_undone(case: Case, store: SqliteStore) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    room.set(gauges=False)
    assert room.settings["gauges"] is False
    room.undo()
    assert room.settings["gauges"] is True
    with pytest.raises(ClassError):
        room.set(policy="loudest")


@pytest.mark.parametrize(
    ("spec", "teams", "members"),
    [
        ("A,B,C", ["A", "B", "C"], {}),
        ("红队（李, 王）， 蓝队", ["红队", "蓝队"], {"红队": ["李", "王"]}),
        (" Red (Li、Wang) , Blue ", ["Red", "Blue"], {"Red": ["Li", "Wang"]}),
    ],
)
def test_parse_teams(spec: str, teams: list[str], members: dict[str, list[str]]) -> None:
    assert parse_teams(spec) == (teams, members)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("A", "2 to 8 teams"), ("A,A", "named twice"), (",".join("ABCDEFGHI"), "2 to 8")],
)
def test_parse_teams_refuses(spec: str, message: str) -> None:
    with pytest.raises(ClassError, match=message):
        parse_teams(spec)


def test_names_lose_control_and_bidi_characters() -> None:
    assert clean_name("\x1b[31mRed\u202e team\x07") == "[31mRed team"


def test_resume_refuses_other_sessions(case: Case, store: SqliteStore) -> None:
    with pytest.raises(ClassError, match="no session 99"):
        Classroom.resume(case, store, 99)


def test_a_justification_typed_at_the_reason_step_joins_the_one_typed_with_the_choice(
    case: Case, store: SqliteStore
) -> None:
    room = Classroom.begin(case, store, ["A", "B"])
    room.choose("A", "warm", note="be kind")
    room.give_reason("A", "care", note="she is upset")
    assert room.state.teams["A"].notes == {0: "be kind / she is upset"}
    assert [s.reason for s in room.run_of("A").steps] == ["care"]


def test_the_teachers_summaries_are_events_corrected_by_later_ones(
    case: Case, store: SqliteStore
) -> None:
    room = Classroom.begin(case, store, ["A", "B", "C"])
    assert room.summarize("A", "Listened\x07 first.\n\nMissed the cost.")
    assert room.summary("A") == "Listened first.\n\nMissed the cost."  # paragraphs kept
    assert not room.summarize("A", "Listened first.\n\nMissed the cost.")  # nothing new
    assert room.summarize(None, "A good class.")
    assert room.summarize("A", "Listened first; weighed the cost.")  # an edit
    fresh = Classroom.resume(case, open_store(), room.session_id)
    result = fresh.result()
    assert {t.team: t.summary for t in result.teams} == {
        "A": "Listened first; weighed the cost.",
        "B": "",
        "C": "",
    }
    assert result.class_summary == "A good class."
    summaries = [e for e in fresh.events if e.type == "summary"]
    assert len(summaries) == 3  # every version stays in the log
    fresh.undo()  # takes back the edit: the earlier summary counts again
    assert fresh.summary("A") == "Listened first.\n\nMissed the cost."
    assert fresh.summarize("A", "")  # withdrawn
    assert fresh.result().teams[0].summary == ""
    with pytest.raises(ClassError):
        fresh.summarize("Z", "no such team")


def test_undoing_a_reason_undoes_its_justification(case: Case, store: SqliteStore) -> None:
    """A justification belongs to the move it was given with: the next reason at that step
    never shows the undone one's words beside its own."""
    room = Classroom.begin(case, store, ["A", "B"])
    room.choose("A", "warm")
    room.give_reason("A", "care", note="undone words")
    assert room.state.teams["A"].notes == {0: "undone words"}
    undone = room.undo()
    assert undone is not None and undone.type == "reason"
    assert room.state.teams["A"].notes == {}
    room.give_reason("A", "care", note="kept words")
    assert room.state.teams["A"].notes == {0: "kept words"}
    # With a justification typed at the choice too, undoing the reason keeps the choice's.
    room.undo()
    room.undo()
    room.choose("A", "warm", note="with the choice")
    room.give_reason("A", "care", note="with the reason")
    assert room.state.teams["A"].notes == {0: "with the choice / with the reason"}
    room.undo()
    assert room.state.teams["A"].notes == {0: "with the choice"}


def test_a_legacy_note_event_counts_only_with_its_own_reason(case: Case) -> None:
    """Classes stored before kept a reason's justification as a `note` event just before the
    reason: it counts while that reason does, and never for a later one."""
    from sim.session import Event, fold

    sc = case.scenario
    events = [
        Event(1, "started", None, {"teams": ["A", "B"], "settings": {}}),
        Event(2, "choice", "A", {"scene": sc.start, "choice": "warm"}),
        Event(3, "note", "A", {"step": 0, "text": "old words"}),
        Event(4, "reason", "A", {"scene": sc.start, "reason": "care"}),
    ]
    assert fold(sc, events).teams["A"].notes == {0: "old words"}
    events += [
        Event(5, "correction", None, {"undo": 4}),
        Event(6, "reason", "A", {"scene": sc.start, "reason": "care"}),
    ]
    assert fold(sc, events).teams["A"].notes == {}


def test_two_servers_of_one_class_never_both_take_a_turn(case: Case, store: SqliteStore) -> None:
    """Two rooms on one class through two store handles (two server processes): the one that
    has not seen the other's move decides again on the re-read log, so a turn already taken
    is refused as it would be in one process, and nothing is stored twice."""
    here = Classroom.begin(case, store, ["A", "B"])
    there = Classroom.resume(case, open_store(), here.session_id)
    here.choose("A", "warm")
    with pytest.raises(MoveError, match="reason is due"):
        there.choose("A", "cold")  # A's choice is made: its reason is due, not another choice
    assert [e.data.get("choice") for e in there.events if e.type == "choice"] == ["warm"]
    assert there.events == store.events(here.session_id)  # it re-read the log
    there.give_reason("A", "care")  # still allowed on what is true now: goes in after
    assert [e.type for e in store.events(here.session_id)][-2:] == ["choice", "reason"]


def test_a_second_next_or_undo_from_another_screen_is_refused_not_repeated(
    case: Case, store: SqliteStore
) -> None:
    here = Classroom.begin(case, store, ["A", "B", "C"], settings={"mode": "round"})
    for team in "ABC":
        choice, reason = PATHS[team][0]
        play_step(here, team, choice, reason)
    there = Classroom.resume(case, open_store(), here.session_id)
    assert here.phase() == there.phase() == Reveal(0)
    here.advance()
    with pytest.raises(ClassMoved):
        there.advance()  # the reveal it saw is over: never a second step forward
    advances = [e for e in store.events(here.session_id) if "advance" in e.data]
    assert len(advances) == 1
    assert there.phase() == Turn("A", 1)  # and it now shows where the class is
    here.undo()  # takes back the advance
    with pytest.raises(ClassMoved):
        there.undo()  # would take back something its instructor never saw
    assert sum(e.type == "correction" for e in store.events(here.session_id)) == 1


def test_a_move_after_an_unrelated_event_from_elsewhere_just_goes_in(
    case: Case, store: SqliteStore
) -> None:
    """A service record another process wrote (a server's address) makes this room's view
    stale, but the move is still allowed: decided again, stored once."""
    room = Classroom.begin(case, store, ["A", "B"])
    open_store().append(room.session_id, "served", None, {"host": "127.0.0.1", "port": 1})
    room.choose("A", "warm")
    room.undo()  # the same: the choice is still the newest move
    types = [e.type for e in store.events(room.session_id)]
    assert types[-3:] == ["served", "choice", "correction"]
