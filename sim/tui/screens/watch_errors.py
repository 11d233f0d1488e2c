"""The validator's findings on a watched case, shown in the app instead of ending it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from sim.findings import Finding
from sim.tui.screens.base import SimModal


class WatchErrors(SimModal):
    KEYS = [("escape", "close", "key.back", True)]

    def __init__(self, findings: list[Finding], message: str, playable: bool) -> None:
        super().__init__()
        self.findings = findings
        self.message = message
        self.playable = playable

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="watch-errors"):
            yield Static(id="findings", markup=False)
        yield Footer(compact=True)

    def show(self, findings: list[Finding], message: str) -> None:
        self.findings = findings
        self.message = message
        self.redraw()

    def redraw(self) -> None:
        from sim.tui.text import clean

        text = Text()
        text.append(self.t("watch.errors_title") + "\n\n", style="bold")
        errors = [f for f in sorted(self.findings) if f.severity == "error"] or sorted(
            self.findings
        )
        for finding in errors:
            text.append(clean(str(finding)) + "\n")
        if not errors:
            text.append(clean(self.message) + "\n")
        text.append("\n")
        text.append(self.t("watch.errors_hint" if self.playable else "watch.no_case"), style="dim")
        self.query_one("#findings", Static).update(text)

    def action_close(self) -> None:
        if self.playable:
            self.dismiss(None)
