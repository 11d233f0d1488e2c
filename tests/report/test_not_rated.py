"""A finished team nobody has rated has no total in a class whose total counts ratings.

Found by a teaching assistant: before any rating, a class's grade sheet and Moodle file gave
each finished team its automatic score as the grade, though every report says the total is
the rated score. Now the grade waits for the ratings ("not rated"); the automatic score
stays beside it, and a recorded run outside a class keeps its automatic total.
"""

from __future__ import annotations

import csv
import io

from sim.classroom import Classroom
from sim.report import render_report
from sim.store import open_store
from tests.report.helpers import ba008_class, record, scale_case, source_of


def test_a_finished_team_without_ratings_has_no_total_until_it_is_rated() -> None:
    store = open_store()
    case, session_id = ba008_class(store)
    red = next(t for t in source_of(store, session_id).result.teams if t.team == "Red")
    assert red.finished and red.awaiting_ratings and red.total is None
    assert red.auto.overall is not None
    sheet = list(csv.reader(io.StringIO(render_report(source_of(store, session_id), "csv", "en"))))
    header, rows = sheet[0], sheet[1:]
    total = header.index("Total")
    assert {row[total] for row in rows} == {"not rated"}
    html = render_report(source_of(store, session_id), "html", "en")
    assert "not rated" in html

    room = Classroom.resume(case, store, session_id)
    rubric = case.classroom_rubrics["classroom-performance"]
    for criterion in rubric.criteria:
        room.rate("Red", "instructor", "instructor", rubric, criterion.id, 3)
    rated = next(t for t in source_of(store, session_id).result.teams if t.team == "Red")
    assert not rated.awaiting_ratings and rated.human_percent is not None
    assert rated.total == rated.human_percent  # the course method: the rated score is the total


def test_a_recorded_run_outside_a_class_keeps_its_automatic_total() -> None:
    store = open_store()
    case = scale_case()
    session = record(store, case, "Solo", [("warm", "care"), ("gift", None)])
    (team,) = source_of(store, session).result.teams
    assert team.finished and not team.awaiting_ratings
    assert team.total == team.auto.overall
