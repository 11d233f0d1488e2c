"""Reports made from a session or a case: debrief (HTML, Markdown), grade sheet (CSV), xAPI,
and the teams' preparation handout (HTML, Markdown)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sim.cases import Case
from sim.library import data_home
from sim.report.context import handout_view, session_language, session_view
from sim.report.sanitize import clean_line
from sim.report.source import ReportError, SessionSource, load_session
from sim.store.protocol import SESSION_ID_MAX, Store

if TYPE_CHECKING:
    from sim.report.lms import Lms

ReportFormat = Literal["html", "md", "csv", "xapi", "json"]
HandoutFormat = Literal["html", "md"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("html", "md", "csv", "xapi", "json")
BINARY_FORMATS = ("xlsx",)
"""Formats written as bytes (`render_workbook`), not text."""
HANDOUT_FORMATS: tuple[HandoutFormat, ...] = ("html", "md")
ENCODINGS: dict[str, str] = {
    "html": "utf-8",
    "md": "utf-8",
    "csv": "utf-8-sig",
    "xapi": "utf-8",
    "json": "utf-8",
}
"""How each format is written to a file: the grade sheet with a BOM for spreadsheet programs."""
SUFFIXES: dict[str, str] = {
    "html": "html",
    "md": "md",
    "csv": "csv",
    "xapi": "json",
    "json": "report.json",
    "xlsx": "xlsx",
}


def write_file(path: Path, text: str, fmt: str) -> None:
    """Write a report or handout in its format's encoding, line endings untouched."""
    path.write_text(text, encoding=ENCODINGS[fmt], newline="")


def export_path(session_id: int, fmt: str) -> Path:
    """Where the app saves a session's report: `exports/` in the data folder (SIM_HOME)."""
    return data_home() / "exports" / f"session-{session_id}.{SUFFIXES[fmt]}"


def render_report(
    source: SessionSource, fmt: ReportFormat, lang: str | None = None, lms: Lms | None = None
) -> str:
    """A session's report as text; write it with `ENCODINGS[fmt]`. `lms` (with csv) writes the
    grade sheet in that platform's import layout (it needs a roster: ReportError without)."""
    if lms is not None:
        from sim.report.gradesheet import sheet_csv
        from sim.report.lms import lms_sheet

        if fmt != "csv":
            raise ReportError(f"--lms {lms} writes a CSV file: use --format csv")
        return sheet_csv(lms_sheet(session_view(source, lang), lms))
    if fmt == "json":
        from sim.report.json_report import report_json

        return report_json(source, lang)
    view = session_view(source, lang)
    if fmt == "html":
        from sim.report.html import report_html

        return report_html(view)
    if fmt == "md":
        from sim.report.markdown import report_markdown

        return report_markdown(view)
    if fmt == "csv":
        from sim.report.gradesheet import grade_sheet_csv

        return grade_sheet_csv(view)
    from sim.report.xapi import statements_json

    language = session_language(source.result, source.case.scenario, lang)
    return statements_json(source, language)


def render_workbook(source: SessionSource, lang: str | None = None) -> bytes:
    """The grade sheet as an Excel workbook (.xlsx bytes): the CSV's rows, typed."""
    from sim.report.workbook import grade_sheet_xlsx

    return grade_sheet_xlsx(session_view(source, lang))


def emit_bytes(data: bytes, out: str | None) -> None:
    """Write a binary export to `out`, or to standard output when it is not a terminal (a
    workbook's bytes would only garble a terminal: then `--out` is asked for)."""
    if out:
        try:
            Path(out).write_bytes(data)
        except OSError as problem:
            raise ReportError(f"cannot write {out}: {problem.strerror or problem}") from None
        return
    raw = sys.__stdout__
    if raw is None or raw.isatty():
        raise ReportError("a workbook is a binary file: give --out FILE.xlsx (or redirect >)")
    sys.stdout.flush()
    raw.buffer.write(data)
    raw.buffer.flush()


def session_id_of(text: str) -> int:
    """A session id as typed on the command line; a clear ReportError for anything else."""
    try:
        number = int(text.strip())
    except ValueError:
        number = 0
    if not 1 <= number <= SESSION_ID_MAX:
        raise ReportError(
            f"`{clean_line(text)}` is not a session id (a number; `sim sessions` lists them)"
        )
    return number


def emit(text: str, fmt: str, out: str | None) -> None:
    """Write to the file `out` in the format's encoding, else to stdout as UTF-8 (no BOM:
    a pipe gets plain UTF-8; `--out` makes the grade sheet a spreadsheet program opens well)."""
    if out:
        try:
            write_file(Path(out), text, fmt)
        except OSError as problem:
            raise ReportError(f"cannot write {out}: {problem.strerror or problem}") from None
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    stream.write(text.encode("utf-8"))
    stream.flush()


def render_handout(
    case: Case, fmt: HandoutFormat, lang: str | None = None, case_map: bool = False
) -> str:
    """The preparation handout of a case as text (UTF-8); `case_map` adds the case's graph
    (HTML only, drawn by Graphviz: a ReportError when it is not installed)."""
    view = handout_view(case, lang)
    if case_map and fmt == "html":
        from dataclasses import replace

        from sim.analyze import analyze
        from sim.graph import case_graph, legend, to_dot
        from sim.report.graph_svg import dot_to_svg, inline_svg

        graph = case_graph(case, analyze(case.scenario, case.rubrics), view.lang)
        svg = inline_svg(dot_to_svg(to_dot(graph, view.lang)))
        view = replace(view, case_map=svg, case_map_legend=legend(view.lang))
    if fmt == "html":
        from sim.report.html import handout_html

        return handout_html(view)
    from sim.report.markdown import handout_markdown

    return handout_markdown(view)


__all__ = [
    "ENCODINGS",
    "HANDOUT_FORMATS",
    "REPORT_FORMATS",
    "ReportError",
    "SessionSource",
    "emit",
    "emit_bytes",
    "export_path",
    "load_session",
    "render_handout",
    "render_report",
    "render_workbook",
    "session_id_of",
    "write_file",
]


EXPORTED: tuple[ReportFormat, ...] = ("html", "csv", "md", "json")
"""What the app's export key writes: the report to open or print, the grade sheet, the text,
and the debrief as data."""


def export_session(store: Store, session_id: int, lang: str | None = None) -> list[Path]:
    """Write a session's report, grade sheet and Markdown into the data folder's `exports/`.

    For the screens' export key; raises ReportError (or CaseError) with a message to show.
    """
    source = load_session(store, session_id)
    written = []
    for fmt in EXPORTED:
        path = export_path(session_id, fmt)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, render_report(source, fmt, lang), fmt)
        except OSError as problem:
            raise ReportError(f"cannot write {path}: {problem.strerror or problem}") from None
        written.append(path)
    return written
