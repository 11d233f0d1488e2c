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
