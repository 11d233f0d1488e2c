"""The transcript: narration, the customer's lines, the team's choices and feedback."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from sim.tui.text import clean
from sim.tui.wrap import Wrapped

Scroll = Literal["page_up", "page_down", "home", "end"]


class Transcript(VerticalScroll):
    """Grows as the case unfolds; opens at the first entry the reader has not seen yet.

    Not focusable (the choices keep the keyboard); the play screens scroll it with PageUp,
    PageDown, Home and End while the team is choosing.
    """

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[Static] = []
        self._unseen: int | None = None

    def clear(self) -> None:
        self.remove_children()
        self._entries = []
        self._unseen = None

    def mark_unseen(self) -> None:
        """What is added from now on is new to the reader: open the transcript there, so
        feedback and the next scene are read from their start, not from the bottom."""
        self._unseen = len(self._entries)

    def add(self, kind: str, text: str, label: str = "", colon: str = ": ") -> None:
        """An entry of a kind (narration, line, you, reason, feedback, notice)."""
        if not text:
            return
        content = Text()
        if label:
            content.append(clean(label) + colon, style="bold")
        content.append(clean(text))
        entry = Static(Wrapped(content), classes=f"entry {kind}", markup=False)
        self._entries.append(entry)
        self.mount(entry)
        self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        index = self._unseen
        if index is not None and index < len(self._entries):
            self.scroll_to_widget(self._entries[index], top=True, animate=False)
        else:
            self.scroll_end(animate=False)

    def scroll_story(self, how: Scroll) -> None:
        """Scroll by a page or to either end (the keys are bound by the play screens)."""
        if how == "page_up":
            self.scroll_page_up(animate=False)
        elif how == "page_down":
            self.scroll_page_down(animate=False)
        elif how == "home":
            self.scroll_home(animate=False)
        else:
            self.scroll_end(animate=False)
