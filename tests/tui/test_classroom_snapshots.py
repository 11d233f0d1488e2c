"""Snapshots of the classroom screens: the team bar at play, the rating screen, the debrief.

Each class is set up through the core (so the frames do not depend on key timing) in both
languages at 80×24 and 120×40. Update with `pytest --snapshot-update` after a deliberate change
and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sim.cases import load_case
from sim.classroom import Classroom
from sim.store import open_store
from sim.tui.app import SimApp
from tests.tui.helpers import BEST_PATH

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]
TEAMS = ["红队 Red", "蓝队 Blue", "绿队 Green"]


def ba008_class(moves: int, rate: bool = False, finish: bool = False) -> Classroom:
    """A BA008 class: the first team has made `moves` moves of the analyser's best path."""
    case = load_case("airline-ba008")
    room = Classroom.begin(case, open_store(), TEAMS)
    red = TEAMS[0]
    made = 0
    for step in BEST_PATH:
        if made >= moves:
            break
        room.choose(red, step.choice, note="先倾听 listen first" if made == 0 else "")
        made += 1
        if step.reason and made < moves:
            room.give_reason(red, step.reason)
            made += 1
    if rate or finish:
        rubric = case.classroom_rubrics["classroom-performance"]
        for kind, rater in room.raters_of(red)[:2]:
            for criterion in rubric.criteria:
                room.rate(red, kind, rater, rubric, criterion.id, 3)
    if finish:
        room.advance()
        for team in TEAMS[1:]:  # the others always take the last option offered
            while not room.run_of(team).finished:
                if room.run_of(team).pending is not None:
                    room.give_reason(team, room.reasons(team)[-1].id)
                else:
                    room.choose(team, room.choices(team)[-1].id)
            room.advance()
    return room


def app_for(room: Classroom, lang: str) -> SimApp:
    return SimApp(lang=lang, store=room.store, classroom=room)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_team_bar_at_play(snap_compare: Callable[..., bool], lang: str, size: Any) -> None:
    assert snap_compare(app_for(ba008_class(3), lang), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_rating_screen(snap_compare: Callable[..., bool], lang: str, size: Any) -> None:
    room = ba008_class(99, rate=True)
    assert snap_compare(app_for(room, lang), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_debrief_scores(snap_compare: Callable[..., bool], lang: str, size: Any) -> None:
    room = ba008_class(99, finish=True)
    assert snap_compare(app_for(room, lang), press=["enter", "4"], terminal_size=size)
