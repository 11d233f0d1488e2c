"""With a roster attached, the HTML, Markdown and JSON reports name each team's students (the
roster's, not the members typed at set-up), and the JSON carries their ids and e-mails."""

from __future__ import annotations

import json

from sim.report import load_session, render_report
from sim.roster import Student, roster_data
from sim.store import open_store
from tests.report.helpers import MEMBERS, classroom, scale_case

ROSTER = [
    Student("Red", "Li <b>Wei</b>", "2023001", "li@example.edu"),
    Student("Blue", "Sun Li", "", "sun@example.edu"),
]


def test_reports_name_the_roster_students() -> None:
    with open_store() as store:
        session = classroom(store, scale_case()).session_id
        before = load_session(store, session)
        data = json.loads(render_report(before, "json", "en"))
        assert data["session"]["roster"] is False
        red = next(t for t in data["teams"] if t["name"] == "Red")
        assert red["members"] == MEMBERS["Red"]
        assert red["students"] == [
            {"name": name, "student_id": None, "email": None} for name in MEMBERS["Red"]
        ]
        store.append(session, "roster", None, roster_data(ROSTER))
        source = load_session(store, session)
    data = json.loads(render_report(source, "json", "en"))
    assert data["session"]["roster"] is True
    teams = {t["name"]: t for t in data["teams"]}
    assert teams["Red"]["members"] == ["Li <b>Wei</b>"]
    assert teams["Red"]["students"] == [
        {"name": "Li <b>Wei</b>", "student_id": "2023001", "email": "li@example.edu"}
    ]
    assert teams["Blue"]["students"] == [
        {"name": "Sun Li", "student_id": None, "email": "sun@example.edu"}
    ]
    html = render_report(source, "html", "en")
    assert "Li &lt;b&gt;Wei&lt;/b&gt;" in html and "Sun Li" in html
    assert "Wang Fang" not in html  # the roster supersedes the names typed at set-up
    md = render_report(source, "md", "en")
    assert "Sun Li" in md and "Wang Fang" not in md
