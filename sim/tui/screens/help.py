"""The keys of the screen below and of the whole app, opened with `?`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sim.tui.screens.base import SimModal


class HelpScreen(SimModal):
    KEYS = [("escape,question_mark", "close", "key.back", True)]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(id="keys", markup=False)

    def redraw(self) -> None:
        text = Text()
        text.append(self.t("help.title") + "\n\n", style="bold")
        rows: list[tuple[str, str]] = []
        for active in self.below.active_bindings.values():
            description = active.binding.description
            if description and (self.app.get_key_display(active.binding), description) not in rows:
                rows.append((self.app.get_key_display(active.binding), description))
        rows.append((self.t("help.digits"), self.t("help.digits_do")))
        rows.append(("Enter", self.t("help.enter_do")))
        width = max(len(k) for k, _ in rows) + 2
        for key, description in rows:
            text.append(f"{key:<{width}}", style="bold")
            text.append(description + "\n")
        text.append("\n" + self.t("help.close"), style="dim")
        self.query_one("#keys", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
