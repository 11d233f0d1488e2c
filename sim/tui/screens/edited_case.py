"""A session resumed after its case file changed: keep the version that was played (the
default, nothing lost) or play on with the edited file, when every stored move replays in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static

from sim.cases import Case
from sim.practice import Attempt
from sim.session import Event, live_events
from sim.tui.screens.base import SimModal, SimScreen
from sim.tui.text import plain
from sim.tui.widgets.choice_list import ChoiceList
from sim.tui.wrap import Wrapped

PLAYED = "played"
EDITED = "edited"


class EditedCase(SimModal):
    """Says the file changed and asks; dismisses with True to take the edited file. Esc, and
    Enter on the first (highlighted) line, keep the played version. When a stored move does
    not replay in the edited file, only that choice is offered, and the move is named."""

    KEYS = [("escape", "keep", "key.keep", True)]

    def __init__(
        self, session_id: int, path: str, moves: int, problem: tuple[int, str] | None
    ) -> None:
        super().__init__()
        self.session_id = session_id
        self.path = path
        self.moves = moves
        self.problem = problem

    def compose(self) -> ComposeResult:
        yield Static(id="pick-title", classes="title")
        yield Static(id="edited-body")
        yield ChoiceList(id="edited-options")
        yield Footer()

    def redraw(self) -> None:
        self.query_one("#pick-title", Static).update(plain(self.t("edited.title"), "bold"))
        body = self.t("edited.body", path=self.path, id=self.session_id)
        if self.problem is not None:
            seq, why = self.problem
            body += "\n\n" + self.t("edited.cannot", seq=seq, why=why)
        self.query_one("#edited-body", Static).update(Wrapped(plain(body)))
        items = [(PLAYED, self.t("edited.played"))]
        if self.problem is None:
            items.append((EDITED, self.t("edited.edited", n=self.moves)))
        options = self.query_one("#edited-options", ChoiceList)
        options.set_items(items)
        options.focus()

    @on(OptionList.OptionSelected, "#edited-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id == EDITED)

    def action_keep(self) -> None:
        self.dismiss(False)


def moves_stored(events: Iterable[Event]) -> int:
    """Choices and reasons a session holds now (after corrections)."""
    return sum(event.type in ("choice", "reason") for event in live_events(events)[0])


def offer_edited(
    screen: SimScreen,
    session_id: int,
    edited: Case,
    moves: int,
    problems: list[tuple[int, str]],
    adopt: Callable[[Case], None],
) -> None:
    """Ask; on "edited", `adopt` stores the new texts and plays on with them, then the screen
    is redrawn. Nothing is dropped either way: the stored moves stay as they are."""
    main = next((f.path for f in edited.files if f.role == "case"), str(edited.path))

    def answered(take: object) -> None:
        if take is not True:
            return
        adopt(edited)
        screen.redraw()
        screen.notify(screen.t("edited.taken"), timeout=10)

    problem = problems[0] if problems else None
    screen.app.push_screen(EditedCase(session_id, main, moves, problem), answered)


def resume_attempt(
    screen: SimScreen, session_id: int, current: Case | None
) -> tuple[Attempt, Case | None] | None:
    """A practice attempt with the texts it was played with, and the case as it is now when
    that differs (`current`, from the catalogue, or else the file it was played from), for
    PlayScreen to offer; None, with a notice, when the stored case cannot be loaded."""
    from sim.cases import CaseError, edited_since, session_case

    store = screen.sim.store
    info = store.session(session_id)
    if info is None:
        return None
    try:
        played = session_case(info, store, current=current)
    except CaseError as problem:
        screen.notify(problem.message, severity="error", timeout=10)
        return None
    return Attempt.resume(played, store, session_id), edited_since(played, current)
