"""Play: the transcript grows, the team picks a choice and then why; every move is stored first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static

from sim.cases import Case
from sim.engine import MoveError
from sim.practice import Attempt
from sim.tui.run_view import show_run
from sim.tui.screens.base import SimScreen
from sim.tui.screens.edited_case import moves_stored, offer_edited
from sim.tui.text import local, plain
from sim.tui.widgets.choice_list import ChoiceList, StoryChoiceList
from sim.tui.widgets.gauges import Gauges
from sim.tui.widgets.transcript import Scroll, Transcript


class PlayScreen(SimScreen):
    KEYS = [
        ("enter", "continue", "key.confirm", False),
        ("g", "toggle_gauges", "key.gauges", True),
        ("escape", "escape", "key.back", True),
    ]

    def __init__(self, attempt: Attempt, edited: Case | None = None) -> None:
        super().__init__()
        self.attempt = attempt
        self.edited = edited
        """The case file as it is now, when it changed since this attempt was played."""

    @property
    def sc(self):  # type: ignore[no-untyped-def]
        return self.attempt.case.scenario

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Gauges(id="gauges")
        yield Transcript(id="transcript")
        yield Static(id="prompt", classes="prompt")
        yield StoryChoiceList(id="choices")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#choices", ChoiceList).focus()
        if self.edited is not None:
            attempt = self.attempt
            offer_edited(
                self,
                attempt.session_id,
                self.edited,
                moves_stored(attempt.store.events(attempt.session_id)),
                attempt.problems_with(self.edited),
                attempt.adopt,
            )

    def t_author(self, text: object) -> str:
        return local(text, self.lang, self.sc.default_language)  # type: ignore[arg-type]

    def action_story(self, how: Scroll) -> None:
        """PageUp, PageDown, Home, End from the choices: scroll the transcript."""
        self.query_one("#transcript", Transcript).scroll_story(how)

    # Drawing ---------------------------------------------------------------------------------

    def redraw(self) -> None:
        self.query_one("#title", Static).update(plain(self.t_author(self.sc.title), "bold"))
        show_run(
            self.query_one("#transcript", Transcript),
            self.sc,
            self.attempt.run,
            self.lang,
            you=self.t("play.you"),
            feedback=self.attempt.settings.get("feedback", self.sim.feedback) == "immediate",
        )
        self._show_state()
        self._show_options()

    def _show_state(self) -> None:
        self.query_one("#gauges", Gauges).show_state(
            self.sc,
            self.attempt.run.values,
            self.lang,
            self.t("play.gauges_hidden"),
            self.sim.gauges,
        )

    def _show_options(self) -> None:
        run = self.attempt.run
        prompt = self.query_one("#prompt", Static)
        choices = self.query_one("#choices", ChoiceList)
        if run.finished:
            prompt.update(plain(self.t("play.ended"), "bold"))
            choices.set_items([])
            choices.display = False
            self.set_focus(None)
            return
        if run.pending is not None:
            prompt.update(plain(self.t("play.why"), "bold"))
            items = [(r.id, self.t_author(r.text)) for r in self.attempt.reasons()]
        else:
            offered = self.attempt.choices()
            prompt.update(plain(self.t("play.choose" if offered else "play.stuck"), "bold"))
            items = [(c.id, self.t_author(c.text)) for c in offered]
        choices.display = True
        choices.set_items(items)
        choices.focus()

    # Moves -----------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        picked = event.option.id
        choices = self.query_one("#choices", ChoiceList)
        index = event.option_index
        current = choices.get_option_at_index(index) if index < choices.option_count else None
        if picked is None or current is not event.option:
            # A quick second Enter selected from the list this move has since replaced.
            return
        try:
            if self.attempt.run.pending is not None:
                self.attempt.give_reason(picked)
            else:
                self.attempt.choose(picked)
        except MoveError as refused:
            self.notify(refused.message, severity="error")
            return
        # The event is committed; only now does the screen move on.
        self.redraw()

    def action_continue(self) -> None:
        if self.attempt.run.finished:
            from sim.tui.screens.end import EndScreen

            self.app.switch_screen(EndScreen(self.attempt))

    def action_toggle_gauges(self) -> None:
        self.sim.gauges = not self.sim.gauges
        self._show_state()

    def action_escape(self) -> None:
        if self.attempt.run.pending is not None:
            self.attempt.take_back_choice()
            self.redraw()
        else:
            self.dismiss()
