"""The teacher's word: a summary typed for one team after its run, or for the whole class.

Stored as a `summary` event when saved (an edit stores a new one that supersedes the old, so
`u` brings the earlier text back); the debrief and the reports show the latest.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static, TextArea

from sim.classroom import ClassError, Classroom
from sim.tui.screens.base import SimModal
from sim.tui.text import clean, plain
from sim.tui.widgets.choice_list import ChoiceList

CLASS = "\x00class"
"""The picker's id for the whole class (no team can be named with a control character)."""


class SummaryScreen(SimModal):
    """Edit the summary of `team` (None: the class). Dismisses with True when it was stored."""

    KEYS = [
        ("ctrl+s", "save", "key.save", True),
        ("escape", "cancel", "key.cancel", True),
    ]

    def __init__(self, room: Classroom, team: str | None) -> None:
        super().__init__()
        self.room = room
        self.team = team
        self.warned = False

    def compose(self) -> ComposeResult:
        yield Static(id="summary-title", classes="title")
        yield TextArea(self.room.summary(self.team), id="summary-text", soft_wrap=True)
        yield Static(id="summary-hint", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        area = self.query_one("#summary-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def redraw(self) -> None:
        title = (
            self.t("summary.team", team=clean(self.team))
            if self.team is not None
            else self.t("summary.class")
        )
        self.query_one("#summary-title", Static).update(plain(title, "bold"))
        self.query_one("#summary-hint", Static).update(plain(self.t("summary.hint"), "dim"))

    @property
    def changed(self) -> bool:
        text = self.query_one("#summary-text", TextArea).text
        return text.strip() != self.room.summary(self.team).strip()

    def action_save(self) -> None:
        text = self.query_one("#summary-text", TextArea).text
        try:
            stored = self.room.summarize(self.team, text)
        except ClassError as wrong:
            self.notify(str(wrong), severity="error")
            return
        if stored:
            self.app.notify(self.t("summary.saved"))
        self.dismiss(stored)

    def action_cancel(self) -> None:
        if self.changed and not self.warned:
            self.warned = True  # typed words are never thrown away by one key
            self.notify(self.t("summary.discard"), severity="warning", timeout=6)
            return
        self.app.clear_notifications()
        self.dismiss(False)


class PickSummary(SimModal):
    """Whose summary to write at the debrief: a team's, or the class's."""

    KEYS = [("escape", "cancel", "key.back", True)]

    def __init__(self, room: Classroom) -> None:
        super().__init__()
        self.room = room

    def compose(self) -> ComposeResult:
        yield Static(id="pick-title", classes="title")
        yield ChoiceList(id="targets")
        yield Footer()

    def redraw(self) -> None:
        self.query_one("#pick-title", Static).update(plain(self.t("summary.pick"), "bold"))
        items = []
        for team in self.room.order:
            mark = " ✓" if self.room.summary(team) else ""
            items.append((team, f"{clean(team)}{mark}"))
        mark = " ✓" if self.room.summary(None) else ""
        items.append((CLASS, self.t("summary.whole_class") + mark))
        targets = self.query_one("#targets", ChoiceList)
        targets.set_items(items)
        targets.focus()

    @on(OptionList.OptionSelected, "#targets")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        picked = event.option.id
        self.dismiss(None if picked == CLASS else picked)

    def action_cancel(self) -> None:
        self.dismiss(False)
