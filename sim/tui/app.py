"""The App: screens, themes, language, and the global keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.reactive import reactive
from textual.screen import Screen

from sim.i18n import UI_LANGUAGES, tr
from sim.tui.screens.base import LocalizedMixin
from sim.tui.settings import load_preferences, save_preferences
from sim.tui.themes import DARK, PROJECTOR, THEMES

if TYPE_CHECKING:
    # Types only: the models and the store load when first used, after Home's first frame.
    from textual.notifications import SeverityLevel

    from sim.cases import Case, CaseError
    from sim.classroom import Classroom
    from sim.store import Store
    from sim.store.sqlite_file import SqliteFile
    from sim.web.projector import InAppServer


class SimApp(App[None]):
    """`sim` with no arguments opens Home; `sim play CASE` opens the case's briefing over it."""

    CSS_PATH = "styles/app.tcss"  # what Home needs; the other screens bring the rest (base.py)
    TITLE = "sim"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("l", "toggle_language", "中/EN"),
        Binding("t", "toggle_theme", "☀/☾"),
        Binding("question_mark", "help", "?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]
    crash_log: Path | None = None

    lang: reactive[str] = reactive("zh")

    def __init__(
        self,
        case: Case | None = None,
        lang: str | None = None,
        store: Store | None = None,
        database: SqliteFile | None = None,
        extra_cases: list[Path] | None = None,
        theme: str | None = None,
        classroom: Classroom | None = None,
        edited: Case | None = None,
        watch: Path | None = None,
        watch_problem: CaseError | None = None,
        served: InAppServer | None = None,
    ) -> None:
        super().__init__()
        self.watch_path = watch
        """`sim play FILE --watch`: the case file to reload as it is saved (see sim.tui.watch)."""
        self.watch_problem = watch_problem
        """Why the watched file could not be loaded at start (the app opens anyway)."""
        self.start_case = case
        self.start_class = classroom
        self.start_edited = edited
        """The resumed class's case file as it is now, when it changed since it was played."""
        self.served = served
        """`sim class --serve`: the class's web face, run on this app's loop (see
        `sim.web.projector`); None when the class is not served to devices."""
        self.extra_cases = extra_cases or (
            [case.path] if case else ([watch] if watch is not None else [])
        )
        self._store = store
        self._database = database
        """The data folder's database, opened and checked before the app ran (`sim` alone),
        until `store` builds the store on it at first use."""
        # Remembered from the last run (settings.json in the data folder); an explicit
        # argument (`--lang en`) wins for this run without changing what is remembered.
        self.preferences = load_preferences()
        self.register_theme(PROJECTOR)
        self.theme = theme or self.preferences.theme
        if lang in UI_LANGUAGES:
            self.set_reactive(SimApp.lang, lang)
        elif self.preferences.lang in UI_LANGUAGES:
            self.set_reactive(SimApp.lang, self.preferences.lang)
        elif case is not None and case.scenario.default_language in UI_LANGUAGES:
            self.set_reactive(SimApp.lang, case.scenario.default_language)

    def remember(self, **changes: Any) -> None:
        """Change and save preferences (theme, lang, feedback, gauges) for the next run."""
        self.preferences = self.preferences.with_(**changes)
        save_preferences(self.preferences)

    @property
    def feedback(self) -> str:
        """When practice shows feedback: "immediate" (after each choice) or "end"."""
        return self.preferences.feedback

    @feedback.setter
    def feedback(self, value: str) -> None:
        self.remember(feedback=value)

    @property
    def gauges(self) -> bool:
        """Whether practice shows the gauges (off is the realistic mode)."""
        return self.preferences.gauges

    @gauges.setter
    def gauges(self, value: bool) -> None:
        self.remember(gauges=value)

    @property
    def store(self) -> Store:
        if self._store is None and self._database is not None:
            from sim.store.sqlite import SqliteStore

            self._store = SqliteStore(self._database.path, self._database)
            self._database = None
        if self._store is None:
            from sim.store import open_store

            self._store = open_store()
        return self._store

    def get_default_screen(self) -> Screen[Any]:
        """Home is the bottom of the stack: drawn as the very first frame, never popped."""
        from sim.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.title = tr("app.title", self.lang)
        if self.start_case is not None:
            from sim.tui.screens.briefing import BriefingScreen

            self.push_screen(BriefingScreen(self.start_case))
        if self.start_class is not None:
            from sim.tui.screens.class_play import ClassScreen
            from sim.tui.screens.debrief import DebriefScreen

            room = self.start_class
            if self.served is not None:
                self._serve_devices()
            self.push_screen(
                DebriefScreen(room) if room.finished else ClassScreen(room, self.start_edited)
            )
        self.relabel()
        if self.watch_path is not None:
            self._start_watching()
        elif self.start_case is None and self.start_class is None:
            self.call_after_refresh(self.offer_resume_after_crash)  # after Home's first frame

    # `sim play FILE --watch` -----------------------------------------------------------------

    WATCH_INTERVAL_S = 0.5

    def _start_watching(self) -> None:
        from sim.tui.watch import CaseWatcher

        assert self.watch_path is not None
        self.watcher = CaseWatcher(self.watch_path, self.start_case)
        self.notify(tr("watch.started", self.lang, path=str(self.watch_path)), timeout=6)
        if self.watch_problem is not None:
            self._show_watch_errors(self.watch_problem)
        self.set_interval(self.WATCH_INTERVAL_S, self.check_watched)

    def check_watched(self) -> None:
        """Reload the case if one of its files changed since the last look."""
        from sim.cases import CaseError, load_case

        if not self.watcher.changed():
            return
        try:
            case = load_case(self.watcher.path)
        except CaseError as problem:
            self._show_watch_errors(problem)
            return
        self.watcher.follow(case)
        from sim.tui.screens.watch_errors import WatchErrors

        while isinstance(self.screen, WatchErrors):
            self.pop_screen()
        self._swap_case(case)

    def _show_watch_errors(self, problem: CaseError) -> None:
        from sim.tui.screens.watch_errors import WatchErrors

        if isinstance(self.screen, WatchErrors):
            self.screen.show(problem.findings, problem.message)
            return
        playable = self.start_case is not None
        self.push_screen(WatchErrors(problem.findings, problem.message, playable))

    def _swap_case(self, case: Case) -> None:
        """Play on with the reloaded case: the briefing shows it, a run in progress is replayed
        on it as far as its moves still exist, and the author is told how far that was."""
        from sim.tui.screens.briefing import BriefingScreen
        from sim.tui.screens.end import EndScreen
        from sim.tui.screens.play import PlayScreen
        from sim.tui.watch import replay

        first = self.start_case is None
        self.start_case = case
        for screen in self.screen_stack:
            if isinstance(screen, BriefingScreen):
                screen.case = case
                if screen.is_mounted:
                    screen.redraw()
        running = next(
            (s for s in reversed(self.screen_stack) if isinstance(s, PlayScreen | EndScreen)), None
        )
        if running is None:
            if first:
                self.push_screen(BriefingScreen(case))
            return
        while self.screen is not running:
            self.pop_screen()
        result = replay(case, self.store, running.attempt)
        finished = result.attempt.run.finished and isinstance(running, EndScreen)
        self.switch_screen(EndScreen(result.attempt) if finished else PlayScreen(result.attempt))
        if result.stopped is None:
            message = tr("watch.reloaded", self.lang, kept=result.kept, total=result.total)
        else:
            message = tr(
                "watch.stopped", self.lang, n=result.kept + 1, why=result.stopped, kept=result.kept
            )
        self.notify(
            message,
            severity="information" if result.stopped is None else "warning",
            timeout=3 if result.stopped is None else 6,
        )

    def _serve_devices(self) -> None:
        """Start the web face on this loop; a change it sees (a device's move, another
        process's) reaches every class screen as a `ClassChanged` message, after the request
        that made it has been answered."""
        served = self.served
        assert served is not None

        def changed(version: int) -> None:
            self.call_later(self._tell_screens)

        def failed(line: str) -> None:
            self.call_later(self.notify, line, severity="error")

        def stopped(problem: str) -> None:
            self.call_later(
                self.notify,
                tr("class.server_down", self.lang, problem=problem),
                severity="error",
                timeout=30,
            )

        served.listen(changed)
        served.start(failed, stopped)

    def _tell_screens(self) -> None:
        from sim.tui.screens.base import ClassChanged

        for screen in self.screen_stack:
            screen.post_message(ClassChanged())

    def class_moved(self) -> None:
        """The app itself moved the class: wake the devices' pages at once (not at the
        watcher's next look)."""
        if self.served is not None:
            self.served.publish()

    def relabel(self) -> None:
        """The app-wide keys' footer labels, in the current language."""
        self._bindings = BindingsMap(
            [
                Binding("l", "toggle_language", "中/EN"),
                Binding("t", "toggle_theme", tr("key.theme", self.lang)),
                Binding("question_mark", "help", tr("key.help", self.lang)),
                Binding("ctrl+q", "quit", tr("key.quit", self.lang), show=False, priority=True),
            ]
        )
        self.screen.refresh_bindings()

    def offer_resume_after_crash(self) -> None:
        """The last run crashed: list what can be resumed (once; the log stays on disk)."""
        from sim.crash import acknowledge, pending_crash

        log = pending_crash()
        if log is None:
            return
        acknowledge()
        from sim.tui.screens.crash_notice import CrashNotice

        self.push_screen(CrashNotice(log))

    def _handle_exception(self, error: Exception) -> None:
        """A bug reached the top: keep its details in a crash log before Textual exits."""
        if self.crash_log is None:
            from sim.crash import write_crash_log

            self.crash_log = write_crash_log(error, f"screen: {type(self.screen).__name__}")
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """No traceback on the user's terminal: `crash_notice()` is printed after exit instead."""
        self.bell()
        self._close_messages_no_wait()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: its message carries team names, paths and case text
        (`[/]` as a team name or in SIM_HOME crashed the app as markup). Widgets' `notify`
        passes its own `markup=True` default through, so the argument is ignored here."""
        from sim.tui.text import clean

        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def crash_notice(self) -> str | None:
        """The one line to print after a crash: where the log is and how to resume."""
        if self.return_code != 1 or self._exception is None:
            return None
        where = str(self.crash_log) if self.crash_log else "-"
        from sim.store.protocol import StoreError

        if isinstance(self._exception, StoreError):
            # Not "every move is saved": the store is what failed.
            return tr("crash.store", self.lang, problem=str(self._exception), path=where)
        return tr("crash.message", self.lang, path=where)

    def watch_lang(self, lang: str) -> None:
        self.remember(lang=lang)
        self.title = tr("app.title", lang)
        if self.screen_stack:
            self.relabel()
        for screen in self.screen_stack:
            if isinstance(screen, LocalizedMixin) and screen.is_mounted:
                screen.relabel()

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    def action_toggle_theme(self) -> None:
        self.theme = (
            THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)] if self.theme in THEMES else DARK
        )
        self.remember(theme=self.theme)

    def action_help(self) -> None:
        from sim.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def back_to_home(self) -> None:
        from sim.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    async def on_unmount(self) -> None:
        if self.served is not None:  # the server uses the store: it stops first
            await self.served.stop()
        if self._store is not None:
            self._store.close()
        if self._database is not None:  # checked at start, never used
            self._database.close()
