"""Stats: what the stored sessions of a case add up to, as tables and bars (`sim stats`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from sim.cases import Case
from sim.tui.screens.base import SimScreen
from sim.tui.text import plain

if TYPE_CHECKING:
    from sim.report.stats import StatsView
    from sim.stats import CaseStats
    from sim.store import Store

BAR = 16


class StatsScreen(SimScreen):
    KEYS = [
        ("x", "export", "key.export", True),
        ("escape", "back", "key.back", True),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case
        self.stats: CaseStats | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        with VerticalScroll(id="stats"):
            yield Static(id="stats-body")
        yield Static(id="hint", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#stats").focus()
        self.load(self.sim.store)  # the app's own store is opened here, on the app's thread

    @work(thread=True, exclusive=True)
    def load(self, app_store: Store) -> None:
        """Read in a worker with a handle of its own on the app's store (SQLite connections
        are per thread; a PostgreSQL store takes a connection from its pool)."""
        from sim.report.stats import read_stats

        store = app_store.reopen()
        try:
            stats = read_stats(store, self.case)
        finally:
            store.close()
        self.app.call_from_thread(self.loaded, stats)

    def loaded(self, stats: CaseStats) -> None:
        self.stats = stats
        self.redraw()

    def view(self) -> StatsView | None:
        from sim.report.stats import stats_view

        return stats_view(self.stats, self.case, self.lang) if self.stats is not None else None

    def redraw(self) -> None:
        from sim.tui.text import local

        sc = self.case.scenario
        title = f"{self.t('stats.title')} — {local(sc.title, self.lang, sc.default_language)}"
        self.query_one("#title", Static).update(plain(title, "bold"))
        self.query_one("#hint", Static).update(plain(self.t("stats.hint"), "dim"))
        view = self.view()
        body = self.query_one("#stats-body", Static)
        body.update(plain(self.t("stats.loading")) if view is None else render(view))

    def action_export(self) -> None:
        """The one-page HTML report, in the data folder's exports/."""
        from sim.library import data_home
        from sim.report import ReportError, write_file
        from sim.report.stats import stats_html

        view = self.view()
        if view is None:
            return
        path = data_home() / "exports" / f"stats-{self.case.scenario.id}.html"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, stats_html(view), "html")
        except (OSError, ReportError) as problem:
            self.app.notify(str(problem), severity="error")
            return
        self.app.notify(self.t("stats.exported", path=str(path)))

    def action_back(self) -> None:
        self.dismiss()


def _bar(share: float) -> Text:
    from sim.report.stats import bar

    drawn = bar(share, BAR)
    return Text(drawn + " " * (BAR - len(drawn)), style="cyan")


def _num(value: float | None, digits: int = 1) -> str:
    from sim.report.stats import number

    return number(value, digits)


def _short(text: str, limit: int) -> str:
    from sim.prose import short

    return short(text, limit)


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold underline")


def render(view: StatsView) -> RenderableType:
    """The figures as plain rich renderables (case text never read as markup)."""
    L = view.labels
    parts: list[RenderableType] = [Text(view.totals)]
    if view.filters:
        parts.append(Text(view.filters, style="dim"))
    if view.empty:
        parts.append(Text(L["none"], style="italic"))
        return Group(*parts)
    parts.append(Text(view.overall))

    parts.append(_heading(L["endings"]))
    endings = Table.grid(padding=(0, 1))
    for row in view.endings:
        endings.add_row(Text(f"{row.count:>4}"), _bar(row.share), Text(_short(row.label, 44)))
    parts.append(endings)

    parts.append(_heading(L["decisions"]))
    parts.append(Text(L["decisions_note"], style="dim"))
    for d in view.decisions:
        spread = f"  Δ {_num(d.spread)}" if d.spread is not None else ""
        parts.append(Text(_short(d.title, 70) + spread, style="bold"))
        if not d.total:
            parts.append(Text("  " + L["not_reached"], style="dim"))
            continue
        grid = Table.grid(padding=(0, 1))
        for row in d.rows:
            mean = f"({_num(row.mean)})" if row.mean is not None else ""
            grid.add_row(
                Text(f"{row.count:>4}"), _bar(row.share), Text(_short(row.label, 40)), Text(mean)
            )
            for reason in row.children:
                line = Text(f"  {reason.count} × {_short(reason.label, 33)}", style="dim")
                if reason.warn:
                    line.append(" ✗", style="bold red")
                grid.add_row(Text(""), Text(""), line, Text(""))
        parts.append(grid)

    parts.append(_heading(L["criteria"]))
    parts.append(Text(L["criteria_note"], style="dim"))
    criteria = Table(box=None, padding=(0, 1), show_edge=False)
    criteria.add_column(L["criterion"])
    criteria.add_column(L["level"])
    criteria.add_column(L["mean"], justify="right")
    for c in view.criteria:
        levels = Text()
        for lv in c.levels:
            levels.append(f"{lv.points}:{lv.count} ")
            levels.append("█" * round(lv.share * 8), style="cyan")
            levels.append(" ")
        criteria.add_row(Text(_short(c.title, 22)), levels, Text(_num(c.mean, 2)))
    parts.append(criteria)

    parts.append(_heading(L["agreement"]))
    if not view.agreement:
        parts.append(Text(L["no_ratings"], style="dim"))
    for a in view.agreement:
        parts.append(Text(f"{a.title} · {a.classes_text} · α {_num(a.alpha, 2)}", style="bold"))
        table = Table(box=None, padding=(0, 1), show_edge=False)
        table.add_column(L["criterion"])
        for key in ("peer", "instructor", "difference", "alpha"):
            table.add_column(L[key], justify="right")
        for r in a.rows:
            table.add_row(
                Text(_short(r.title, 24)),
                _num(r.peer, 2),
                _num(r.instructor, 2),
                _num(r.difference, 2),
                _num(r.alpha, 2),
            )
        parts.append(table)
    parts.append(Text(L["agreement_note"], style="dim"))
    return Group(*parts)
