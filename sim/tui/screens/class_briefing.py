"""The briefing the instructor projects before a class plays (and again with `b`).

The practice briefing's layout and text, plus the classroom rubric the teams will be rated on;
Enter (or Esc, or `b`) goes back to the class.
"""

from __future__ import annotations

from textual.widgets import Static

from sim.classroom import Classroom
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.text import local, plain
from sim.tui.widgets.author_markdown import author_markdown


class ClassBriefingScreen(BriefingScreen):
    KEYS = [
        ("enter,escape,b", "close", "key.start", True),
    ]

    def __init__(self, room: Classroom) -> None:
        super().__init__(room.case)
        self.room = room

    def markdown(self) -> str:
        sc = self.case.scenario
        parts = [super().markdown()]
        for rubric in self.case.classroom_rubrics.values():
            criteria = ", ".join(
                author_markdown(local(c.title, self.lang, sc.default_language))
                for c in rubric.criteria
            )
            title = author_markdown(local(rubric.title, self.lang, sc.default_language))
            parts.append(f"- **{title}**: {criteria}")
        return "\n".join(parts)

    def show_status(self) -> None:
        teams = ", ".join(self.room.order)
        self.query_one("#status", Static).update(
            plain(self.t("class.briefing_status", teams=teams), "bold")
        )

    def action_close(self) -> None:
        self.dismiss()
