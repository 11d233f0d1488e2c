"""What an instructor's trial of a served class found, each fixed and held here: the line a
team actually heard, a correction of a ballot, levels as numbers, what a page says while its
team is rated, the briefing's Markdown, the class not yet opened, the error messages."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from sim.cases import load_case
from sim.classroom import Classroom
from sim.store import open_store
from sim.web.app import ClassApp
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
FORM = {"content-type": "application/x-www-form-urlencoded"}


class Served:
    def __init__(self, client: TestClient, app: ClassApp) -> None:
        self.client = client
        self.app = app
        self.room: Classroom = app.room

    def link(self, holder: str) -> str:
        links = self.app.links
        return f"/{links.instructor if holder == 'instructor' else links.teams[holder]}/"

    def state(self, holder: str) -> dict[str, Any]:
        answer = self.client.get(self.link(holder) + "state.json")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def post(self, holder: str, what: str, body: object) -> Any:
        return self.client.post(self.link(holder) + what, json=body)

    def form(self, holder: str, what: str, fields: str) -> Any:
        page = self.client.get(self.link(holder)).text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found
        body = f"csrf={found.group(1)}&{fields}"
        return self.client.post(self.link(holder) + what, content=body.encode(), headers=FORM)

    def page(self, holder: str, query: str = "") -> str:
        return str(self.client.get(self.link(holder) + query).text)

    def stored(self) -> int:
        return len(open_store().events(self.room.session_id))


def serving(path: Path = SCALE, mode: str = "sequential") -> Iterator[Served]:
    room = Classroom.begin(load_case(path), open_store(), ["A", "B", "C"], None, {"mode": mode})
    app = ClassApp(room, sse_lifetime=0.1)
    with TestClient(app.app, follow_redirects=False) as client:
        yield Served(client, app)


@pytest.fixture
def served() -> Iterator[Served]:
    yield from serving()


def levels(served: Served, points: object) -> dict[str, object]:
    return {c["id"]: points for c in served.state("instructor")["criteria"]}


def play_a(served: Served) -> None:
    assert served.post("A", "choice", {"choice": "warm"}).status_code == 200
    assert served.post("A", "reason", {"reason": "care"}).status_code == 200
    assert served.post("A", "choice", {"choice": "gift"}).status_code == 200


def test_a_path_quotes_the_line_the_team_heard(tmp_path: Path) -> None:
    """A scene's variant (here: after a warm answer) is the line the raters read."""
    shutil.copytree(CASES / "rubrics", tmp_path / "rubrics")
    (tmp_path / "scenarios").mkdir()
    text = SCALE.read_text(encoding="utf-8").replace(
        "    text: Second decision.\n",
        "    text: Second decision.\n"
        "    line: The plain line.\n"
        "    variants:\n"
        "      - {when: {chose: warm}, line: The warmed-up line.}\n",
    )
    case = tmp_path / "scenarios" / "scale-check.yaml"
    case.write_text(text, encoding="utf-8")
    for served in serving(case):
        play_a(served)
        page = served.page("B")
        assert "The warmed-up line." in page
        assert "The plain line." not in page


def test_a_ballot_sent_again_is_a_correction_on_the_page_and_in_json(served: Served) -> None:
    play_a(served)
    assert served.post("B", "rating", {"team": "A", "levels": levels(served, 2)}).status_code == 200
    assert served.state("B")["rated"] == ["A"] and served.state("B")["to_rate"] == []
    before = served.stored()
    # The same ballot again stores nothing; a changed one stores only what changed.
    assert served.post("B", "rating", {"team": "A", "levels": levels(served, 2)}).status_code == 200
    assert served.stored() == before
    criteria = served.state("instructor")["criteria"]
    changed = {**levels(served, 2), criteria[0]["id"]: 3}
    assert served.post("B", "rating", {"team": "A", "levels": changed}).status_code == 200
    assert served.stored() == before + 1
    ratings = [r for r in served.room.state.ratings if r.rater == "B"]
    assert sorted(r.points for r in ratings) == sorted(changed.values())
    # The page offers the correction, with the levels given checked.
    page = served.page("B")
    assert "Your ballot for A is in" in page or "你们给 A 的评分已提交" in page
    assert page.count(" checked") == len(criteria)
    fields = "&".join(f"level.{c['id']}=4" for c in criteria)
    answer = served.form("B", "rating", f"team=A&{fields}")
    assert answer.status_code == 303, answer.text
    assert {r.points for r in served.room.state.ratings if r.rater == "B"} == {4.0}
    # Once the rating closes, nothing more is taken.
    for rater in ("C", "instructor"):
        assert (
            served.post(rater, "rating", {"team": "A", "levels": levels(served, 3)}).status_code
            == 200
        )
    assert served.post("instructor", "next", {}).status_code == 200
    before = served.stored()
    assert served.post("B", "rating", {"team": "A", "levels": levels(served, 1)}).status_code == 409
    assert served.stored() == before


def test_a_level_in_json_is_a_number(served: Served) -> None:
    play_a(served)
    before = served.stored()
    answer = served.post("B", "rating", {"team": "A", "levels": levels(served, "3")})
    assert answer.status_code == 422 and answer.json()["error"] == "malformed"
    assert served.stored() == before


def test_a_team_being_rated_is_told_so(served: Served) -> None:
    play_a(served)
    page = served.page("A", "?lang=en")
    assert "The other teams are rating your team" in page
    assert "Your ratings are in" not in page


def test_a_long_justification_by_form_names_the_limit(served: Served) -> None:
    assert served.post("A", "choice", {"choice": "warm"}).status_code == 200
    before = served.stored()
    answer = served.form("A", "reason", "reason=care&justification=" + "x" * 2000)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?e=too_long")
    assert served.stored() == before
    page = served.page("A", "?e=too_long&lang=en")
    assert "at most 500 characters" in page
    answer = served.post("A", "reason", {"reason": "care", "justification": "x" * 501})
    assert answer.status_code == 422 and answer.json()["error"] == "too_long"


def test_an_unknown_error_code_is_never_echoed(served: Served) -> None:
    page = served.page("A", "?e=Your+team+is+disqualified&lang=en")
    assert "disqualified" not in page
    assert "Not stored" in page


def test_a_justification_the_instructor_entered_is_labelled_so(served: Served) -> None:
    assert served.post("instructor", "choice", {"team": "A", "choice": "warm"}).status_code == 200
    body = {"team": "A", "reason": "care", "justification": "said aloud in class"}
    assert served.post("instructor", "reason", body).status_code == 200
    assert served.post("A", "choice", {"choice": "gift"}).status_code == 200
    page = served.page("B", "?lang=en")
    assert "said aloud in class" in page
    assert "Justification (entered by the instructor)" in page
    assert served.room.state.teams["A"].entered == {0}


def test_the_phone_briefing_renders_the_case_markdown_escaped(tmp_path: Path) -> None:
    shutil.copytree(CASES / "rubrics", tmp_path / "rubrics")
    (tmp_path / "scenarios").mkdir()
    text = SCALE.read_text(encoding="utf-8").replace(
        "start: s1\n",
        "start: s1\n"
        "case: |\n"
        "  ## The case\n"
        "\n"
        "  A **delayed** flight <script>alert(1)</script>.\n"
        "\n"
        "  - first point\n"
        "  - second point\n",
    )
    case = tmp_path / "scenarios" / "scale-check.yaml"
    case.write_text(text, encoding="utf-8")
    for served in serving(case):
        page = served.page("A")
        assert "## The case" not in page and "**delayed**" not in page
        assert "<strong>delayed</strong>" in page
        assert "<li>first point</li>" in page and "<li>second point</li>" in page
        assert re.search(r"<h\d>The case</h\d>", page)
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_before_play_opens_teams_read_the_briefing_and_moves_are_refused(served: Served) -> None:
    room = served.room
    projector = Classroom.resume(room.case, open_store(), room.session_id)
    assert projector.show_briefing()  # as the projector does when it opens the class
    state = served.state("A")
    assert state["started"] is False and state["your_turn"] is False and state["choices"] == []
    page = served.page("A", "?lang=en")
    assert "The class has not started" in page and "Your turn" not in page
    assert "Roles" in page or "The case and the roles" in page
    before = served.stored()
    answer = served.post("A", "choice", {"choice": "warm"})
    assert answer.status_code == 409 and answer.json()["error"] == "not_started"
    answer = served.post("instructor", "choice", {"team": "A", "choice": "warm"})
    assert answer.status_code == 409 and answer.json()["error"] == "not_started"
    assert served.stored() == before
    # A restart keeps it (the store says so), and undo never lifts it.
    again = Classroom.resume(room.case, open_store(), room.session_id)
    assert again.started is False
    assert served.post("instructor", "undo", {}).status_code == 409
    # The instructor's Next opens play (as dismissing the briefing on the projector does).
    assert served.post("instructor", "next", {}).status_code == 200
    assert served.state("A")["your_turn"] is True
    assert served.post("A", "choice", {"choice": "warm"}).status_code == 200
