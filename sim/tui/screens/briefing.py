"""Briefing: the case text, the roles with persona notes, what to watch for and how it is scored."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from sim.cases import Case
from sim.i18n import tr
from sim.practice import Attempt, unfinished_attempt
from sim.prose import escape_markdown
from sim.tui.prose_view import markdown_view
from sim.tui.screens.base import SimScreen
from sim.tui.screens.edited_case import resume_attempt
from sim.tui.text import local, local_markdown, plain


def lead(lang: str) -> str:
    """What joins a bold lead-in to its text: Chinese puts a full-width colon and no space."""
    return "：" if lang == "zh" else ": "


def listing(items: list[str], lang: str) -> str:
    """Items in a run of text: `、` between them in Chinese, `, ` in English."""
    return ("、" if lang == "zh" else ", ").join(items)


def briefing_markdown(case: Case, lang: str) -> str:
    """The case, the roles with persona notes, the knowledge points and the rubrics.

    Shared by the practice briefing and the class's projected briefing (`b`).
    """
    sc = case.scenario
    default = sc.default_language

    def t(text: object) -> str:
        # Plain author text inside the Markdown built here: escaped, so it stays as typed.
        return escape_markdown(local(text, lang, default))  # type: ignore[arg-type]

    colon = lead(lang)
    story = local_markdown(sc.case, lang, default) or t(sc.summary)
    # A case text that opens with its own heading ("## 案例") needs no second one.
    heading = [] if story.lstrip().startswith("#") else [f"## {tr('briefing.case', lang)}", ""]
    parts = [*heading, story, ""]
    if sc.roles:
        parts += [f"## {tr('briefing.roles', lang)}", ""]
        for role in sc.roles:
            persona = f"{colon}{t(role.persona)}" if role.persona else ""
            parts.append(f"- **{t(role.name)}**{persona}")
        parts.append("")
    if sc.knowledge_points:
        parts += [f"## {tr('briefing.knowledge', lang)}", ""]
        for kp in sc.knowledge_points:
            summary = f"{colon}{t(kp.summary)}" if kp.summary else ""
            parts.append(f"- **{t(kp.title)}**{summary}")
        parts.append("")
    rubrics = list(case.rubrics.values())
    if rubrics:
        parts += [f"## {tr('briefing.assessed', lang)}", ""]
        for rubric in rubrics:
            criteria = listing([t(c.title) for c in rubric.criteria], lang)
            parts.append(f"- **{t(rubric.title)}**{colon}{criteria}")
    return "\n".join(parts)


class BriefingScreen(SimScreen):
    KEYS = [
        ("enter", "start", "key.start", True),
        ("n", "new_attempt", "key.new", True),
        ("f", "toggle_feedback", "key.feedback", True),
        ("g", "toggle_gauges", "key.gauges", True),
        # Off the footer, which is full at 80 columns; Home's footer shows `s`.
        ("s", "stats", "stats.key", False),
        ("escape", "back", "key.back", True),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        with VerticalScroll(id="briefing"):
            yield Static(id="case-text")
        yield Static(id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#briefing").focus()

    def redraw(self) -> None:
        sc = self.case.scenario
        self.query_one("#title", Static).update(
            plain(local(sc.title, self.lang, sc.default_language), "bold")
        )
        self.query_one("#case-text", Static).update(markdown_view(self.markdown()))
        self.show_status()

    def markdown(self) -> str:
        return briefing_markdown(self.case, self.lang)

    def show_status(self) -> None:
        pending = unfinished_attempt(self.sim.store, self.case.scenario.id)
        start = (
            self.t("briefing.resume", n=pending)
            if pending is not None
            else self.t("briefing.start")
        )
        feedback = self.t(
            "briefing.feedback_immediate"
            if self.sim.feedback == "immediate"
            else "briefing.feedback_end"
        )
        gauges = "" if self.sim.gauges else " · " + self.t("play.gauges_hidden")
        self.query_one("#status", Static).update(plain(f"{start} · {feedback}{gauges}"))

    def _settings(self) -> dict[str, object]:
        return {"lang": self.lang, "feedback": self.sim.feedback, "gauges": self.sim.gauges}

    def action_start(self) -> None:
        from sim.tui.screens.play import PlayScreen

        store = self.sim.store
        pending = unfinished_attempt(store, self.case.scenario.id)
        if pending is not None:
            resumed = resume_attempt(self, pending, self.case)
            if resumed is not None:
                self.app.push_screen(PlayScreen(*resumed))
            return
        self.app.push_screen(PlayScreen(Attempt.begin(self.case, store, self._settings())))

    def action_new_attempt(self) -> None:
        from sim.tui.screens.play import PlayScreen

        self.app.push_screen(PlayScreen(Attempt.begin(self.case, self.sim.store, self._settings())))

    def action_toggle_feedback(self) -> None:
        self.sim.feedback = "end" if self.sim.feedback == "immediate" else "immediate"
        self.show_status()

    def action_toggle_gauges(self) -> None:
        self.sim.gauges = not self.sim.gauges
        self.show_status()

    def action_stats(self) -> None:
        from sim.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.case))

    def action_back(self) -> None:
        self.dismiss()
