"""Results: the ending, the scorecard with descriptors and evidence, knowledge, the real outcome."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Static

from sim.practice import Attempt, endings_found
from sim.prose import escape_markdown
from sim.scoring import knowledge_touched
from sim.tui.prose_view import markdown_view
from sim.tui.run_view import feedback_text
from sim.tui.screens.base import SimModal, SimScreen
from sim.tui.text import clean, local, local_markdown, plain
from sim.tui.widgets.choice_list import ChoiceList
from sim.tui.widgets.scorecard import ScorecardView
from sim.tui.wrap import Wrapped


class EndScreen(SimScreen):
    KEYS = [
        ("r", "replay", "key.replay", True),
        ("d", "replay_from", "key.replay_from", True),
        ("escape", "catalogue", "key.catalogue", True),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        with VerticalScroll(id="results"):
            yield Static(id="ending", markup=False)
            yield ScorecardView(id="scorecard")
            yield Static(id="knowledge", markup=False)
            yield Static(id="feedback", markup=False)
            yield Static(id="real")
            yield Static(id="path", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#results").focus()

    def redraw(self) -> None:
        case = self.attempt.case
        sc = case.scenario
        default = sc.default_language

        def t(text: object) -> str:
            return local(text, self.lang, default)  # type: ignore[arg-type]

        run = self.attempt.run
        self.query_one("#title", Static).update(
            plain(f"{t(sc.title)} — {self.t('end.title')}", "bold")
        )
        ending = sc.ending(run.ending or "")
        head = Text()
        if ending is not None:
            head.append(f"{self.t('end.ending')}{self.t('colon')}", style="bold")
            head.append(clean(t(ending.title) or ending.id), style="bold")
            outcome = self.t("outcome." + ending.outcome)
            aside = self.t("end.outcome_is", o=outcome)
            aside = f"（{aside}）" if self.lang == "zh" else f"  ({aside})"
            head.append(aside + "\n", style="dim")
            if ending.text:
                head.append(clean(t(ending.text)) + "\n")
        found = endings_found(self.sim.store, case)
        head.append(
            self.t("end.discovered", found=len(found), total=len(sc.endings)) + "\n", style="dim"
        )
        state = self.t("comma").join(
            f"{clean(t(var.label)) or name} {run.values[name]:g} {var.unit or ''}".rstrip()
            for name, var in sc.state.items()
        )
        if state:
            head.append(f"{self.t('end.state')}{self.t('colon')}{state}\n", style="dim")
        self.query_one("#ending", Static).update(Wrapped(head))
        self.query_one("#scorecard", ScorecardView).show(sc, self.attempt.scorecard(), self.lang)

        taught, touched = knowledge_touched(sc, run.steps, case.rubrics)
        knowledge = Text()
        hit = [kp for kp in sc.knowledge_points if kp.id in taught]
        missed = [kp for kp in sc.knowledge_points if kp.id not in taught]
        if hit:
            knowledge.append(f"\n{self.t('end.knowledge_hit')}\n", style="bold")
            for kp in hit:
                knowledge.append(f"  ✓ {clean(t(kp.title))}\n", style="green")
        if missed:
            knowledge.append(f"\n{self.t('end.knowledge_missed')}\n", style="bold")
            for kp in missed:
                knowledge.append(f"  ✗ {clean(t(kp.title))}")
                if kp.id in touched:  # a weak choice named it: say so, it is not "applied"
                    knowledge.append(f"  {self.t('end.misapplied')}", style="yellow")
                knowledge.append("\n")
                if kp.summary:
                    knowledge.append(f"    {clean(t(kp.summary))}\n", style="dim")
        self.query_one("#knowledge", Static).update(Wrapped(knowledge, hang=True))

        feedback = Text()
        held = self.attempt.settings.get("feedback", self.sim.feedback) != "immediate"
        if held:
            feedback.append(f"\n{self.t('end.feedback')}\n", style="bold")
            feedback.append_text(feedback_text(sc, run.steps, self.lang))
        self.query_one("#feedback", Static).update(Wrapped(feedback, hang=True))

        # Authors write the real outcome in Markdown (bold lead-ins, lists), as the case text.
        real: list[str] = []
        if sc.debrief and sc.debrief.real_outcome:
            real += [
                f"## {self.t('end.real')}",
                "",
                local_markdown(sc.debrief.real_outcome, self.lang, default),
                "",
            ]
        if sc.debrief and sc.debrief.questions:
            real += [f"## {self.t('end.questions')}", ""]
            for number, question in enumerate(sc.debrief.questions, 1):
                real.append(f"{number}. {escape_markdown(t(question))}")
        self.query_one("#real", Static).update(markdown_view("\n".join(real)))

    def action_replay(self) -> None:
        from sim.tui.screens.play import PlayScreen

        attempt = Attempt.begin(self.attempt.case, self.sim.store, self.attempt.settings)
        self.app.switch_screen(PlayScreen(attempt))

    def action_replay_from(self) -> None:
        steps = self.attempt.run.steps
        if not steps:
            return

        def chosen(index: object) -> None:
            if not isinstance(index, int):
                return
            from sim.tui.screens.play import PlayScreen

            attempt = Attempt.begin(
                self.attempt.case,
                self.sim.store,
                self.attempt.settings,
                steps=steps[:index],
                replayed_from=self.attempt.session_id,
            )
            self.app.switch_screen(PlayScreen(attempt))

        self.app.push_screen(PickStep(self.attempt), chosen)

    def action_catalogue(self) -> None:
        self.sim.back_to_home()


class HistoryEndScreen(EndScreen):
    """An attempt's results opened from the history: Esc goes back to the history."""

    KEYS = [*EndScreen.KEYS[:-1], ("escape", "back", "key.back", True)]

    def action_back(self) -> None:
        self.dismiss()


class PickStep(SimModal):
    """Which decision to replay from: the run restarts with every step before it."""

    KEYS = [("escape", "cancel", "key.back", True)]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        yield Static(id="pick-title", classes="title")
        yield ChoiceList(id="steps")
        yield Footer(compact=True)

    def redraw(self) -> None:
        sc = self.attempt.case.scenario
        self.query_one("#pick-title", Static).update(plain(self.t("end.pick_step"), "bold"))
        items = []
        for index, step in enumerate(self.attempt.run.steps):
            choice = next(c for c in sc.scenes[step.scene].choices if c.id == step.choice)
            items.append((str(index), local(choice.text, self.lang, sc.default_language)))
        steps = self.query_one("#steps", ChoiceList)
        steps.set_items(items)
        steps.focus()

    @on(OptionList.OptionSelected, "#steps")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
