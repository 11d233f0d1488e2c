"""The debrief, one part at a time on the projector: the real outcome, the paths side by side,
the scores with a chart, the knowledge points team by team, the discussion questions.
"""

from __future__ import annotations

import contextlib

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from sim.classroom import WEIGHTS, ClassError, Classroom
from sim.debrief import SessionResult, percent_legends, student_names, totals_formula
from sim.scoring import POLICIES, auto_rubrics
from sim.tui.prose_view import markdown_view
from sim.tui.run_view import choice_of, feedback_text
from sim.tui.screens.base import ClassChanged, SimScreen
from sim.tui.text import clean, local, local_markdown, plain
from sim.tui.wrap import Wrapped

SECTIONS = ("outcome", "paths", "feedback", "scores", "knowledge", "summary", "questions")
CHART = 30


def bar(value: float | None, width: int = CHART) -> Text:
    """A horizontal bar for a percentage; an empty track when there is no score."""
    filled = round((value or 0) / 100 * width)
    out = Text("█" * filled, style="green")
    out.append("░" * (width - filled), style="dim")
    out.append(f" {value:5.1f}" if value is not None else "     –")
    return out


def pct(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "–"


class DebriefScreen(SimScreen):
    KEYS = [
        ("right,n,enter", "section(1)", "key.next", True),
        ("left,p", "section(-1)", "key.previous", False),
        ("w", "weights", "key.weights", True),
        ("m", "policy", "key.policy", True),
        ("r", "ratings", "key.rate", True),
        ("s", "summary", "key.summary", True),
        ("x", "export", "key.export", True),
        ("escape", "leave", "key.leave", True),
        *[(str(n), f"jump({n - 1})", "key.next", False) for n in range(1, len(SECTIONS) + 1)],
    ]

    DIGITS_HELP = "help.digits_part"

    def __init__(self, room: Classroom) -> None:
        super().__init__()
        self.room = room
        self.section = 0
        self._drawn = -1

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="section", classes="prompt")
        with VerticalScroll(id="debrief"):
            yield Static(id="body")
        yield Static(id="hint", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        if not self.room.finished:
            # Reaching the debrief closes the session; another screen may have closed it first.
            with contextlib.suppress(ClassError):
                self.room.advance()
            self.sim.class_moved()  # served: the phones turn to their debrief page
        self.query_one("#debrief").focus()

    def t_author(self, text: object) -> str:
        sc = self.room.case.scenario
        return local(text, self.lang, sc.default_language)  # type: ignore[arg-type]

    def _version(self) -> int:
        return self.room.events[-1].seq if self.room.events else 0

    def on_class_changed(self, message: ClassChanged) -> None:
        """Something stored outside this screen (another process: a paper team entered with
        `sim run --record --session`, a rating; the links stop at the debrief) redraws the
        section shown, without a key."""
        if self.is_mounted and self._version() != self._drawn:
            self.redraw()

    def redraw(self) -> None:
        self._drawn = self._version()
        sc = self.room.case.scenario
        self.query_one("#title", Static).update(
            plain(self.t("debrief.title", case=self.t_author(sc.title)), "bold")
        )
        name = SECTIONS[self.section]
        self.query_one("#section", Static).update(
            plain(
                self.t(
                    "debrief.section",
                    n=self.section + 1,
                    total=len(SECTIONS),
                    name=self.t(f"debrief.{name}"),
                ),
                "bold reverse",
            )
        )
        result = self.room.result()
        body: RenderableType = getattr(self, f"_{name}")(result)
        self.query_one("#body", Static).update(body)
        self.query_one("#hint", Static).update(plain(self.t("debrief.hint"), "dim"))

    # Sections --------------------------------------------------------------------------------

    def _outcome(self, result: SessionResult) -> RenderableType:
        sc = self.room.case.scenario
        text = Text()
        joiner = "、" if self.lang == "zh" else ", "
        for team in result.teams:
            ending = sc.ending(team.ending or "")
            title = self.t_author(ending.title) or ending.id if ending else "–"
            text.append(clean(team.team) + self.t("colon"), style="bold")
            text.append(clean(title))
            if ending is not None:
                outcome = self.t("outcome." + ending.outcome)
                text.append(f" ({self.t('end.outcome_is', o=outcome)})", style="dim")
            text.append("\n")
            # The students of the team (the roster's, else those named at set-up), so the
            # class hears whose work the outcome is.
            names = [clean(n) for n in student_names(result, team.team) if clean(n).strip()]
            if names:
                text.append("  " + joiner.join(names) + "\n", style="dim")
        text.append("\n")
        if sc.debrief and sc.debrief.real_outcome:
            # The author writes Markdown; drawn as plain text with Chinese line breaking.
            story = local_markdown(sc.debrief.real_outcome, self.lang, sc.default_language)
            return Group(Wrapped(text), markdown_view(story))
        text.append(self.t("debrief.no_outcome"), style="dim")
        return Wrapped(text)

    def _paths(self, result: SessionResult) -> RenderableType:
        sc = self.room.case.scenario
        table = Table(expand=True, show_lines=True)
        table.add_column("#", width=4)
        for team in result.teams:
            table.add_column(Text(clean(team.team), style="bold"), ratio=1, overflow="fold")
        longest = max((len(t.steps) for t in result.teams), default=0)
        for index in range(longest):
            diverged = result.diverged_at == index
            number = Text(str(index + 1))
            if diverged:
                number.append(" ◆", style="bold red")
            row: list[RenderableType] = [number]
            for team in result.teams:
                if index >= len(team.steps):
                    row.append(Text("—", style="dim"))
                    continue
                step = team.steps[index]
                cell = Text(clean(self.t_author(choice_of(sc, step.scene, step.choice).text)))
                reason = next(
                    (r for r in sc.scenes[step.scene].reasons if r.id == step.reason), None
                )
                if reason is not None:
                    cell.append(
                        f"\n{self.t('play.because')}: {clean(self.t_author(reason.text))}",
                        style="italic",
                    )
                if index in team.notes:
                    cell.append(f"\n“{clean(team.notes[index])}”", style="dim")
                row.append(Wrapped(cell))  # Chinese lines never start with punctuation
            table.add_row(*row)
        ending_row: list[RenderableType] = [Text(self.t("debrief.ending"), style="bold")]
        for team in result.teams:
            ending = sc.ending(team.ending or "")
            ending_row.append(
                Text(
                    clean(self.t_author(ending.title) or ending.id) if ending else "–", style="bold"
                )
            )
        table.add_row(*ending_row)
        if result.diverged_at is None:
            return table
        return Group(Text(self.t("debrief.diverged"), style="bold red"), table)

    def _feedback(self, result: SessionResult) -> RenderableType:
        """Each team's path step by step with the feedback held back during play."""
        sc = self.room.case.scenario
        text = Text()
        for team in result.teams:
            text.append(f" {clean(team.team)} ", style="bold reverse")
            text.append("\n")
            if team.steps:
                text.append_text(feedback_text(sc, team.steps, self.lang, team.notes))
            else:
                text.append(self.t("debrief.no_steps") + "\n", style="dim")
            ending = sc.ending(team.ending or "")
            if ending is not None:
                text.append(self.t("debrief.ending") + self.t("colon"), style="bold")
                text.append(clean(self.t_author(ending.title) or ending.id) + "\n")
            text.append("\n")
        return Wrapped(text, indent=3)

    def _scores(self, result: SessionResult) -> RenderableType:
        rubrics = auto_rubrics(self.room.case.scenario, self.room.case.rubrics)
        rubric_ids = [r.id for r in rubrics]
        table = Table(expand=True)
        table.add_column("")
        for rubric in rubrics:
            table.add_column(clean(self.t_author(rubric.title)), justify="right", overflow="fold")
        for label in ("debrief.auto", "debrief.human", "debrief.total"):
            table.add_column(
                self.t(label), justify="right", style="bold" if label.endswith("total") else None
            )
        for team in result.teams:
            cells = [Text(clean(team.team), style="bold")]
            for rubric_id in rubric_ids:
                part = team.auto.rubrics.get(rubric_id)
                cells.append(Text(pct(part.percent if part else None)))
            human = Text(pct(team.human_percent))
            if team.missing:
                human.append("*", style="bold red")
            auto = Text(pct(team.auto.overall))
            if not team.finished:
                auto.append(" " + self.t("debrief.partial"), style="dim")
            total = (
                Text(pct(team.total))
                if team.total is not None
                else Text(self.t("report.not_rated" if team.finished else "report.unfinished"))
            )
            cells += [auto, human, total]
            table.add_row(*cells)
        chart = Text()
        width = max((cell_len(clean(t.team)) for t in result.teams), default=4)
        # Finished teams are charted; an unfinished one is named apart, never placed among them.
        for team in [t for t in result.teams if t.total is not None]:
            name = clean(team.team)
            chart.append(name + " " * (width - cell_len(name) + 1), style="bold")
            chart.append_text(bar(team.total))
            chart.append("\n")
        unfinished = [clean(t.team) for t in result.teams if not t.finished]
        if unfinished:
            chart.append(
                self.t(
                    "debrief.unfinished_teams",
                    teams="、".join(unfinished) if self.lang == "zh" else ", ".join(unfinished),
                )
                + "\n",
                style="bold red",
            )
        missing = [f"{clean(t.team)} {len(t.missing)}" for t in result.teams if t.missing]
        if missing:
            chart.append(
                "* " + self.t("debrief.missing_list", teams=", ".join(missing)) + "\n", style="red"
            )
        settings = result.settings
        weights = Text(totals_formula(settings, self.lang), style="dim")
        default = self.room.case.scenario.default_language
        shown = [*rubrics, *self.room.case.classroom_rubrics.values()]
        for line in percent_legends(shown, self.lang, default):
            weights.append("\n" + clean(line))
        return Group(
            table, Text(""), Text(self.t("debrief.total"), style="bold underline"), chart, weights
        )

    def _knowledge(self, result: SessionResult) -> RenderableType:
        sc = self.room.case.scenario
        table = Table(expand=True)
        table.add_column("")
        for team in result.teams:
            table.add_column(
                Text(clean(team.team), style="bold"), justify="center", overflow="fold"
            )
        for point in sc.knowledge_points:
            cells: list[RenderableType] = [Text(clean(self.t_author(point.title)))]
            for team in result.teams:
                hit = point.id in team.knowledge_applied
                cells.append(Text("✓" if hit else "✗", style="bold green" if hit else "red"))
            table.add_row(*cells)
        return table

    def _summary(self, result: SessionResult) -> RenderableType:
        """The teacher's word: on the class first, then team by team."""
        text = Text()
        if result.class_summary:
            text.append(self.t("summary.whole_class") + "\n", style="bold underline")
            text.append(clean(result.class_summary) + "\n\n")
        for team in result.teams:
            if team.summary:
                text.append(f" {clean(team.team)} ", style="bold reverse")
                text.append("\n" + clean(team.summary) + "\n\n")
        if not text.plain:
            text.append(self.t("debrief.no_summary"), style="dim")
        return Wrapped(text)

    def _questions(self, result: SessionResult) -> RenderableType:
        sc = self.room.case.scenario
        text = Text()
        questions = sc.debrief.questions if sc.debrief else ()
        for number, question in enumerate(questions, 1):
            text.append(f"{number}. ", style="bold")
            text.append(clean(self.t_author(question)) + "\n\n")
        return Wrapped(text, indent=3)

    # Keys ------------------------------------------------------------------------------------

    def action_section(self, step: int) -> None:
        self.section = max(0, min(len(SECTIONS) - 1, self.section + step))
        self.redraw()

    def action_jump(self, index: int) -> None:
        self.section = index
        self.redraw()

    def action_weights(self) -> None:
        current = float(self.room.settings["auto_weight"])
        index = WEIGHTS.index(current) if current in WEIGHTS else -1
        auto = WEIGHTS[(index + 1) % len(WEIGHTS)]
        self.room.set(auto_weight=auto, human_weight=round(1 - auto, 2))
        self.section = SECTIONS.index("scores")
        self.redraw()

    def action_policy(self) -> None:
        current = self.room.settings["policy"]
        policy = POLICIES[(POLICIES.index(current) + 1) % len(POLICIES)]
        self.room.set(policy=policy)
        self.section = SECTIONS.index("scores")
        self.redraw()

    def action_ratings(self) -> None:
        from sim.tui.screens.rating import RatingScreen

        self.app.push_screen(
            RatingScreen(self.room, tuple(self.room.order), advance=False), lambda _: self.redraw()
        )

    def action_summary(self) -> None:
        """Write or edit the summary of a team or of the class, then show them all."""
        from sim.tui.screens.summary import PickSummary, SummaryScreen

        def edited(_: object) -> None:
            self.section = SECTIONS.index("summary")
            self.redraw()

        def picked(target: object) -> None:
            if target is False:
                return
            team = target if isinstance(target, str) else None
            self.app.push_screen(SummaryScreen(self.room, team), edited)

        self.app.push_screen(PickSummary(self.room), picked)

    def action_export(self) -> None:
        """The class's report (HTML), grade sheet (CSV) and Markdown, in the exports folder."""
        from sim.tui.export import export_and_tell

        export_and_tell(self.sim, self.room.session_id)

    def action_leave(self) -> None:
        from sim.tui.screens.class_play import leave_class

        leave_class(self, self.room.session_id)
