"""Home: the catalogue of bundled and local cases, filterable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from sim.catalog import Entry, Summary, load_catalogue, read_catalogue
from sim.tui.screens.base import SCREEN_STYLES, SimScreen
from sim.tui.text import clean, local, plain
from sim.tui.widgets.choice_list import WrappingOptionList
from sim.tui.wrap import Wrapped

if TYPE_CHECKING:
    from sim.cases import Case


class HomeScreen(SimScreen):
    CSS_PATH = None  # app.tcss holds Home's rules; the other screens' load with them
    KEYS = [
        ("enter", "practise", "key.practise", True),
        ("c", "start_class", "key.class", True),
        ("h", "history", "key.history", True),
        ("s", "stats", "stats.key", True),
        ("slash", "focus_filter", "key.filter", True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []

    def compose(self) -> ComposeResult:
        # The filter and the detail pane join right after the first frame (`complete`).
        yield Static(id="title", classes="title")
        with Horizontal(id="catalogue"):
            yield WrappingOptionList(id="cases")
        yield Static(id="hint", classes="status")

    def on_mount(self) -> None:
        # The list is what a user waits for: from the cache it costs a few milliseconds of
        # `json`, so it is in the first frame (drawn once, by the redraw that mounting
        # does); otherwise the first frame comes first.
        listed = read_catalogue(self.sim.extra_cases)
        self.entries = listed or []
        # No `super().on_mount()`: Textual calls SimScreen's own after this one, and its
        # relabel draws the list (calling it here too drew it twice before the first frame).
        self.query_one("#cases", OptionList).focus()
        self.call_after_refresh(self.complete)
        if listed is None:
            self.call_after_refresh(self.load)
        else:
            # Not at once: an import thread holding the GIL would hold back the frame's
            # output; half a second on, the list has long been on screen.
            self.set_timer(0.5, self.warm_up)
        self.set_timer(0.6, self.read_screen_styles)

    def complete(self) -> None:
        """Mount the filter, the detail pane and the footer's keys, right after the first
        frame: what a user waits for is the list, and styling, laying out and drawing these
        three took 77 M instructions before it (a quarter of what `sim` spent beyond a
        minimal Textual app; issue 22). Once done, the screen is the one composed with all of
        them: same order, focus still on the list. Idempotent, so a key that needs one of them
        can complete the screen first."""
        if self.query("#filter"):
            return
        self.mount(Input(placeholder=self.t("home.filter"), id="filter"), before="#catalogue")
        detail = Static(self._detail(), id="detail", markup=False)
        self.query_one("#catalogue").mount(Vertical(detail, id="detail-pane"))
        self.mount(Footer(compact=True))
        # The footer lists the keys when told they changed, after it has mounted.
        self.call_after_refresh(self.refresh_bindings)

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        entries = load_catalogue(self.sim.extra_cases)  # imports the models as it goes
        self.app.call_from_thread(self.loaded, entries)

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Import the models while the user reads the list, so opening a case is quick."""
        import sim.cases  # noqa: F401

    def read_screen_styles(self) -> None:
        """Read the other screens' rules into the stylesheet while the user reads the list,
        so opening the first of them does not stop to re-parse it (Home's first frame does
        without those rules: see `SCREEN_STYLES`). On the app's thread: the stylesheet is
        the app's."""
        stylesheet = self.app.stylesheet
        fresh = [path for path in SCREEN_STYLES if not stylesheet.has_source(str(path), "")]
        for path in fresh:
            stylesheet.read(path)
        if fresh:
            stylesheet.reparse()
            stylesheet.update(self.app)

    def loaded(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.refilter()

    def redraw(self) -> None:
        self.query_one("#title", Static).update(plain(self.t("home.title"), "bold"))
        for field in self.query("#filter").results(Input):
            field.placeholder = self.t("home.filter")
        self.query_one("#hint", Static).update(plain(self.t("home.hint"), "dim"))
        self.refilter()

    def _title(self, entry: Entry) -> str:
        if entry.summary is None:
            return entry.path.stem
        sc = entry.summary
        return local(sc.title, self.lang, sc.default_language)

    def refilter(self) -> None:
        cases = self.query_one("#cases", OptionList)
        needle = next((f.value for f in self.query("#filter").results(Input)), "")
        needle = needle.strip().lower()
        previous = cases.highlighted
        self.shown = [
            e
            for e in self.entries
            if not needle or needle in self._title(e).lower() or needle in e.id
        ]
        cases.clear_options()
        if not self.entries:
            cases.add_option(Option(plain(self.t("home.loading")), disabled=True))
            return
        if not self.shown:
            cases.add_option(Option(plain(self.t("home.none")), disabled=True))
            self.show_detail()
            return
        for entry in self.shown:
            line = Text()
            if entry.summary and entry.summary.minutes:
                # First, so that wrapping a long title never splits "30 分钟".
                minutes = self.t("home.minutes", n=entry.summary.minutes)
                line.append(minutes + " · ", style="dim")
            line.append(clean(self._title(entry)), style="bold" if entry.summary else "red")
            cases.add_option(Option(Wrapped(line, indent=2)))
        cases.highlighted = min(previous or 0, len(self.shown) - 1)
        self.show_detail()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#cases", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        field = self.focused
        if not (isinstance(field, Input) and field.id == "filter"):
            if event.key == "slash":
                # Here, not by the binding: keys reach this handler before any binding runs,
                # so the letters right behind `/` (`/air` typed fast or pasted) would all
                # pass while the list still had the keys, and be lost.
                event.stop()
                self.action_focus_filter()
            return
        if event.key == "escape":
            # Esc in the filter takes it back: the whole list again, and the keys to the list
            # (a student who typed a filter by mistake expects Esc to undo it; it did nothing).
            event.stop()
            field.value = ""
            self.query_one("#cases", OptionList).focus()
        elif event.is_printable and event.character:
            # A letter that reached the screen while the filter has the keys was sent to
            # the list before `/` moved them (`/air` typed fast or pasted): it is the
            # filter's. (The filter's own letters stop at the filter.)
            event.stop()
            field.insert_text_at_cursor(event.character)

    @on(OptionList.OptionHighlighted, "#cases")
    def _highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected, "#cases")
    def _selected(self) -> None:
        self.action_practise()

    def current(self) -> Entry | None:
        index = self.query_one("#cases", OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def show_detail(self) -> None:
        """The highlighted case in the detail pane (once the pane is mounted: `complete`)."""
        for detail in self.query("#detail").results(Static):
            detail.update(self._detail())

    def _detail(self) -> Wrapped | str:
        entry = self.current()
        if entry is None:
            return ""
        text = Text()
        if entry.summary is None:
            text.append(self.t("home.broken", n=len(entry.problems)) + "\n\n", style="bold red")
            for finding in entry.problems[:8]:
                text.append(clean(str(finding)) + "\n")
            return Wrapped(text)
        sc = entry.summary
        text.append(clean(local(sc.title, self.lang, sc.default_language)) + "\n", style="bold")
        meta = [sc.id, "/".join(sc.languages)]
        if sc.minutes:
            meta.append(self.t("home.minutes", n=sc.minutes))
        text.append(" · ".join(meta) + "\n\n", style="dim")
        text.append(clean(local(sc.summary, self.lang, sc.default_language)))
        return Wrapped(text)

    def action_focus_filter(self) -> None:
        self.complete()
        field = self.query_one("#filter", Input)
        if field.is_mounted:
            # At once: `focus()` waits until the keys already queued are handled, so the
            # letters of `/air` typed fast or pasted went to the list and were lost.
            self.set_focus(field)
        else:
            field.focus()

    def opened(self) -> Case | None:
        """The highlighted case, its models built now; None for a broken case.

        A case edited since it was listed is read as it is now: one that no longer loads
        takes its errors into the list instead of opening, one that does updates its line.
        """
        from sim.cases import CaseError

        entry = self.current()
        if entry is None or entry.summary is None:
            return None
        try:
            case = entry.open()
        except CaseError as problem:
            errors = [f for f in problem.findings if f.severity == "error"]
            self._replace(entry, Entry(entry.path, None, errors, entry.local))
            return None
        from sim.case_cache import summary_of

        now = Summary.from_json(summary_of(case))
        if now != entry.summary:
            self._replace(entry, Entry(entry.path, now, [], entry.local))
        return case

    def _replace(self, old: Entry, new: Entry) -> None:
        self.entries = [new if e is old else e for e in self.entries]
        self.refilter()

    def action_practise(self) -> None:
        case = self.opened()
        if case is not None:
            from sim.tui.screens.briefing import BriefingScreen

            self.app.push_screen(BriefingScreen(case))

    def action_start_class(self) -> None:
        case = self.opened()
        if case is not None:
            from sim.tui.screens.class_setup import ClassSetupScreen

            self.app.push_screen(ClassSetupScreen(case))

    def action_stats(self) -> None:
        case = self.opened()
        if case is not None:
            from sim.tui.screens.stats import StatsScreen

            self.app.push_screen(StatsScreen(case))

    def action_history(self) -> None:
        from sim.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.opened()))
