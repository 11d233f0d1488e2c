"""The transcript: narration, the customer's lines, the team's choices and feedback."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from sim.tui.text import clean
from sim.tui.wrap import Wrapped


class Transcript(VerticalScroll):
    """Grows as the case unfolds; always scrolled to the newest entry."""

    can_focus = False

    def clear(self) -> None:
        self.remove_children()

    def add(self, kind: str, text: str, label: str = "") -> None:
        """An entry of a kind (narration, line, you, reason, feedback, notice)."""
        if not text:
            return
        content = Text()
        if label:
            content.append(clean(label) + ": ", style="bold")
        content.append(clean(text))
        self.mount(Static(Wrapped(content), classes=f"entry {kind}", markup=False))
        self.call_after_refresh(self.scroll_end, animate=False)
