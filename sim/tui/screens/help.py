"""The keys of the screen below and of the whole app, opened with `?`."""

from __future__ import annotations

from rich.cells import cell_len
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
            binding = active.binding
            # Hidden bindings are the widgets' own (arrows, scrolling, Select), untranslated
            # and obvious; the keys that matter are the ones the footer shows.
            if not binding.show or not binding.description:
                continue
            key = self.app.get_key_display(binding)
            description = self.t("key.help") if binding.action == "help" else binding.description
            if (key, description) not in rows:
                rows.append((key, description))
        digits = getattr(self.below, "DIGITS_HELP", "help.digits_do")
        rows.append((self.t("help.digits"), self.t(digits)))
        rows.append(("Enter", self.t("help.enter_do")))
        rows.append(("↑ ↓", self.t("help.arrows_do")))
        if self.below.query("#transcript"):
            rows.append(("PgUp PgDn Home End", self.t("help.story_do")))
        rows.append(("Ctrl+Q", self.t("key.quit")))
        width = max(cell_len(k) for k, _ in rows) + 2  # "数字 1–9" is wider than it is long
        for key, description in rows:
            text.append(key + " " * (width - cell_len(key)), style="bold")
            text.append(description + "\n")
        from sim.doctor import command_name

        text.append("\n" + self.t("help.doctor", command=command_name()) + "\n")
        text.append("\n" + self.t("help.close"), style="dim")
        self.query_one("#keys", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
