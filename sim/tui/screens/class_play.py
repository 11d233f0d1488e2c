"""The class at play: the team bar, the playing team's transcript, its choice, reason and note.

What shows is decided by `Classroom.phase()` — a team's turn, a round's side-by-side reveal,
the rating, the debrief — so a resumed session opens exactly where it stopped.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static

from sim.cases import Case
from sim.classroom import ClassError, Classroom, Debrief, Rate, Reveal, Turn
from sim.debrief import decision_by_scene
from sim.engine import MoveError, Run, view
from sim.tui.run_view import choice_of, describe_event, show_run
from sim.tui.screens.base import ClassChanged, Key, SimModal, SimScreen, class_move
from sim.tui.screens.edited_case import moves_stored, offer_edited
from sim.tui.text import clean, local, plain
from sim.tui.widgets.choice_list import ChoiceList, StoryChoiceList
from sim.tui.widgets.gauges import Gauges
from sim.tui.widgets.team_bar import TeamBar
from sim.tui.widgets.transcript import Scroll, Transcript
from sim.tui.wrap import Wrapped


class PauseScreen(SimModal):
    """Covers the screen (answers stay hidden from the room); any key goes back."""

    def compose(self) -> ComposeResult:
        yield Static(id="paused")

    def redraw(self) -> None:
        self.query_one("#paused", Static).update(plain(self.t("class.paused"), "bold"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()


def leave_class(screen: SimScreen, session_id: int) -> None:
    """Ask, then go back to the catalogue saying how to resume; staying is the default."""
    from sim.tui.screens.leave_class import ConfirmLeave

    def answered(leave: object) -> None:
        if leave is True:
            screen.sim.back_to_home()
            screen.app.notify(screen.t("class.saved", id=session_id), timeout=10)

    screen.app.push_screen(ConfirmLeave(session_id), answered)


class ClassScreen(SimScreen):
    KEYS = [
        ("enter", "continue", "key.confirm", False),
        ("j", "justify", "key.justify", True),
        ("u", "undo", "key.undo", True),
        ("p", "pause", "key.pause", True),
        ("g", "toggle_gauges", "key.gauges", True),
        ("b", "briefing", "key.briefing", True),
        ("s", "summary", "key.summary", True),
        ("escape", "leave", "key.leave", True),
    ]
    SERVED_KEYS = [
        ("k", "skip", "key.skip", True),
        ("w", "join", "key.join", True),
    ]
    """Only when the class is served to devices: skipping a team whose device dropped, and the
    join screen (the footer of an unserved class stays as it was)."""

    def __init__(self, room: Classroom, edited: Case | None = None) -> None:
        super().__init__()
        self.room = room
        self.edited = edited
        """The case file as it is now, when it changed since the class was played."""
        self._drawn = -1
        """The room's newest event when the screen was last drawn."""
        self._turn_drawn: tuple[object, ...] | None = None
        """What the choice list was drawn for (the phase, the team's steps, its pending
        choice): a pick made from a list the class has since moved past is refused."""
        self._skip_armed: str | None = None
        self._pause_shown: PauseScreen | None = None

    def screen_keys(self) -> list[Key]:
        if self.sim.served is None:
            return self.KEYS
        return [*self.KEYS[:-1], *self.SERVED_KEYS, self.KEYS[-1]]

    @property
    def sc(self):  # type: ignore[no-untyped-def]
        return self.room.case.scenario

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="served")
        yield TeamBar(id="teambar")
        yield Gauges(id="gauges")
        yield Transcript(id="transcript")
        with VerticalScroll(id="reveal"):
            yield Static(id="reveal-table")
        yield Static(id="prompt", classes="prompt")
        yield Input(id="note", max_length=500)
        yield StoryChoiceList(id="choices")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        if not any(e.type in ("choice", "reason", "rating") for e in self.room.events):
            self._open_with_briefing()  # a new class starts with the case on the projector
        if self.edited is not None:
            room = self.room
            offer_edited(
                self,
                room.session_id,
                self.edited,
                moves_stored(room.events),
                room.problems_with(self.edited),
                room.adopt,
            )
        problems = self.room.state.problems
        if problems:
            # The case was edited since these moves were played: they stay in the log, but
            # the teams are shown where the case as it is now lets them be. Never silently.
            seq, why = problems[0]
            self.notify(
                self.t("class.edited", n=len(problems), seq=seq, why=why),
                severity="warning",
                timeout=30,
            )

    def t_author(self, text: object) -> str:
        return local(text, self.lang, self.sc.default_language)  # type: ignore[arg-type]

    def action_story(self, how: Scroll) -> None:
        """PageUp, PageDown, Home, End from the choices: scroll the transcript."""
        self.query_one("#transcript", Transcript).scroll_story(how)

    # Drawing ---------------------------------------------------------------------------------

    def _version(self) -> int:
        return self.room.events[-1].seq if self.room.events else 0

    def _turn_key(self) -> tuple[object, ...]:
        phase = self.room.phase()
        if not isinstance(phase, Turn):
            return (phase,)
        run = self.room.run_of(phase.team)
        return (phase, len(run.steps), run.pending)

    def redraw(self, elsewhere: bool = False) -> None:
        """`elsewhere`: the class was moved by a device, a link or another process, not by a
        key here; a new question it brings starts with nothing highlighted."""
        room = self.room
        self._drawn = self._version()
        previous, self._turn_drawn = self._turn_drawn, self._turn_key()
        same_question = previous == self._turn_drawn
        self.query_one("#title", Static).update(
            plain(
                self.t("class.title", case=self.t_author(self.sc.title), id=room.session_id), "bold"
            )
        )
        served = self.sim.served
        line = self.query_one("#served", Static)
        line.display = served is not None
        if served is not None:
            key = "class.serving_lan" if served.lan else "class.serving"
            line.update(plain(self.t(key, url=served.url), "bold" if served.lan else "dim"))
        self.query_one("#teambar", TeamBar).show(room, self.lang)
        self.query_one("#note", Input).placeholder = self.t("class.note_placeholder")
        phase = room.phase()
        playing = isinstance(phase, Turn)
        self.query_one("#transcript").display = not isinstance(phase, Reveal)
        self.query_one("#reveal").display = isinstance(phase, Reveal)
        shown = phase.team if isinstance(phase, Turn) else self._last_team()
        self.query_one("#gauges").display = playing
        if shown is not None:
            progress = room.state.teams[shown]
            show_run(
                self.query_one("#transcript", Transcript),
                self.sc,
                progress.run,
                self.lang,
                you=shown,
                feedback=room.settings["feedback"] == "immediate",
                notes=progress.notes,
                entered=progress.entered,
            )
            self.query_one("#gauges", Gauges).show_state(
                self.sc,
                progress.run.values,
                self.lang,
                self.t("play.gauges_hidden"),
                bool(room.settings["gauges"]),
            )
        prompt = self.query_one("#prompt", Static)
        choices = self.query_one("#choices", ChoiceList)
        note = self.query_one("#note", Input)
        note.display = playing
        choices.display = playing
        if isinstance(phase, Turn):
            self._show_turn(phase, same_question, elsewhere)
        elif isinstance(phase, Reveal):
            self._show_reveal(phase.round)
            prompt.update(plain(self.t("class.reveal", n=phase.round + 1), "bold"))
            self.query_one("#reveal").focus()  # ↑↓ and PgUp/PgDn scroll the comparison
        elif isinstance(phase, Rate):
            prompt.update(plain(self.t("class.rate_prompt", teams=", ".join(phase.teams)), "bold"))
        elif isinstance(phase, Debrief):
            prompt.update(plain(self.t("class.debrief_prompt"), "bold"))
        if not playing and not isinstance(phase, Reveal):
            self.set_focus(None)
        self.sim.class_moved()

    def on_class_changed(self, message: ClassChanged) -> None:
        """A device (or the instructor's link, or another process) moved the class: the
        projector follows without a key. What the instructor is typing stays in its field."""
        if not self.is_mounted:
            return
        self._follow_pause()
        if self._version() != self._drawn:
            self._skip_armed = None
            self.redraw(elsewhere=True)

    def _follow_pause(self) -> None:
        """The stored pause decides: paused at a link covers the projector; resumed at a
        link takes the cover away."""
        if self.room.paused and self._pause_shown is None:
            self._show_pause()
        elif not self.room.paused and self._pause_shown is not None:
            shown, self._pause_shown = self._pause_shown, None
            if shown.is_current:
                shown.dismiss()

    def _last_team(self) -> str | None:
        moved = [e.team for e in self.room.events if e.type in ("choice", "reason") and e.team]
        return moved[-1] if moved else (self.room.order[0] if self.room.order else None)

    def _show_turn(self, turn: Turn, same_question: bool = False, elsewhere: bool = False) -> None:
        """The question and its options. The highlight (what Enter stores) is never one the
        instructor did not set on this question: kept when the same question is drawn again,
        none when a device (or a link) brought a new one, so a stray Enter stores nothing."""
        run = self.room.run_of(turn.team)
        prompt = self.query_one("#prompt", Static)
        heading = (
            self.t("class.turn_round", n=(turn.round or 0) + 1, team=turn.team)
            if turn.round is not None
            else self.t("class.turn", team=turn.team)
        )
        text = Text(clean(heading) + "  ", style="bold reverse")
        if run.pending is not None:
            text.append(" " + self.t("play.why"), style="bold")
            items = [(r.id, self.t_author(r.text)) for r in self.room.reasons(turn.team)]
        else:
            offered = self.room.choices(turn.team)
            text.append(" " + self.t("play.choose" if offered else "play.stuck"), style="bold")
            items = [(c.id, self.t_author(c.text)) for c in offered]
        prompt.update(text)
        choices = self.query_one("#choices", ChoiceList)
        before = choices.highlighted
        choices.set_items(items)
        choices.unpicked_hint = self.t("class.pick_first")
        if same_question:
            choices.highlighted = before
        elif elsewhere:
            choices.highlighted = None
        if not isinstance(self.focused, Input):
            choices.focus()

    def _show_reveal(self, index: int) -> None:
        """Decision `index` of every team, aligned by scene: each question once, then the
        answers given to it side by side (choice, reason, justification, the customer's
        reply). Teams whose paths have parted answer different questions, in separate tables."""
        sc = self.sc
        paths = {name: self.room.run_of(name).steps for name in self.room.order}
        parts: list[RenderableType] = []
        for group in decision_by_scene(sc, paths, index):
            first = group.answers[0]
            parts.append(Wrapped(self._said(first.before, self.t("class.question")), indent=2))
            table = Table(expand=True, show_lines=True)
            table.add_column("", min_width=13, max_width=15, overflow="fold")
            for answer in group.answers:
                table.add_column(Text(clean(answer.team), style="bold"), ratio=1, overflow="fold")
            rows: list[list[Text]] = [
                [Text(self.t("class.choice"), style="bold")],
                [Text(self.t("class.reason"), style="bold")],
                [Text(self.t("class.note"), style="bold")],
                [Text(self.t("class.reply"), style="bold")],
            ]
            for answer in group.answers:
                step = answer.step
                scene = sc.scenes[step.scene]
                reason = next((r for r in scene.reasons if r.id == step.reason), None)
                rows[0].append(
                    Text(clean(self.t_author(choice_of(sc, step.scene, step.choice).text)))
                )
                rows[1].append(Text(clean(self.t_author(reason.text)) if reason else "—"))
                progress = self.room.state.teams[answer.team]
                note = progress.notes.get(index, "—")
                if index in progress.entered:  # typed at the instructor's link, not the team's
                    note = f"{note} ({self.t('class.note_instructor')})"
                rows[2].append(Text(clean(note), style="italic"))
                rows[3].append(self._said(answer.after))
            for row in rows:
                if all(cell.plain == "—" for cell in row[1:]):
                    continue  # no reason asked here, or no justification typed: no empty row
                # Wrapped cells keep Chinese lines from starting with punctuation.
                table.add_row(*(Wrapped(cell) for cell in row))
            parts += [table, Text("")]
        waiting = [n for n in self.room.order if index >= len(paths[n])]
        if waiting:
            names = ", ".join(clean(n) for n in waiting)
            parts.append(Text(self.t("class.no_decision", teams=names), style="dim"))
        self.query_one("#reveal-table", Static).update(Group(*parts))

    def _said(self, run: Run, label: str = "") -> Text:
        """What the customer says at this point of a run (else the narration), and the
        ending when the run is over."""
        sc = self.sc
        out = Text()
        if label:
            out.append(label + self.t("colon"), style="bold")
        ending = sc.ending(run.ending or "") if run.finished else None
        if ending is None or not sc.scenes[run.scene].choices:
            # A run that ends by `next: end` stays at the scene just answered: no new words.
            seen = view(sc, run)
            if seen.line is not None:
                speaker = next((r for r in sc.roles if r.id == seen.speaker), None)
                if speaker is not None:
                    out.append(clean(self.t_author(speaker.name)) + self.t("colon"), style="bold")
                out.append(clean(self.t_author(seen.line)))
            else:
                out.append(clean(self.t_author(seen.text)))
        if ending is not None:
            out.append(
                ("\n" if out.plain.strip() and not label else "")
                + self.t("debrief.ending")
                + self.t("colon"),
                style="bold",
            )
            out.append(clean(self.t_author(ending.title) or ending.id))
        return out

    # Moves -----------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        phase = self.room.phase()
        picked = event.option.id
        if picked is None or not isinstance(phase, Turn):
            return
        if self._turn_key() != self._turn_drawn:
            # A device answered after this list was drawn: the pick was made for a question
            # the class has moved past. Nothing is stored; the screen shows the new one.
            self.notify(self.t("class.moved_meanwhile", team=phase.team), severity="warning")
            self.redraw()
            return
        note = self.query_one("#note", Input)
        try:
            if self.room.run_of(phase.team).pending is not None:
                self.room.give_reason(phase.team, picked, note.value)
            else:
                self.room.choose(phase.team, picked, note.value)
            note.value = ""
        except (MoveError, ClassError) as refused:
            self.notify(str(refused), severity="error")
            return
        self.redraw()  # the event is committed; only now does the screen move on

    @on(Input.Submitted, "#note")
    def _note_done(self) -> None:
        self.query_one("#choices", ChoiceList).focus()

    def action_justify(self) -> None:
        note = self.query_one("#note", Input)
        if note.display:
            note.focus()

    def action_continue(self) -> None:
        phase = self.room.phase()
        if isinstance(phase, Reveal):
            class_move(self, self.room.advance)
            self.redraw()
        elif isinstance(phase, Rate):
            from sim.tui.screens.rating import RatingScreen

            self.app.push_screen(RatingScreen(self.room, phase.teams), lambda _: self.redraw())
        elif isinstance(phase, Debrief):
            from sim.tui.screens.debrief import DebriefScreen

            self.app.switch_screen(DebriefScreen(self.room))

    def action_undo(self) -> None:
        done = class_move(self, self.room.undo)
        if done is not None and done[0] is None:
            self.notify(self.t("class.nothing_to_undo"))
        elif done is not None and done[0] is not None:
            what = describe_event(done[0], self.room, self.lang)
            self.notify(self.t("class.undone", what=what))
        self.redraw()

    def action_pause(self) -> None:
        """Cover the projector; when the class is served, the pause is stored so the devices
        show it too (and take no moves) until any key here, or the instructor's link, resumes."""
        if self.sim.served is not None:
            self.room.pause(True)
            self.sim.class_moved()
        self._show_pause()

    def _show_pause(self) -> None:
        cover = PauseScreen()
        self._pause_shown = cover

        def resumed(_: object) -> None:
            self._pause_shown = None
            if self.room.pause(False):
                self.sim.class_moved()

        self.app.push_screen(cover, resumed)

    def action_skip(self) -> None:
        """Pass over the team whose turn it is (its device dropped); press twice, `u` undoes."""
        phase = self.room.phase()
        if not isinstance(phase, Turn):
            return
        if self._skip_armed != phase.team:
            self._skip_armed = phase.team
            self.notify(self.t("class.skip_confirm", team=phase.team), timeout=6)
            return
        self._skip_armed = None
        try:
            self.room.skip(phase.team)
        except ClassError as refused:
            self.notify(str(refused), severity="error")
            return
        self.notify(self.t("class.skipped", team=phase.team))
        self.redraw()

    def action_join(self) -> None:
        """The team links as QR codes, to project while the teams join."""
        if self.sim.served is None:
            self.notify(self.t("join.not_served"))
            return
        from sim.tui.screens.join import JoinScreen

        self.app.push_screen(JoinScreen(self.sim.served))

    def action_toggle_gauges(self) -> None:
        self.room.set(gauges=not self.room.settings["gauges"])
        self.redraw()

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#choices", ChoiceList).focus()
            return
        phase = self.room.phase()
        if isinstance(phase, Turn) and self.room.run_of(phase.team).pending is not None:
            self.action_undo()  # as in practice: Esc takes back a choice still waiting for why
            return
        leave_class(self, self.room.session_id)

    def action_summary(self) -> None:
        """After a team's run (its rating is due), the teacher can sum it up at once."""
        from sim.tui.screens.summary import PickSummary, SummaryScreen

        phase = self.room.phase()
        if isinstance(phase, Turn):
            self.notify(self.t("summary.after_run"))
            return
        if isinstance(phase, Rate) and len(phase.teams) == 1:
            self.app.push_screen(SummaryScreen(self.room, phase.teams[0]), lambda _: self.redraw())
            return

        def picked(target: object) -> None:
            if target is not False:
                team = target if isinstance(target, str) else None
                self.app.push_screen(SummaryScreen(self.room, team), lambda _: self.redraw())

        self.app.push_screen(PickSummary(self.room), picked)

    def action_briefing(self) -> None:
        from sim.tui.screens.class_briefing import ClassBriefingScreen

        self.app.push_screen(ClassBriefingScreen(self.room))

    def _open_with_briefing(self) -> None:
        """The opening briefing. Served, it is stored as shown (devices show the case and take
        no move) and dismissing it opens play for them, so a restart keeps the class waiting."""
        from sim.tui.screens.class_briefing import ClassBriefingScreen

        if self.sim.served is not None and self.room.show_briefing():
            self.sim.class_moved()

        def opened(_: object) -> None:
            if self.room.open_play():
                self.sim.class_moved()
            self.redraw()

        self.app.push_screen(ClassBriefingScreen(self.room, opening=True), opened)
