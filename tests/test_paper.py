"""Paper teams: `sim run … --record --team NAME --session ID` adds a team that played on paper to
an existing session of the same case, or refuses with the reason and stores nothing."""

from __future__ import annotations

import pytest

from sim.classroom import Classroom, Rate
from sim.cli import main
from sim.headless import play_headless
from sim.report import load_session
from sim.store import open_store
from tests.report.helpers import SCALE, scale_case

WARM = "warm:care,gift"
COLD = "cold:cheap,refund"


def run(*args: str) -> int:
    return main(["run", str(SCALE), "--choices", *args])


def events_of(session: int) -> int:
    with open_store() as store:
        return len(store.events(session))


def test_paper_teams_join_a_recorded_session_into_one_sheet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(WARM, "--record", "--team", "Red") == 0
    session = int(capsys.readouterr().err.strip().splitlines()[-1])
    assert run(COLD, "--record", "--team", "Blue", "--session", str(session)) == 0
    assert capsys.readouterr().err.strip().splitlines()[-1] == str(session)
    with open_store() as store:
        info = store.session(session)
        assert info is not None and info.teams == ["Red", "Blue"]
        source = load_session(store, session)
    case = scale_case()
    teams = {t.team: t for t in source.result.teams}
    for name, choices in (("Red", WARM), ("Blue", COLD)):
        path = [(c.partition(":")[0], c.partition(":")[2] or None) for c in choices.split(",")]
        expected = play_headless(case, path)
        assert teams[name].finished and teams[name].ending == expected.run.ending
        assert teams[name].auto.overall == pytest.approx(expected.card.overall)


def test_a_paper_team_joins_an_open_class_and_is_rated_like_the_others() -> None:
    case = scale_case()
    with open_store() as store:
        room = Classroom.begin(case, store, ["Red", "Blue"])
        for team in ("Red", "Blue"):
            room.choose(team, "warm")
            room.give_reason(team, "care")
            room.choose(team, "gift")
            room.advance()  # the class rates the team; the instructor moves on
        session = room.session_id
    assert run(COLD, "--record", "--team", "Paper", "--session", str(session)) == 0
    with open_store() as store:
        again = Classroom.resume(case, store, session)
        assert again.order == ["Red", "Blue", "Paper"]
        assert again.run_of("Paper").finished
        # The paper team is rated in class like any other, and rates the others as a peer.
        assert again.phase() == Rate(("Paper",))
        assert ("peer", "Paper") in again.raters_of("Red")


def refusal(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert run(*args) == 1
    return capsys.readouterr().err


def test_each_refusal_says_why_and_stores_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    case = scale_case()
    with open_store() as store:
        room = Classroom.begin(case, store, ["Red", "Blue"])
        room.choose("Red", "warm")  # Red has played in class: its name is taken
        open_class = room.session_id
        closed = Classroom.begin(case, store, ["A", "B"])
        closed.store.append(closed.session_id, "finished", None, {})
        practice = store.create_session(case.scenario.id, "practice", ["solo"], str(case.path))
        other = store.create_session("airline-ba008", "classroom", ["X", "Y"], "")
        full = store.create_session(
            case.scenario.id, "classroom", [f"T{n}" for n in range(8)], str(case.path)
        )
    before = {s: events_of(s) for s in (open_class, closed.session_id, practice, other, full)}
    cases = [
        (open_class, "Red", "team `Red` is already in session"),
        (open_class, " red ", "team `Red` is already in session"),  # as a roster matches
        (open_class, " Paper\x1b[2J ", None),  # a new name once cleaned, so it is accepted
        (closed.session_id, "C", "is finished (its debrief has been held)"),
        (practice, "C", "is one student's practice, not a class"),
        (other, "C", "plays `airline-ba008`, not `scale-check`"),
        (full, "T9", "already has 8 teams"),
        (12345, "C", "there is no session 12345"),
    ]
    for session, team, reason in cases:
        args = (WARM, "--record", "--team", team, "--session", str(session))
        if reason is None:
            assert run(*args) == 0
            capsys.readouterr()
            continue
        err = refusal(capsys, *args)
        assert reason in err and err.startswith("sim run: nothing stored: "), err
    before[open_class] += 5  # joined, two choices, a reason, finished: the accepted one only
    assert {s: events_of(s) for s in before} == before
    with open_store() as store:
        info = store.session(open_class)
        assert info is not None and info.teams == ["Red", "Blue", "Paper"]


def test_a_team_named_at_set_up_that_played_on_paper_is_filled_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Found by a teaching assistant: Green and Gold were named with --teams, then played on
    paper; entering them must fill those teams in, not ask for new names."""
    case = scale_case()
    with open_store() as store:
        room = Classroom.begin(case, store, ["Red", "Blue", "Green"])
        room.choose("Red", "warm")
        room.give_reason("Red", "care")
        room.choose("Red", "gift")
        session = room.session_id
        teams_before = store.session(session).teams  # type: ignore[union-attr]
    assert run(COLD, "--record", "--team", " green ", "--session", str(session)) == 0
    assert capsys.readouterr().err.strip().splitlines()[-1] == str(session)
    with open_store() as store:
        info = store.session(session)
        assert info is not None and info.teams == teams_before  # no fourth team
        again = Classroom.resume(case, store, session)
        expected = play_headless(case, [("cold", "cheap"), ("refund", None)])
        assert again.run_of("Green").finished
        assert again.run_of("Green").ending == expected.run.ending
        # once filled, it has played: a second entry is refused and stores nothing
        count = len(store.events(session))
    err = refusal(capsys, WARM, "--record", "--team", "Green", "--session", str(session))
    assert "team `Green` is already in session" in err and "has played" in err
    assert events_of(session) == count


def test_session_needs_record_and_team(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(WARM, "--session", "1") == 2
    assert run(WARM, "--record", "--session", "1") == 2
    assert "give --record --team NAME too" in capsys.readouterr().err
