"""The team bar: whose turn it is and how far each team has come, in one or two lines."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sim.classroom import Classroom, Turn
from sim.i18n import tr
from sim.tui.text import clean
from sim.tui.wrap import Wrapped


class TeamBar(Static):
    """`▶ Red 3` for the team playing, `Blue ✓` for a team that has reached an ending."""

    def show(self, room: Classroom, lang: str) -> None:
        phase = room.phase()
        playing = phase.team if isinstance(phase, Turn) else None
        bar = Text()
        for name in room.order:
            run = room.run_of(name)
            if bar:
                bar.append("  │  ", style="dim")
            if name == playing:
                bar.append(f"▶ {clean(name)}", style="bold reverse")
            else:
                bar.append(clean(name), style="bold")
            if run.finished:
                bar.append(f" ✓ {tr('class.finished', lang)}", style="green")
            else:
                bar.append(f" {len(run.steps)}", style="dim")
        self.update(Wrapped(bar))
