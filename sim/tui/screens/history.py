"""History: past attempts at a case with their endings and scores; open one to review it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from sim.cases import Case
from sim.practice import Attempt, attempts_of
from sim.tui.screens.base import SimScreen
from sim.tui.screens.edited_case import resume_attempt
from sim.tui.text import clean, local, plain
from sim.tui.widgets.choice_list import WrappingOptionList
from sim.tui.wrap import Wrapped


class HistoryScreen(SimScreen):
    KEYS = [
        ("enter", "open", "key.open", True),
        ("x", "export", "key.export", True),
        ("escape", "back", "key.back", True),
    ]

    def __init__(self, case: Case | None) -> None:
        super().__init__()
        self.case = case
        self.ids: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield WrappingOptionList(id="attempts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#attempts", OptionList).focus()

    def redraw(self) -> None:
        title = self.t("history.title")
        attempts = self.query_one("#attempts", OptionList)
        previous = attempts.highlighted
        attempts.clear_options()
        self.ids = []
        if self.case is None:
            self.query_one("#title", Static).update(plain(title, "bold"))
            attempts.add_option(Option(plain(self.t("history.none")), disabled=True))
            return
        sc = self.case.scenario
        self.query_one("#title", Static).update(
            plain(f"{title} — {local(sc.title, self.lang, sc.default_language)}", "bold")
        )
        store = self.sim.store
        for session_id in attempts_of(store, sc.id):
            info = store.session(session_id)
            attempt = self._played(session_id)
            line = Text()
            line.append(f"#{session_id}  ", style="bold")
            line.append(f"{info.created[:16].replace('T', ' ') if info else ''}  ", style="dim")
            if attempt is None:  # listed all the same: opening it says why
                line.append(self.t("history.unloadable"), style="italic")
            elif attempt.run.finished:
                played = attempt.case.scenario  # endings named as in the version played
                ending = played.ending(attempt.run.ending or "")
                name = local(ending.title, self.lang, played.default_language) if ending else ""
                overall = attempt.scorecard().overall
                score = f"{overall:.1f}" if overall is not None else "–"
                line.append(f"{score:>5}  ", style="bold")
                line.append(clean(name or (attempt.run.ending or "")))
            else:
                line.append(self.t("history.unfinished"), style="italic")
            attempts.add_option(Option(Wrapped(line, indent=6)))
            self.ids.append(session_id)
        if not self.ids:
            attempts.add_option(Option(plain(self.t("history.none")), disabled=True))
            return
        # Without a highlight, Enter in the list does nothing: start on the newest attempt.
        attempts.highlighted = min(previous or 0, len(self.ids) - 1)

    @on(OptionList.OptionSelected, "#attempts")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        index = self.query_one("#attempts", OptionList).highlighted
        if self.case is None or index is None or not 0 <= index < len(self.ids):
            return
        resumed = resume_attempt(self, self.ids[index], self.case)
        if resumed is None:
            return
        attempt, edited = resumed
        if attempt.run.finished:
            from sim.tui.screens.end import HistoryEndScreen

            self.app.push_screen(HistoryEndScreen(attempt))
        else:
            from sim.tui.screens.play import PlayScreen

            self.app.push_screen(PlayScreen(attempt, edited))

    def _played(self, session_id: int) -> Attempt | None:
        """The attempt with the texts it was played with (the case as it is now, when those
        are the same texts); None when its stored case no longer loads."""
        from sim.cases import CaseError, session_case

        store = self.sim.store
        info = store.session(session_id)
        if info is None or self.case is None:
            return None
        try:
            played = session_case(info, store, current=self.case)
        except CaseError:
            return None
        return Attempt.resume(played, store, session_id)

    def action_export(self) -> None:
        """The highlighted attempt's report, grade sheet and Markdown, in the exports folder."""
        from sim.tui.export import export_and_tell

        index = self.query_one("#attempts", OptionList).highlighted
        if index is not None and 0 <= index < len(self.ids):
            export_and_tell(self.sim, self.ids[index])

    def action_back(self) -> None:
        self.dismiss()
