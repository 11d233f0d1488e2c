"""The briefing the instructor projects before a class plays (and again with `b`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown, Static

from sim.classroom import Classroom
from sim.tui.screens.base import SimScreen
from sim.tui.screens.briefing import briefing_markdown
from sim.tui.text import local, plain
from sim.tui.widgets.author_markdown import author_markdown


class ClassBriefingScreen(SimScreen):
    KEYS = [
        ("enter,escape,b", "close", "key.start", True),
    ]

    def __init__(self, room: Classroom) -> None:
        super().__init__()
        self.room = room

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        with VerticalScroll(id="briefing"):
            yield Markdown(id="case-text")
        yield Static(id="status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#briefing").focus()

    def redraw(self) -> None:
        case = self.room.case
        sc = case.scenario
        self.query_one("#title", Static).update(
            plain(local(sc.title, self.lang, sc.default_language), "bold")
        )
        parts = [briefing_markdown(case, self.lang)]
        for rubric in case.classroom_rubrics.values():
            criteria = ", ".join(
                author_markdown(local(c.title, self.lang, sc.default_language))
                for c in rubric.criteria
            )
            title = author_markdown(local(rubric.title, self.lang, sc.default_language))
            parts.append(f"- **{title}**: {criteria}")
        teams = ", ".join(self.room.order)
        self.query_one("#case-text", Markdown).update("\n".join(parts))
        self.query_one("#status", Static).update(
            plain(self.t("class.briefing_status", teams=teams), "bold")
        )

    def action_close(self) -> None:
        self.dismiss()
