"""What every screen shares: key bindings whose labels follow the UI language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.binding import Binding, BindingsMap
from textual.message import Message
from textual.screen import ModalScreen, Screen

from sim.i18n import tr

if TYPE_CHECKING:
    from sim.tui.app import SimApp

STYLES = Path(__file__).resolve().parent.parent / "styles"
SCREEN_STYLES: list[str | PurePath] = [STYLES / "screens.tcss", STYLES / "classroom.tcss"]
"""The rules of every screen but Home (`CSS_PATH` below): Textual reads them into the app's
stylesheet when the first such screen is pushed. Home's first frame does without them (with
them, parsing took 25 M of the 190 M instructions `sim` spent before its first frame beyond
a minimal Textual app; issue 22); they come after app.tcss, in the order they had in one."""

Key = tuple[str, str, str, bool]
"""(keys, action, i18n key of the label, shown in the footer)."""


class ClassChanged(Message, bubble=False):
    """The served class changed outside this screen (a device's move, the instructor's link,
    another process): a class screen redraws what it shows from the room."""


class LocalizedMixin:
    """Declares keys once; labels are rebuilt in the current language on every switch."""

    KEYS: ClassVar[list[Key]] = []

    @property
    def sim(self) -> SimApp:
        from sim.tui.app import SimApp

        return cast(SimApp, self.app)  # type: ignore[attr-defined]

    @property
    def lang(self) -> str:
        return self.sim.lang

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def screen_keys(self) -> list[Key]:
        """The screen's keys now (override when some exist only in some states)."""
        return self.KEYS

    def relabel(self) -> None:
        """Rebuild the bindings' labels and redraw in the current language."""
        bindings = [
            Binding(keys, action, tr(label, self.lang), show=show)
            for keys, action, label, show in self.screen_keys()
        ]
        # Replacing the map drops Screen's own Tab / Shift+Tab: keep focus moving unless the
        # screen gives those keys another meaning.
        taken = {key for keys, *_ in self.screen_keys() for key in keys.split(",")}
        for key, action in (("tab", "app.focus_next"), ("shift+tab", "app.focus_previous")):
            if key not in taken:
                bindings.append(Binding(key, action, show=False))
        self._bindings = BindingsMap(bindings)
        self.refresh_bindings()  # type: ignore[attr-defined]
        self.redraw()

    def redraw(self) -> None:
        """Show the screen's content in the current language (override)."""


class SimScreen(LocalizedMixin, Screen[None]):
    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = SCREEN_STYLES

    def on_mount(self) -> None:
        self.relabel()


class SimModal(LocalizedMixin, ModalScreen[object]):
    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = SCREEN_STYLES

    def on_mount(self) -> None:
        self.relabel()


_T = TypeVar("_T")


def class_move(screen: Screen[Any], move: Callable[[], _T]) -> tuple[_T] | None:
    """Make a move of the class from a key (`(result,)`), or, when the class refuses it —
    another screen or server moved it on first (`ClassMoved`) — say why and return None;
    nothing was stored then."""
    from sim.classroom import ClassError  # not at import: Home starts without the models

    try:
        return (move(),)
    except ClassError as refused:
        screen.notify(str(refused), severity="warning")
        return None
