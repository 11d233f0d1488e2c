"""Setting up a class: name the teams, pick the turn mode and when feedback shows, or resume."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Input, OptionList, Static

from sim.cases import Case
from sim.classroom import MODES, ClassError, Classroom, parse_teams
from sim.roster import Student
from sim.store.protocol import SessionInfo
from sim.tui.screens.base import SimScreen
from sim.tui.text import local, plain
from sim.tui.widgets.choice_list import ChoiceList

START = "start"
MODE = "mode"
FEEDBACK = "feedback"
BLIND = "blind"
ROSTER = "roster"


def unfinished_classes(infos: list[SessionInfo], scenario_id: str) -> list[SessionInfo]:
    """Unfinished classroom sessions of a case, newest first."""
    found = [i for i in infos if i.kind == "classroom" and i.scenario == scenario_id]
    return sorted((i for i in found if not i.finished), key=lambda i: i.id, reverse=True)


class ClassSetupScreen(SimScreen):
    KEYS = [
        ("escape", "back", "key.back", True),
    ]

    def __init__(self, case: Case, teams: str = "") -> None:
        super().__init__()
        self.case = case
        self.teams_text = teams
        self.mode = MODES[0]
        self.feedback = "debrief"
        self.blind = True
        self.resumable: list[SessionInfo] = []
        self.roster_path: Path | None = None
        self.roster: list[Student] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="teams-label", classes="prompt")
        yield Input(self.teams_text, id="teams")
        # Shown only when the instructor picks the roster line (keeps the screen as it was).
        roster = Input(id="roster")
        roster.display = False
        yield roster
        yield ChoiceList(id="options")
        yield Static(id="hint", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#teams", Input).focus()

    def redraw(self) -> None:
        sc = self.case.scenario
        title = local(sc.title, self.lang, sc.default_language)
        self.query_one("#title", Static).update(
            plain(self.t("class.setup_title", case=title), "bold")
        )
        self.query_one("#teams-label", Static).update(plain(self.t("class.teams_label")))
        self.query_one("#teams", Input).placeholder = self.t("class.teams_placeholder")
        self.resumable = unfinished_classes(self.sim.store.sessions(), sc.id)
        # An unfinished class of this case is the likeliest thing to open: it comes first,
        # highlighted, so Enter twice (teams line, then the list) goes back to it.
        items = []
        for info in self.resumable[:6]:
            line = self.t(
                "class.session_line", id=info.id, teams=", ".join(info.teams), events=info.events
            )
            items.append((f"resume-{info.id}", self.t("class.resume_line", line=line)))
        items += [
            (START, self.t("key.start")),
            (MODE, self.t(f"class.mode.{self.mode}")),
            (FEEDBACK, self.t(f"class.feedback.{self.feedback}")),
            (BLIND, self.t(f"class.blind.{'on' if self.blind else 'off'}")),
            (ROSTER, self._roster_line()),
        ]
        options = self.query_one("#options", ChoiceList)
        highlighted = options.highlighted
        options.set_items(items)
        if highlighted is not None:
            options.highlighted = min(highlighted, len(items) - 1)
        self.query_one("#hint", Static).update(plain(self.t("class.setup_hint"), "dim"))
        self.query_one("#roster", Input).placeholder = self.t("class.roster.placeholder")

    def _roster_line(self) -> str:
        if self.roster is None or self.roster_path is None:
            return self.t("class.roster.none")
        return self.t("class.roster.loaded", file=self.roster_path.name, n=len(self.roster))

    @on(Input.Submitted, "#teams")
    def _teams_done(self) -> None:
        self.query_one("#options", ChoiceList).focus()

    @on(OptionList.OptionSelected, "#options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        picked = event.option.id or ""
        if picked == MODE:
            self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
            self.redraw()
        elif picked == FEEDBACK:
            self.feedback = "immediate" if self.feedback == "debrief" else "debrief"
            self.redraw()
        elif picked == BLIND:
            self.blind = not self.blind
            self.redraw()
        elif picked == ROSTER:
            field = self.query_one("#roster", Input)
            field.display = True
            field.focus()
        elif picked == START:
            self.start()
        elif picked.startswith("resume-"):
            self.resume(int(picked.split("-")[1]))

    def resume(self, session_id: int) -> None:
        """The class as it was played (its stored texts); the case as the catalogue has it now
        is offered on the class screen if it differs."""
        from sim.cases import CaseError, edited_since, session_case

        store = self.sim.store
        info = store.session(session_id)
        if info is None:
            return
        try:
            played = session_case(info, store, current=self.case)
        except CaseError as problem:
            self.notify(problem.message, severity="error", timeout=10)
            return
        self.open(Classroom.resume(played, store, session_id), edited_since(played, self.case))

    @on(Input.Submitted, "#roster")
    def _roster_done(self, event: Input.Submitted) -> None:
        """Load the roster file now, checked against the teams typed so far."""
        typed = event.value.strip()
        if not typed:
            self.roster_path, self.roster = None, None
        else:
            path = Path(typed).expanduser()
            students = self._load_roster(path)
            if students is None:
                return  # the problem is shown; the field keeps the focus to fix the path
            self.roster_path, self.roster = path, students
        event.input.display = False
        self.redraw()
        self.query_one("#options", ChoiceList).focus()

    def _load_roster(self, path: Path) -> list[Student] | None:
        """The roster's students for the teams typed, or None after saying what is wrong."""
        from sim.roster import RosterError
        from sim.roster_file import RosterFileError, load_roster

        try:
            teams, _ = parse_teams(self.query_one("#teams", Input).value)
        except ClassError:
            self.notify(self.t("class.roster.teams_first"), severity="error", timeout=8)
            return None
        try:
            return load_roster(path, teams)
        except RosterFileError as unreadable:
            self.notify(str(unreadable), severity="error", timeout=10, markup=False)
        except RosterError as bad:
            first = "; ".join(p.text(path.name) for p in bad.problems[:3])
            self.notify(
                self.t("class.roster.bad", n=len(bad.problems), first=first),
                severity="error",
                timeout=12,
                markup=False,
            )
        return None

    def start(self) -> None:
        try:
            teams, members = parse_teams(self.query_one("#teams", Input).value)
            # The teams may have changed since the roster was loaded: it is checked again.
            roster = None
            if self.roster_path is not None:
                roster = self._load_roster(self.roster_path)
                if roster is None:
                    return
            room = Classroom.begin(
                self.case,
                self.sim.store,
                teams,
                members,
                {
                    "mode": self.mode,
                    "feedback": self.feedback,
                    "blind": self.blind,
                    "lang": self.lang,
                },
                roster,
            )
        except ClassError as wrong:
            message = self.t(f"class.error.{wrong.code}", **wrong.values) if wrong.code else ""
            self.notify(message or str(wrong), severity="error", timeout=8)
            self.query_one("#teams", Input).focus()
            return
        self.open(room)

    def open(self, room: Classroom, edited: Case | None = None) -> None:
        from sim.tui.screens.class_play import ClassScreen

        self.app.clear_notifications()
        self.app.switch_screen(ClassScreen(room, edited))

    def action_back(self) -> None:
        self.dismiss()
