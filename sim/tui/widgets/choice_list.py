"""A numbered list of choices or reasons: digits pick the n-th, Enter confirms."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sim.tui.text import plain
from sim.tui.wrap import Wrapped


class ChoiceList(OptionList):
    """Options are plain text (never markup); `1`–`9` move the highlight to that option."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """Replace the options with (id, text) pairs, numbered from 1."""
        self.clear_options()
        self.add_options(
            [
                Option(Wrapped(plain(f"{n}. {text}"), indent=len(f"{n}. ")), id=item_id)
                for n, (item_id, text) in enumerate(items, 1)
            ]
        )
        if items:
            self.highlighted = 0

    def action_pick(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1
