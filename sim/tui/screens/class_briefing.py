"""The briefing the instructor projects before a class plays (and again with `b`).

The practice briefing's layout and text, plus the classroom rubric the teams will be rated on;
Enter (or Esc, or `b`) goes back to the class.
"""

from __future__ import annotations

from textual.widgets import Static

from sim.classroom import Classroom
from sim.prose import escape_markdown
from sim.tui.screens.briefing import BriefingScreen, lead, listing
from sim.tui.text import local, plain


class ClassBriefingScreen(BriefingScreen):
    KEYS = [
        ("enter,escape,b", "close", "key.start", True),
    ]

    def __init__(self, room: Classroom) -> None:
        super().__init__(room.case)
        self.room = room

    def markdown(self) -> str:
        sc = self.case.scenario

        def t(text: object) -> str:
            return escape_markdown(local(text, self.lang, sc.default_language))  # type: ignore[arg-type]

        parts = [super().markdown()]
        for rubric in self.case.classroom_rubrics.values():
            criteria = listing([t(c.title) for c in rubric.criteria], self.lang)
            parts.append(f"- **{t(rubric.title)}**{lead(self.lang)}{criteria}")
        return "\n".join(parts)

    def show_status(self) -> None:
        teams = ", ".join(self.room.order)
        self.query_one("#status", Static).update(
            plain(self.t("class.briefing_status", teams=teams), "bold")
        )

    def action_close(self) -> None:
        self.dismiss()
