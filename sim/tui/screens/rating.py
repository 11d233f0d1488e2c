"""Rating: each peer team, then the instructor, rates a team on the classroom rubric.

Made to inform and not to anchor (issue 13): the rated team's path, justifications and ending
stand beside the rubric; peers rate first; while the class is set to keep it blind, the
instructor's levels stay hidden until every peer ballot for that team is in. Keys do exactly
what the screen says: a digit gives the highlighted (▶) criterion that level and the cursor
stays; ↑↓ move it; changing a level already given says so. Every rating is stored at once;
`u` undoes the last.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from sim.classroom import ClassError, Classroom, Rate
from sim.model import Rubric
from sim.scoring import RaterKind
from sim.tui.run_view import path_text
from sim.tui.screens.base import ClassChanged, SimScreen, class_move
from sim.tui.text import clean, local, plain
from sim.tui.wrap import Wrapped


class CriteriaList(OptionList):
    """Digits give the highlighted criterion that level (the screen stores it)."""

    BINDINGS = [
        *[Binding(str(n), f"screen.level({n})", show=False) for n in range(1, 10)],
        Binding("enter", "screen.done", show=False),
        Binding("right", "screen.rater(1)", show=False),
        Binding("left", "screen.rater(-1)", show=False),
        # The list is short; PgUp/PgDn scroll the rated team's play beside it instead.
        Binding("pagedown", "screen.scroll_play(1)", show=False),
        Binding("pageup", "screen.scroll_play(-1)", show=False),
    ]


class RatingScreen(SimScreen):
    KEYS = [
        ("enter", "done", "key.done", True),
        ("right", "rater(1)", "key.rater", True),
        ("left", "rater(-1)", "key.rater", False),
        ("tab", "team(1)", "key.team", True),
        ("shift+tab", "team(-1)", "key.team", False),
        ("u", "undo", "key.undo", True),
        ("s", "summary", "key.summary", True),
        ("escape", "back", "key.back", True),
    ]

    DIGITS_HELP = "help.digits_level"

    def __init__(self, room: Classroom, teams: tuple[str, ...], advance: bool = True) -> None:
        super().__init__()
        self.room = room
        self.closing = teams or tuple(room.order)
        """The teams whose rating Enter closes; Tab also reaches the others already played."""
        done = [t for t in room.order if t not in self.closing and room.run_of(t).finished]
        self.teams = (*self.closing, *done)
        self.advance = advance
        self.team_index = 0
        self.rater_index = 0
        self.confirming = False
        self._drawn = -1

    @property
    def rubrics(self) -> list[Rubric]:
        return list(self.room.case.classroom_rubrics.values())

    @property
    def team(self) -> str:
        return self.teams[self.team_index]

    @property
    def raters(self) -> list[tuple[RaterKind, str]]:
        """Peers first, the instructor last: the teacher's levels must not anchor the class."""
        everyone = self.room.raters_of(self.team)
        return [r for r in everyone if r[0] != "instructor"] + [
            r for r in everyone if r[0] == "instructor"
        ]

    @property
    def rater(self) -> tuple[RaterKind, str]:
        return self.raters[self.rater_index]

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="rater", classes="prompt")
        with Horizontal(id="rating-panes"):
            with Vertical(id="rubric-pane"):
                yield CriteriaList(id="criteria")
                with VerticalScroll(id="descriptors"):
                    yield Static(id="levels")
            with VerticalScroll(id="play-pane"):
                yield Static(id="played")
        yield Static(id="hint", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._to_first_unrated(first_rater=True)
        self.query_one("#criteria", CriteriaList).focus()

    def t_author(self, text: object) -> str:
        sc = self.room.case.scenario
        return local(text, self.lang, sc.default_language)  # type: ignore[arg-type]

    def rater_name(self, kind: str, rater: str) -> str:
        if kind == "instructor":
            label = self.t("rate.instructor")
            return label if rater == "instructor" else f"{label} {clean(rater)}"
        return self.t("rate.peer", team=clean(rater))

    def criteria(self) -> list[tuple[Rubric, str]]:
        return [(rubric, c.id) for rubric in self.rubrics for c in rubric.criteria]

    # Blindness -------------------------------------------------------------------------------

    def peers_missing(self) -> int:
        """Peer ratings of the current team still to come."""
        result = next(t for t in self.room.result().teams if t.team == self.team)
        return sum(1 for gap in result.missing if gap.rater_kind == "peer")

    def hidden(self) -> bool:
        """Whether the current rater's levels are masked, while the class keeps ballots blind
        and a peer ballot for this team is still incomplete: the instructor's, so they cannot
        anchor the class; and, in a class served to devices, a peer's too — the teams rate on
        their phones and watch the projector, and their pages promise that nobody sees
        another ballot before all are in."""
        if not bool(self.room.settings.get("blind", True)) or self.peers_missing() == 0:
            return False
        return self.rater[0] == "instructor" or self.sim.served is not None

    # Drawing ---------------------------------------------------------------------------------

    def _version(self) -> int:
        return self.room.events[-1].seq if self.room.events else 0

    def on_class_changed(self, message: ClassChanged) -> None:
        """A device's ballot (or the instructor's link, or another process) changed the class:
        the projector shows it without a key, the instructor's place (team, rater, criterion)
        kept. When the class has moved past this rating at the link (Next, or an undo back
        into a turn), the screen closes, as Enter would have, and the class screen follows."""
        if not self.is_mounted or self._version() == self._drawn:
            return
        phase = self.room.phase()
        if self.advance and not (isinstance(phase, Rate) and phase.teams == self.closing):
            self.dismiss()
            return
        self.redraw()

    def redraw(self) -> None:
        self._drawn = self._version()
        self.query_one("#title", Static).update(
            plain(self.t("rate.title", team=clean(self.team)), "bold")
        )
        kind, rater = self.rater
        head = Text()
        head.append(
            " "
            + self.t(
                "rate.now",
                rater=self.rater_name(kind, rater),
                team=clean(self.team),
                n=self.rater_index + 1,
                total=len(self.raters),
            )
            + " ",
            style="bold reverse",
        )
        missing = self.missing_count()
        head.append("  ")
        head.append(
            self.t("rate.missing", n=missing) if missing else self.t("rate.complete"),
            style="red" if missing else "green",
        )
        if len(self.teams) > 1:
            head.append(f"  [{self.team_index + 1}/{len(self.teams)}]", style="dim")
        self.query_one("#rater", Static).update(Wrapped(head))
        criteria = self.query_one("#criteria", CriteriaList)
        highlighted = criteria.highlighted or 0
        hidden = self.hidden()
        criteria.clear_options()
        for rubric, criterion_id in self.criteria():
            criterion = rubric.criterion(criterion_id)
            points = self.room.rating(self.team, kind, rater, rubric.id, criterion_id)
            line = Text()
            line.append(clean(self.t_author(criterion.title if criterion else criterion_id)))
            line.append(self.t("colon"))
            if points is None:
                line.append(self.t("rate.unrated"), style="red")
            elif hidden:
                line.append(self.t("rate.given_hidden"), style="bold")
            else:
                level = next(lv for lv in rubric.levels if lv.points == points)
                number = rubric.levels.index(level) + 1
                line.append(f"{number} {clean(self.t_author(level.label))}", style="bold green")
            criteria.add_option(Option(Wrapped(line, indent=2)))
        criteria.highlighted = min(highlighted, criteria.option_count - 1)
        self.show_levels()
        self.show_played()
        hint = self.t("rate.hint")
        if hidden:
            blind = "rate.blind" if self.rater[0] == "instructor" else "rate.blind_served"
            hint = self.t(blind, n=self.peers_missing()) + " · " + hint
        self.query_one("#hint", Static).update(plain(hint, "dim"))

    def show_levels(self) -> None:
        index = self.query_one("#criteria", CriteriaList).highlighted or 0
        rubric, criterion_id = self.criteria()[index]
        criterion = rubric.criterion(criterion_id)
        kind, rater = self.rater
        given = (
            None
            if self.hidden()
            else self.room.rating(self.team, kind, rater, rubric.id, criterion_id)
        )
        text = Text()
        title = self.t_author(criterion.title) if criterion else criterion_id
        text.append(f"▶ {clean(title)}\n", style="bold underline")
        for number, level in enumerate(rubric.levels, 1):
            mark = "● " if level.points == given else "  "
            text.append(f"{mark}{number}. {clean(self.t_author(level.label))}", style="bold")
            descriptor = criterion.descriptors.get(level.points) if criterion else None
            if descriptor is not None:
                text.append(f" — {clean(self.t_author(descriptor))}")
            text.append("\n")
            example = self.room.case.scenario.rubric_example(rubric.id, criterion_id, level.points)
            if example is not None:
                text.append(f"     {self.t('end.example')}", style="dim")
                text.append(f"{clean(self.t_author(example))}\n", style="italic")
        self.query_one("#levels", Static).update(Wrapped(text, indent=5))

    def show_played(self) -> None:
        """What the rated team did: its choices, reasons, justifications and ending."""
        progress = self.room.state.teams[self.team]
        text = Text()
        text.append(self.t("rate.played", team=clean(self.team)) + "\n", style="bold underline")
        text.append_text(
            path_text(self.room.case.scenario, progress.run, self.lang, progress.notes)
        )
        self.query_one("#played", Static).update(Wrapped(text, indent=3))

    def missing_count(self) -> int:
        result = next(t for t in self.room.result().teams if t.team == self.team)
        return len(result.missing)

    @on(OptionList.OptionHighlighted, "#criteria")
    def _moved(self) -> None:
        self.show_levels()

    # Keys ------------------------------------------------------------------------------------

    def action_level(self, number: int) -> None:
        """The highlighted criterion gets level `number`; the cursor stays where it is."""
        criteria = self.query_one("#criteria", CriteriaList)
        index = criteria.highlighted or 0
        rubric, criterion_id = self.criteria()[index]
        if not 1 <= number <= len(rubric.levels):
            self.notify(self.t("rate.no_level", n=number, top=len(rubric.levels)), timeout=4)
            return
        kind, rater = self.rater
        before = self.room.rating(self.team, kind, rater, rubric.id, criterion_id)
        points = rubric.levels[number - 1].points
        if before == points:
            return
        hidden = self.hidden()
        try:
            self.room.rate(self.team, kind, rater, rubric, criterion_id, points)
        except ClassError as wrong:
            self.notify(str(wrong), severity="error")
            return
        if self.confirming:
            self.app.clear_notifications()  # the "ratings missing" warning may be out of date
        self.confirming = False
        if before is not None:
            # A correction is never silent (and never shows a blind instructor's levels).
            criterion = rubric.criterion(criterion_id)
            title = clean(self.t_author(criterion.title)) if criterion else criterion_id
            if hidden:
                self.notify(self.t("rate.changed_hidden", criterion=title), timeout=4)
            else:
                old = next(n for n, lv in enumerate(rubric.levels, 1) if lv.points == before)
                self.notify(self.t("rate.changed", criterion=title, old=old, new=number), timeout=4)
        self.redraw()

    def action_rater(self, step: int) -> None:
        self.rater_index = (self.rater_index + step) % len(self.raters)
        self._to_first_unrated()

    def action_team(self, step: int) -> None:
        self.team_index = (self.team_index + step) % len(self.teams)
        self._to_first_unrated(first_rater=True)

    def _to_first_unrated(self, first_rater: bool = False) -> None:
        """A new rater starts at the first criterion they have not rated yet (and, for a new
        team, the first rater with a ballot to fill); the screen names both."""
        criteria = self.criteria()

        def unrated(kind: str, rater: str) -> list[int]:
            return [
                index
                for index, (rubric, criterion_id) in enumerate(criteria)
                if self.room.rating(self.team, kind, rater, rubric.id, criterion_id) is None
            ]

        if first_rater:
            self.rater_index = next(
                (i for i, (kind, rater) in enumerate(self.raters) if unrated(kind, rater)), 0
            )
        gaps = unrated(*self.rater)
        self.query_one("#criteria", CriteriaList).highlighted = gaps[0] if gaps else 0
        self.redraw()

    def action_scroll_play(self, direction: int) -> None:
        """PgDn / PgUp: read on through what the rated team did, the rubric staying put."""
        pane = self.query_one("#play-pane", VerticalScroll)
        if direction > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    def action_undo(self) -> None:
        done = class_move(self, self.room.undo)
        if done is not None and done[0] is None:
            self.notify(self.t("class.nothing_to_undo"))
        self.redraw()

    def action_done(self) -> None:
        missing = sum(len(t.missing) for t in self.room.result().teams if t.team in self.closing)
        if missing and not self.confirming:
            self.confirming = True
            self.notify(self.t("rate.confirm_missing", n=missing), severity="warning", timeout=8)
            return
        self.app.clear_notifications()
        if self.advance:
            class_move(self, self.room.advance)
        self.dismiss()

    def action_summary(self) -> None:
        """The teacher's summary of the team being rated, while its run is fresh."""
        from sim.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.room, self.team), lambda _: self.redraw())

    def action_back(self) -> None:
        self.dismiss()
