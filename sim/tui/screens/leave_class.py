"""Leaving a class asks first: one stray Esc on the projector must not end the lesson."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static

from sim.tui.screens.base import SimModal
from sim.tui.text import plain
from sim.tui.widgets.choice_list import ChoiceList

STAY = "stay"
LEAVE = "leave"


class ConfirmLeave(SimModal):
    """Stay (highlighted, and what Esc does) or leave for the catalogue; dismisses with True
    to leave. The class is saved either way: the question only guards against a slip."""

    KEYS = [("escape", "stay", "key.stay", True)]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        yield Static(id="pick-title", classes="title")
        yield ChoiceList(id="leave-options")
        yield Footer()

    def redraw(self) -> None:
        self.query_one("#pick-title", Static).update(
            plain(self.t("leave.title", id=self.session_id), "bold")
        )
        options = self.query_one("#leave-options", ChoiceList)
        options.set_items(
            [
                (STAY, self.t("leave.stay")),
                (LEAVE, self.t("leave.leave", id=self.session_id)),
            ]
        )
        options.focus()

    @on(OptionList.OptionSelected, "#leave-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id == LEAVE)

    def action_stay(self) -> None:
        self.dismiss(False)
