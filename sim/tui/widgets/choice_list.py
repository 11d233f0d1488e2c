"""A numbered list of choices or reasons: digits pick the n-th, Enter confirms."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sim.tui.text import plain
from sim.tui.wrap import Wrapped


class WrappingOptionList(OptionList):
    """An OptionList whose wrapped options are laid out again when its scrollbar comes or goes.

    OptionList caches each option's lines and height by option, not by width; a scrollbar
    that appears after the first layout narrows the text by two cells, and the cached
    heights then cut the last line of long options (`…餐食和接` without `送。`) until some
    key happens to redraw them.
    """

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        self._clear_caches()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height the options need if a scrollbar takes its two cells.

        Measured at the full width, a list that just fits can gain a line once drawn beside
        a scrollbar, and then scroll with its last line out of sight. At worst this leaves
        one blank row under the options; it never cuts one.
        """
        narrower = max(1, width - self.styles.scrollbar_size_vertical)
        return super().get_content_height(container, viewport, narrower)


class ChoiceList(WrappingOptionList):
    """Options are plain text (never markup); `1`–`9` move the highlight to that option."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]

    unpicked_hint = ""
    """Said when Enter is pressed with nothing highlighted (the list was redrawn for a new
    question nobody here picked from yet): a digit or an arrow picks first."""

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

    def action_select(self) -> None:
        if self.highlighted is None and self.option_count and self.unpicked_hint:
            self.notify(self.unpicked_hint, severity="warning")
            return
        super().action_select()

    def action_pick(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1


class StoryChoiceList(ChoiceList):
    """The choices under a transcript: the page keys scroll the story, not the list.

    The keyboard stays on the choices while a team reads, and there are never more than nine
    of them (a digit reaches each), so PageUp, PageDown, Home and End go to the screen's
    `story` action, which scrolls the transcript above.
    """

    BINDINGS = [
        Binding("pageup", "screen.story('page_up')", show=False),
        Binding("pagedown", "screen.story('page_down')", show=False),
        Binding("home", "screen.story('home')", show=False),
        Binding("end", "screen.story('end')", show=False),
    ]
