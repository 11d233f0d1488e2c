"""The join screen (`w` in a served class): each team's link as a QR code and as text, and
its short join code for a phone without a camera (typed at `/join`, see `sim.web.join`).

Projected while the teams take out their phones. The instructor's own link is never shown
unless asked for (`i`): a projected instructor link would hand the class's controls to the
room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from sim.tui.screens.base import SimScreen
from sim.tui.text import clean

if TYPE_CHECKING:
    from sim.web.projector import InAppServer

_DARK_ON_LIGHT = "#000000 on #ffffff"
"""Scanners want dark modules on a light ground, whatever the app's theme."""


def qr_text(url: str) -> Text:
    """A QR code in half-block characters (two modules per cell, upper and lower)."""
    from sim.web.projector import qr_rows

    out = Text(no_wrap=True, overflow="crop")
    for row in qr_rows(url):
        for upper, lower in row:
            out.append(
                "█" if upper and lower else "▀" if upper else "▄" if lower else " ",
                style=_DARK_ON_LIGHT,
            )
        out.append("\n")
    return out


class JoinScreen(SimScreen):
    KEYS = [
        ("escape,enter,w", "close", "key.back", True),
        ("i", "instructor", "key.instructor_link", True),
    ]

    def __init__(self, served: InAppServer) -> None:
        super().__init__()
        self.served = served
        self.show_instructor = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="join"):
            yield Static(id="join-head", markup=False)
            yield Static(id="join-codes", markup=False)
        yield Footer(compact=True)

    def redraw(self) -> None:
        served = self.served
        head = Text(self.t("join.title") + "\n", style="bold")
        key = "class.serving_lan" if served.lan else "class.serving"
        head.append(self.t(key, url=served.url) + "\n", style="bold" if served.lan else "")
        if self.show_instructor:
            head.append(self.t("join.instructor", url=served.instructor_url()), style="reverse")
        else:
            head.append(self.t("join.hidden"), style="dim")
        head.append("\n" + self.t("join.where", url=served.join_url()))
        self.query_one("#join-head", Static).update(head)
        cards: list[RenderableType] = []
        codes = served.join_codes()
        width = 0
        for team, url in served.team_urls().items():
            qr = qr_text(url)
            width = max(width, max(len(line) for line in qr.plain.splitlines()))
            label = Text(clean(team), style="bold", overflow="fold")
            label.append("  " + self.t("join.code", code=codes[team]), style="bold reverse")
            cards.append(Group(label, qr, Text(url, overflow="fold"), Text("")))
        # Each card as wide as its code (the link folds under it), so two or three fit across.
        self.query_one("#join-codes", Static).update(Columns(cards, padding=(0, 3), width=width))

    def action_instructor(self) -> None:
        self.show_instructor = not self.show_instructor
        self.redraw()

    def action_close(self) -> None:
        self.app.pop_screen()
