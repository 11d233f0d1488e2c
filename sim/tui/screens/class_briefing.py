"""The briefing the instructor projects before a class plays (and again with `b`).

The practice briefing's layout and text, plus the classroom rubric the teams will be rated on;
Enter (or Esc, or `b`) goes back to the class.
"""

from __future__ import annotations

from textual.widgets import Static

from sim.classroom import Classroom
from sim.prose import escape_markdown
from sim.tui.screens.base import ClassChanged, Key
from sim.tui.screens.briefing import BriefingScreen, lead, listing
from sim.tui.text import local, plain


class ClassBriefingScreen(BriefingScreen):
    KEYS = [
        ("enter,escape,b", "close", "key.start", True),
    ]
    SERVED_KEYS = [("w", "join", "key.join", True)]

    def __init__(self, room: Classroom, opening: bool = False) -> None:
        super().__init__(room.case)
        self.room = room
        self.opening = opening
        """The briefing the class opens with: closing it opens play (for devices too)."""

    def screen_keys(self) -> list[Key]:
        return self.KEYS if self.sim.served is None else [*self.KEYS, *self.SERVED_KEYS]

    def action_join(self) -> None:
        """The team links as QR codes, to project while the case is presented."""
        if self.sim.served is None:
            return
        from sim.tui.screens.join import JoinScreen

        self.app.push_screen(JoinScreen(self.sim.served))

    def on_class_changed(self, message: ClassChanged) -> None:
        """The instructor's link opened play: the projector follows."""
        if self.opening and self.room.started and self.is_current:
            self.dismiss()

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
        status = self.t("class.briefing_status", teams=teams)
        served = self.sim.served
        if served is not None:  # where devices join, and `w` for the codes
            key = "class.serving_lan" if served.lan else "class.serving"
            status += "\n" + self.t(key, url=served.url)
        self.query_one("#status", Static).update(plain(status, "bold"))

    def action_close(self) -> None:
        self.dismiss()
