"""After a crash: what can be resumed, newest first; a digit and Enter reopen it."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList, Static

from sim.cases import CaseError, edited_since, session_case
from sim.store.protocol import SessionInfo
from sim.tui.screens.base import SimModal
from sim.tui.text import clean, plain
from sim.tui.widgets.choice_list import ChoiceList
from sim.tui.wrap import Wrapped

SHOWN = 9


class CrashNotice(SimModal):
    KEYS = [("escape", "close", "key.catalogue", True)]

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log_path = log
        self.unfinished: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Static(id="crash-title", classes="title")
        yield Static(id="crash-body")
        yield ChoiceList(id="resumable")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#resumable", ChoiceList).focus()

    def redraw(self) -> None:
        self.query_one("#crash-title", Static).update(plain(self.t("crash.title"), "bold"))
        body = self.t("crash.body", path=str(self.log_path))
        self.unfinished = [
            info
            for info in reversed(self.sim.store.sessions())
            if not info.finished and info.kind in ("practice", "classroom")
        ][:SHOWN]
        if not self.unfinished:
            body += "\n" + self.t("crash.none")
        self.query_one("#crash-body", Static).update(Wrapped(plain(body)))
        items = []
        for info in self.unfinished:
            key = "crash.practice" if info.kind == "practice" else "crash.classroom"
            line = self.t(
                key, id=info.id, case=info.scenario, teams=", ".join(info.teams), events=info.events
            )
            items.append((str(info.id), line))
        self.query_one("#resumable", ChoiceList).set_items(items)

    @on(OptionList.OptionSelected, "#resumable")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        info = next(i for i in self.unfinished if str(i.id) == event.option.id)
        store = self.sim.store
        try:
            case = session_case(info, store)  # the texts it was played with
        except CaseError as problem:
            self.notify(clean(problem.message), severity="error")
            return
        edited = edited_since(case)  # the file it was played from, if it changed since
        self.dismiss()
        if info.kind == "classroom":
            from sim.classroom import Classroom
            from sim.tui.screens.class_play import ClassScreen

            self.app.push_screen(ClassScreen(Classroom.resume(case, store, info.id), edited))
        else:
            from sim.practice import Attempt
            from sim.tui.screens.play import PlayScreen

            self.app.push_screen(PlayScreen(Attempt.resume(case, store, info.id), edited))

    def action_close(self) -> None:
        self.dismiss()
