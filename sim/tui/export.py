"""The export key of the debrief and history screens: write the session's reports, say where."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.i18n import tr
from sim.tui.text import clean

if TYPE_CHECKING:
    from sim.tui.app import SimApp


def export_and_tell(app: SimApp, session_id: int) -> bool:
    """Write the HTML, CSV, Markdown and JSON exports and notify the paths (or why not)."""
    from sim.cases import CaseError
    from sim.report import ReportError, export_session

    try:
        written = export_session(app.store, session_id, app.lang)
    except (ReportError, CaseError) as problem:
        message = problem.message if isinstance(problem, CaseError) else str(problem)
        app.notify(clean(message), severity="error", timeout=10)
        return False
    folder = written[0].parent
    # One name a line: a notice wraps at its own width and would split `session-2.html`.
    names = "\n".join(f"· {path.name}" for path in written)
    app.notify(tr("export.done", app.lang, folder=str(folder), names=names), timeout=12)
    return True
