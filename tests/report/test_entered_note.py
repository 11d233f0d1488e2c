"""A justification the instructor entered for a team (its device dropped) is labelled as the
instructor's entry in the reports, not as the team's own words."""

from __future__ import annotations

import html

from sim.classroom import Classroom
from sim.report import render_report
from sim.store import open_store
from tests.report.helpers import scale_case, source_of


def test_the_reports_say_who_typed_each_justification() -> None:
    store = open_store()
    case = scale_case()
    room = Classroom.begin(case, store, ["Red", "Blue"], settings={"lang": "en"})
    room.choose("Red", "warm")
    room.give_reason("Red", "care", "Red's own words")
    room.choose("Red", "gift")
    room.advance()
    room.choose("Blue", "warm")
    room.give_reason("Blue", "care", "typed by the teacher", by_instructor=True)
    for fmt in ("md", "html"):
        text = html.unescape(render_report(source_of(store, room.session_id), fmt, "en"))
        assert "Team's justification" in text and "Red's own words" in text
        assert "Justification entered by the instructor" in text
        assert "typed by the teacher" in text
        entered = text.index("Justification entered by the instructor")
        assert text.index("typed by the teacher") > entered  # the label is Blue's note's
