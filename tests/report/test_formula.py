"""A class's reports say how their totals were made: the weights and the rating formula."""

from __future__ import annotations

from sim.report import render_report
from sim.store import open_store
from tests.report.helpers import classroom, scale_case, source_of


def test_reports_state_the_weights_and_formula_the_totals_follow() -> None:
    store = open_store()
    room = classroom(store, scale_case())
    store.append(room.session_id, "setting", None, {"auto_weight": 0.6, "human_weight": 0.4})
    store.append(room.session_id, "setting", None, {"policy": "median"})
    source = source_of(store, room.session_id)
    markdown = render_report(source, "md")
    html = render_report(source, "html")
    for text in (markdown, html):
        assert "Total = 60% auto + 40% rated" in text and "rating formula: median" in text
    team = source.result.teams[0]
    assert team.total is not None and team.auto.overall is not None
    if team.human_percent is not None:
        assert abs(team.total - (0.6 * team.auto.overall + 0.4 * team.human_percent)) < 1e-9
