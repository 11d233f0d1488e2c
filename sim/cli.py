"""The `sim` command line: argument parsing only; the work is done by the core and the faces."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sim.cli_guard import budget, port_number, session_id

if TYPE_CHECKING:
    import argparse

    from sim.cases import Case
    from sim.classroom import Classroom
    from sim.engine import Run
    from sim.findings import Finding
    from sim.roster import Student
    from sim.store import Store
    from sim.store.sqlite_file import SqliteFile
    from sim.tui.app import SimApp

# Commands import what they use when they run: `sim` alone must reach Home's first frame
# without loading the models, the YAML reader or the store (benchmarks/run.py measures it).

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class NotJson(Exception):
    """A result holds NaN or an infinity, which JSON cannot carry."""


def _print_json(data: object) -> None:
    """JSON as the contract promises it: never `NaN` or `Infinity`, which parsers reject."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:
        raise NotJson(
            "the result holds a number that is not finite (NaN or infinity), which JSON cannot "
            "carry; `sim validate` the case and check its weights and points"
        ) from None
    print(text)


def _print_findings(findings: list[Finding], stream: TextIO | None = None) -> None:
    # The stream is looked up when called: the command's safe stdout, not the one at import.
    for finding in sorted(findings):
        print(finding, file=stream or sys.stdout)


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.cases import validate_paths

    findings = validate_paths([Path(p) for p in args.paths])
    _print_findings(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if getattr(args, "report", False):
        from sim.report.json_report import report_schema

        print(json.dumps(report_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    from sim.schema import format_schema

    _print_json(format_schema())
    return EXIT_OK


def _parse_choices(text: str) -> list[tuple[str, str | None]]:
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        choice, _, reason = item.partition(":")
        pairs.append((choice.strip(), reason.strip() or None))
    return pairs


def cmd_run(args: argparse.Namespace) -> int:
    from sim.cases import load_case
    from sim.headless import RunRefused, play_headless

    if args.team is not None and not args.record:
        print("sim run: --team names the team of a stored run: add --record", file=sys.stderr)
        return EXIT_USAGE
    if args.session is not None and (not args.record or args.team is None):
        print(
            "sim run: --session adds a paper team to a session: give --record --team NAME too",
            file=sys.stderr,
        )
        return EXIT_USAGE
    case = load_case(args.case)
    try:
        outcome = play_headless(case, _parse_choices(args.choices))
    except RunRefused as refusal:
        print(f"sim run: {refusal}", file=sys.stderr)
        return EXIT_ERRORS
    if args.record:
        from sim.store import open_store

        with open_store() as store:
            team = args.team or "solo"
            if args.session is not None:
                refused = _append_paper_team(store, args.session, case, team, outcome.run)
                if refused is not None:
                    print(f"sim run: nothing stored: {refused}", file=sys.stderr)
                    return EXIT_ERRORS
                session_id = args.session
            else:
                session_id = store.record_run(
                    case.scenario.id, case.stored_path, team, outcome.run, case.files
                )
        # Just the id, so scripts can read it (PRODUCT.md's contract).
        print(session_id, file=sys.stderr)
    if args.json:
        _print_json(outcome.as_json())
    else:
        print(outcome.as_text(args.lang))
    return EXIT_OK


def _append_paper_team(
    store: Store, session_id: int, case: Case, raw_team: str, run: Run
) -> str | None:
    """Add a paper team's run to session `session_id`; the reason it was refused, or None."""
    from sim.paper import PaperRefused, check_paper_team, paper_team_name
    from sim.store.protocol import TeamTaken

    try:
        team = paper_team_name(raw_team)
        declared = check_paper_team(
            store.session(session_id),
            session_id,
            case.scenario.id,
            team,
            store.events(session_id),
        )
        store.append_team_run(session_id, declared or team, run, declared=declared is not None)
    except (PaperRefused, TeamTaken) as refused:
        return str(refused)
    return None


def cmd_roster(args: argparse.Namespace) -> int:
    """Attach students to a session's teams from a CSV or .xlsx file; nothing if a row is bad."""
    from sim.roster import RosterError, roster_data
    from sim.roster_file import RosterFileError, load_roster
    from sim.store import open_store

    with open_store() as store:
        info = store.session(args.session)
        if info is None:
            print(
                f"sim roster: there is no session {args.session} (`sim sessions` lists them)",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        try:
            students = load_roster(Path(args.file), info.teams)
        except RosterFileError as unreadable:
            print(f"sim roster: {unreadable}", file=sys.stderr)
            return EXIT_ERRORS
        except RosterError as bad:
            for problem in bad.problems:
                print(problem.text(args.file), file=sys.stderr)
            print(
                f"sim roster: nothing attached: {len(bad.problems)} problem(s) in {args.file}; "
                "fix them and run the same command again",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        from sim.session import fold_roster

        before = fold_roster(store.events(args.session))
        store.append(args.session, "roster", None, roster_data(students))
    counts = ", ".join(f"{team} {sum(s.team == team for s in students)}" for team in info.teams)
    print(
        f"sim roster: {len(students)} student(s) attached to the teams of session "
        f"{args.session}: {counts}"
    )
    empty = [team for team in info.teams if not any(s.team == team for s in students)]
    if empty:
        print(f"sim roster: no students listed for team(s): {', '.join(empty)}")
    if before is not None:
        print(
            f"sim roster: this replaces the roster attached before ({len(before)} student(s)); "
            "the latest roster always counts, so run `sim roster` again to correct one"
        )
    else:
        print("sim roster: to correct it, run `sim roster` again: the latest roster counts")
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from sim.analyze import analyze
    from sim.cases import load_case
    from sim.headless import analysis_text

    case = load_case(args.case)
    analysis = analyze(case.scenario, case.rubrics, args.budget)
    if args.json:
        _print_json(analysis.as_json())
    else:
        print(analysis_text(case, analysis))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """A case's stored sessions summed up: as text, JSON, or a one-page HTML report."""
    from sim.cases import load_case
    from sim.report import ReportError, emit
    from sim.report.stats import SinceError, parse_since, read_stats, stats_text, stats_view
    from sim.store import open_store

    if args.format == "html" and args.json:
        print("sim stats: --json and --format html are two outputs: pick one", file=sys.stderr)
        return EXIT_USAGE
    if args.since is not None:
        try:
            parse_since(args.since)
        except SinceError as wrong:
            print(f"sim stats: --since {wrong}", file=sys.stderr)
            return EXIT_USAGE
    case = load_case(args.case)
    with open_store() as store:
        stats = read_stats(store, case, args.since, args.kind)
    if args.json:
        _print_json(stats.as_json())
        return EXIT_OK
    view = stats_view(stats, case, args.lang)
    try:
        if args.format == "html":
            from sim.report.stats import stats_html

            _write_page("stats", "statistics page", lambda _: stats_html(view), "html", args.out)
        else:
            emit(stats_text(view), "md", args.out)
    except ReportError as problem:
        print(f"sim stats: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_sessions(args: argparse.Namespace) -> int:
    from sim.store import open_store

    with open_store() as store:
        infos = store.sessions()
    if args.json:
        _print_json([info.as_json() for info in infos])
        return EXIT_OK
    if not infos:
        print("no sessions yet")
    from sim.textsafe import visible_line

    for info in infos:
        state = "finished" if info.finished else "open"
        # One row per session: a team named "A\nB" shows its newline escaped, not a new row.
        teams = ", ".join(visible_line(team) for team in info.teams)
        print(
            f"{info.id:>4}  {visible_line(info.created[:16])}  {info.kind:<9}  "
            f"{visible_line(info.scenario)}  [{teams}]  {info.events} events, {state}"
        )
    return EXIT_OK


def _open_app(case_name: str | None, lang: str | None) -> int:
    # The store is opened (and checked) before the app runs: a damaged, foreign, newer or
    # unwritable database is refused in the one line `sim sessions` gives, with `sim repair`,
    # instead of ending the app later as a crash. It loads no models (start-up stays light),
    # and for the data folder's SQLite file only the file itself is opened: the store around
    # it is built when the app first uses it, after Home's first frame.
    from sim.store.location import database_url

    store: Store | None = None
    database: SqliteFile | None = None
    if database_url() is not None:
        from sim.store import open_store

        store = open_store()
    else:
        from sim.store.sqlite_file import SqliteFile, database_path

        database = SqliteFile(database_path())
    try:
        case: Case | None = None
        if case_name:
            from sim.cases import load_case

            case = load_case(case_name)
        from sim.tui.app import SimApp

        app = SimApp(case=case, lang=lang, store=store, database=database)
    except BaseException:
        for opened in (store, database):
            if opened is not None:
                opened.close()
        raise
    return _run_app(app)  # the app closes the store when it unmounts


def _run_app(app: SimApp) -> int:
    """Run the app; after a crash, one line on stderr (the log has the details)."""
    app.run()
    notice = app.crash_notice()
    if notice is not None:
        print(notice, file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    if args.watch:
        return _watch_case(args.case, args.lang)
    return _open_app(args.case, args.lang)


def _watch_case(case_name: str, lang: str | None) -> int:
    """`sim play CASE --watch`: the app reloads the case as it is saved. Attempts go to a
    throwaway store (a preview is not history), and a file with errors opens the app anyway,
    showing them, so the author can fix it with the app open."""
    import shutil
    import tempfile

    from sim.cases import CaseError, find_case_path, load_case
    from sim.store.sqlite import SqliteStore
    from sim.tui.app import SimApp

    path = find_case_path(case_name).absolute()
    scratch = Path(tempfile.mkdtemp(prefix="sim-watch-"))
    try:
        store = SqliteStore(scratch / "preview.sqlite3")
        case: Case | None = None
        problem: CaseError | None = None
        try:
            case = load_case(path)
        except CaseError as refused:
            problem = refused
        app = SimApp(case=case, lang=lang, store=store, watch=path, watch_problem=problem)
        return _run_app(app)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def cmd_class(args: argparse.Namespace) -> int:
    """A classroom session in the app: a new one with --teams, or --resume an unfinished one."""
    from sim.store import open_store

    if args.serve:
        from sim.web import WebUnavailable, require_web

        try:
            require_web()
        except WebUnavailable as missing:
            print(f"sim class: {missing}", file=sys.stderr)
            return EXIT_ERRORS
    store = open_store()
    try:
        ready = _class_app(args, store)
    except BaseException:
        store.close()
        raise
    if isinstance(ready, int):  # refused before the app ran: no one else closes the store
        store.close()
        return ready
    app, room, lang = ready
    status = _run_app(app)  # the app closes the store when it unmounts
    if status == EXIT_OK and not room.finished:
        from sim.i18n import tr

        print(tr("class.saved", lang or "en", id=room.session_id), file=sys.stderr)
    return status


def _class_app(
    args: argparse.Namespace, store: Store
) -> tuple[SimApp, Classroom, str | None] | int:
    """The app that runs the class (with the class and its language), or the exit status of
    a class refused (said here)."""
    from sim.cases import edited_since, load_case, session_case
    from sim.classroom import ClassError, Classroom, parse_teams
    from sim.debrief import WeightsError, parse_weights

    edited: Case | None = None
    try:
        if args.resume is not None:
            info = store.session(args.resume)
            if info is None:
                raise ClassError(
                    f"there is no classroom session {args.resume} (see `sim sessions`)"
                )
            if info.kind != "classroom":
                raise ClassError(
                    f"session {args.resume} is a {info.kind} session, not a class "
                    "(`sim sessions` lists them; `sim report` shows any of them)"
                )
            # The texts the class was played with; a case named here, or the file it was
            # played from, is offered in the app if it has changed since (never taken silently).
            case = session_case(info, store)
            named = load_case(args.case) if args.case else None
            if named is not None and not case.files:  # stored before texts were kept
                case, named = named, None
            if named is not None and named.scenario.id != case.scenario.id:
                raise ClassError(
                    f"session {args.resume} is a class on `{case.scenario.id}`, not "
                    f"`{named.scenario.id}`"
                )
            edited = edited_since(case, named)
            room = Classroom.resume(case, store, args.resume)
            if args.roster is not None:  # a class list that arrived late, or a corrected one
                students = _class_roster(args.roster, room.order)
                if students is None:
                    return EXIT_ERRORS
                room.attach_roster(students)
        else:
            if args.case is None or args.teams is None:
                print(
                    "sim class: give a case and its teams, e.g. "
                    'sim class airline-ba008 --teams "A,B,C" (or --resume SESSION)',
                    file=sys.stderr,
                )
                return EXIT_USAGE
            teams, members = parse_teams(args.teams)
            settings: dict[str, object] = {
                "mode": args.mode,
                "feedback": args.feedback,
                "lang": args.lang,
            }
            if args.weights is not None:
                try:
                    auto, rated = parse_weights(args.weights)
                except WeightsError as wrong:
                    print(f"sim class: --weights: {wrong}", file=sys.stderr)
                    return EXIT_USAGE
                settings.update(auto_weight=auto, human_weight=rated)
            roster = None
            if args.roster is not None:
                roster = _class_roster(args.roster, teams)
                if roster is None:
                    return EXIT_ERRORS
            room = Classroom.begin(load_case(args.case), store, teams, members, settings, roster)
    except ClassError as wrong:
        from sim.textsafe import visible  # team names are the user's text, printed raw here

        print(visible(f"sim class: {wrong}"), file=sys.stderr)
        return EXIT_ERRORS
    served = None
    if args.serve:
        if room.finished:
            print(
                f"sim class: class {room.session_id} has ended; its links no longer work "
                "(`sim report` shows it)",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        from sim.web.projector import InAppServer
        from sim.web.serve import ServeError

        try:
            served = InAppServer(room, args.host, args.port)
        except ServeError as problem:
            print(f"sim class: {problem}", file=sys.stderr)
            return EXIT_ERRORS
    from sim.tui.app import SimApp

    lang = args.lang or room.settings.get("lang")
    app = SimApp(case=None, lang=lang, store=store, classroom=room, edited=edited, served=served)
    return app, room, lang


def _write_page(
    command: str, what: str, render: Callable[[Any], str], fmt: str, out: str | None
) -> None:
    """Write a report, a handout or a statistics page in `fmt` (`render` makes it in a given
    format). A PDF is the HTML printed by Chromium; an HTML page or its PDF that holds
    Chinese says so when this machine has no font to show it."""
    from sim.doctor import font_warning
    from sim.report import emit

    if fmt == "pdf":
        from sim.report.pdf import print_pdf

        written = render("html")
        print_pdf(written, Path(str(out)))  # `--out` is checked before anything is read
    else:
        written = render(fmt)
        emit(written, fmt, out)
    if fmt in ("html", "pdf"):
        warning = font_warning(written, what, fmt == "pdf")
        if warning is not None:
            print(f"sim {command}: {warning}", file=sys.stderr)


_PDF_NEEDS_OUT = "a PDF is written to a file: add --out FILE.pdf"


def _class_roster(path: str, teams: list[str]) -> list[Student] | None:
    """The roster for a new class, or None after printing every problem (nothing is made)."""
    from sim.roster import RosterError
    from sim.roster_file import RosterFileError, load_roster
    from sim.textsafe import visible

    try:
        return load_roster(Path(path), teams)
    except RosterFileError as unreadable:
        print(visible(f"sim class: --roster: {unreadable}"), file=sys.stderr)
    except RosterError as bad:
        for problem in bad.problems:
            print(visible(problem.text(path)), file=sys.stderr)
        print(
            visible(
                f"sim class: no class started: {len(bad.problems)} problem(s) in the roster "
                f"{path}; fix them and run the same command again"
            ),
            file=sys.stderr,
        )
    return None


def cmd_report(args: argparse.Namespace) -> int:
    from sim.report import ReportError, load_session, render_report, session_id_of
    from sim.store import open_store

    fmt: Any = args.format or ("csv" if args.lms else "html")  # one of argparse's choices
    if fmt == "pdf" and not args.out:
        print(f"sim report: {_PDF_NEEDS_OUT}", file=sys.stderr)
        return EXIT_USAGE
    if args.lms and fmt != "csv":
        print(
            f"sim report: --lms {args.lms} writes its CSV import file: use --format csv",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        session_id = session_id_of(args.session)
        with open_store() as store:
            source = load_session(store, session_id)
        if fmt == "xlsx":
            from sim.report import emit_bytes, render_workbook

            emit_bytes(render_workbook(source, args.lang), args.out)
        else:
            _write_page(
                "report",
                "report",
                lambda f: render_report(source, f, args.lang, args.lms),
                fmt,
                args.out,
            )
    except ReportError as problem:
        print(f"sim report: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_repair(args: argparse.Namespace) -> int:
    """Copy what is readable of a damaged session database into a new one (kept the old)."""
    from sim.store.location import database_url, mask_url
    from sim.store.repair import repair_database
    from sim.store.sqlite_file import database_path

    if (url := database_url()) is not None:
        print(
            f"sim repair: the sessions are in {mask_url(url)} (SIM_DATABASE_URL), which the "
            "server keeps whole; `sim repair` mends the data folder's SQLite file: unset "
            "SIM_DATABASE_URL to repair that one",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    result = repair_database(database_path())
    print(f"sim repair: {result.summary()}")
    return EXIT_OK


def cmd_store_copy(args: argparse.Namespace) -> int:
    """`sim store copy [--from STORE] [--to STORE]`: sessions into another store, verified."""
    from sim.store import open_store
    from sim.store.copy import copy_sessions, open_location

    if args.source is None and args.target is None:
        print(
            "sim store copy: name where to copy to (--to postgresql://… or a data folder) or "
            "from (--from …); the other is the store sim uses now",
            file=sys.stderr,
        )
        return EXIT_USAGE
    source = open_location(args.source, must_exist=True) if args.source else open_store()
    try:
        target = open_location(args.target, must_exist=False) if args.target else open_store()
        try:
            done = copy_sessions(source, target)
            print(f"sim store copy: {done.summary(source.where, target.where)}")
        finally:
            target.close()
    finally:
        source.close()
    return EXIT_OK


def cmd_handout(args: argparse.Namespace) -> int:
    from sim.cases import load_case
    from sim.report import ReportError, render_handout

    if args.format == "pdf" and not args.out:
        print(f"sim handout: {_PDF_NEEDS_OUT}", file=sys.stderr)
        return EXIT_USAGE
    if args.graph and args.format == "md":
        print("sim handout: the case map is drawn in HTML and PDF only", file=sys.stderr)
    case = load_case(args.case)
    try:
        _write_page(
            "handout",
            "handout",
            lambda f: render_handout(case, f, args.lang, args.graph),
            args.format,
            args.out,
        )
    except ReportError as problem:
        print(f"sim handout: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    """The case as a graph: SVG through Graphviz, or DOT / Mermaid text."""
    from sim.analyze import analyze
    from sim.cases import load_case
    from sim.graph import case_graph, legend, to_dot, to_mermaid
    from sim.report import ReportError, emit
    from sim.report.graph_svg import dot_to_svg, have_dot

    case = load_case(args.case)
    lang = args.lang or case.scenario.default_language
    fmt = args.format or ("svg" if have_dot() else "dot")
    if args.format is None and fmt == "dot":
        print(
            "sim graph: Graphviz's `dot` is not installed, so this is DOT text, not a picture "
            "(sudo apt install graphviz, or --format mermaid)",
            file=sys.stderr,
        )
    graph = case_graph(case, analyze(case.scenario, case.rubrics, args.budget), lang)
    try:
        if fmt == "mermaid":
            text = to_mermaid(graph, lang)
        elif fmt == "dot":
            text = to_dot(graph, lang)
        else:
            text = dot_to_svg(to_dot(graph, lang))
        emit(text, "md", args.out)
    except ReportError as problem:
        print(f"sim graph: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"sim graph: {legend(lang)}", file=sys.stderr)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Write a small complete case to start from, and say what to do next."""
    from sim.authoring import new_case, parse_languages
    from sim.cases import validate_paths

    try:
        languages = parse_languages(args.lang)
        text = new_case(args.id, languages)
    except ValueError as problem:
        print(f"sim new: {problem}", file=sys.stderr)
        return EXIT_USAGE
    folder = Path(args.dir) / "scenarios"
    target = folder / f"{args.id}.yaml"
    if target.exists():
        print(
            f"sim new: {target} already exists; nothing written (pick another id)", file=sys.stderr
        )
        return EXIT_ERRORS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except OSError as problem:
        print(f"sim new: cannot write {target}: {problem.strerror or problem}", file=sys.stderr)
        return EXIT_ERRORS
    findings = validate_paths([target])
    for finding in sorted(findings):
        print(finding)
    print(f"sim new: wrote {target}; next:")
    for step in (
        f"sim validate {target}",
        f"sim play {target} --watch      # edit the file while you play",
        f"sim analyze {target}",
        f"sim graph {target} --out {args.id}.svg",
        "docs/AUTHORING.md walks through it",
    ):
        print(f"  {step}")
    return EXIT_ERRORS if any(f.severity == "error" for f in findings) else EXIT_OK


def _served_class(args: argparse.Namespace, command: str) -> tuple[object, int] | int:
    """The class `serve` or `links` works on: a new one (`--new CASE --teams`) or a stored,
    unfinished one; an exit status when it cannot be had (said in one line)."""
    from sim.cases import load_case, session_case
    from sim.classroom import ClassError, Classroom, parse_teams
    from sim.store import open_store

    store = open_store()
    try:
        if getattr(args, "new", None) is not None:
            if args.session is not None or args.teams is None:
                store.close()
                print(
                    f'sim {command}: give either --new CASE --teams "A,B,C" or a SESSION id',
                    file=sys.stderr,
                )
                return EXIT_USAGE
            teams, members = parse_teams(args.teams)
            settings: dict[str, object] = {"mode": args.mode, "lang": args.lang}
            room = Classroom.begin(load_case(args.new), store, teams, members, settings)
        else:
            if args.session is None:
                store.close()
                print(
                    f"sim {command}: give a SESSION id (see `sim sessions`) or "
                    '--new CASE --teams "A,B,C"',
                    file=sys.stderr,
                )
                return EXIT_USAGE
            info = store.session(args.session)
            if info is None:
                raise ClassError(f"there is no session {args.session} (see `sim sessions`)")
            if info.kind != "classroom":
                raise ClassError(
                    f"session {args.session} is a {info.kind} session, not a class "
                    "(`sim sessions` lists them)"
                )
            room = Classroom.resume(session_case(info, store), store, args.session)
            if room.finished:
                raise ClassError(
                    f"class {args.session} has ended; its links no longer work "
                    "(`sim report` shows it)"
                )
    except ClassError as wrong:
        from sim.textsafe import visible

        store.close()
        print(visible(f"sim {command}: {wrong}"), file=sys.stderr)
        return EXIT_ERRORS
    return room, room.session_id


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a class to the teams' devices until Ctrl+C."""
    from sim.web import WebUnavailable, require_web

    try:
        require_web()
    except WebUnavailable as missing:
        print(f"sim serve: {missing}", file=sys.stderr)
        return EXIT_ERRORS
    if args.all:
        return _serve_all(args)
    found = _served_class(args, "serve")
    if isinstance(found, int):
        return found
    from sim.classroom import Classroom
    from sim.web.serve import ServeError, serve

    room = found[0]
    assert isinstance(room, Classroom)
    try:
        serve(room, args.host, args.port)
    except ServeError as problem:
        print(f"sim serve: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    finally:
        room.store.close()
    return EXIT_OK


def _serve_all(args: argparse.Namespace) -> int:
    """`sim serve --all`: every open class with links, found by its links' tokens."""
    if args.session is not None or args.new is not None or args.teams is not None:
        print(
            "sim serve: --all serves every open class; give no SESSION, --new or --teams",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from sim.store import StoreError, open_store
    from sim.web.serve import ServeError, serve_all

    try:
        open_store().close()  # a store that cannot be opened is said before listening
        serve_all(open_store, args.host, args.port)
    except (ServeError, StoreError) as problem:
        print(f"sim serve: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_links(args: argparse.Namespace) -> int:
    """The instructor's and each team's link, made on first use and kept in the session.
    With `--new`, a new class first: how a department makes a class for `sim serve --all`."""
    if args.new is not None and (args.host is None or not args.port):
        print(
            "sim links: --new makes a class for a server that is already running: give its "
            "--host and --port (those of `sim serve --all`)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    found = _served_class(args, "links")
    if isinstance(found, int):
        return found
    from sim.classroom import Classroom
    from sim.web.links import Address, ensure_links, last_address, links_json

    room = found[0]
    assert isinstance(room, Classroom)
    try:
        links = ensure_links(room.store, room.session_id, room.order)
        served = last_address(room.store.events(room.session_id))
    finally:
        room.store.close()
    host = args.host or (served.host if served else None)
    port = args.port if args.port is not None else (served.port if served else None)
    if host is None or port is None or port == 0:
        print(
            f"sim links: class {room.session_id} has no address of its own (only `sim serve "
            f"{room.session_id}` records one): give --host and --port of the server that serves "
            f"it (a `sim serve --all`), or start `sim serve {room.session_id}` first",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    urls = links_json(links, Address(host, port))
    if args.new is not None:  # stdout keeps its shape: the class's id goes to stderr
        print(f"sim links: class {room.session_id} made on `{args.new}`", file=sys.stderr)
    if served is not None and (args.host is None or args.port is None):
        print(
            f"sim links: at {served.host}:{served.port}, where `sim serve` last served class "
            f"{room.session_id}; for a class served by `sim serve --all`, give that server's "
            "--host and --port",
            file=sys.stderr,
        )
    if args.json:
        _print_json(urls)
        return EXIT_OK
    from sim.textsafe import visible_line

    print(f"instructor  {urls['instructor']}")
    teams = urls["teams"]
    assert isinstance(teams, dict)
    for team, url in teams.items():
        print(f"{visible_line(team)}  {url}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    """What this machine has and lacks for each feature; exit 1 only if the core is broken."""
    from sim import __version__
    from sim.doctor import as_json, examine, render, user_language

    lang = user_language(args.lang)
    checks = examine(lang)
    if args.json:
        _print_json(as_json(checks, __version__))
    else:
        print(render(checks, lang, __version__))
    return EXIT_ERRORS if any(check.broken for check in checks) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not before: `sim` alone parses nothing and opens the app

    parser = argparse.ArgumentParser(
        prog="sim",
        description="Role-play simulator for case teaching. With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("play", help="practise a case alone in the app")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument(
        "--watch",
        action="store_true",
        help="reload the case whenever its file (or a rubric it uses) is saved; a preview: "
        "nothing is stored",
    )
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("class", help="run a classroom session with teams in the app")
    p.add_argument("case", metavar="CASE", nargs="?", help="scenario id or path")
    p.add_argument("--teams", help='2–8 teams, e.g. "Red (Li, Wang), Blue, Green"')
    p.add_argument("--mode", choices=["sequential", "round"], default="sequential")
    p.add_argument("--feedback", choices=["debrief", "immediate"], default="debrief")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument(
        "--weights",
        metavar="auto=N,rated=N",
        help="shares of the total (default: the course method, rated score only: auto=0,rated=100)",
    )
    p.add_argument(
        "--resume", type=session_id, metavar="SESSION", help="reopen an unfinished class"
    )
    p.add_argument(
        "--roster",
        metavar="FILE",
        help="attach students from a CSV or .xlsx file (team, name, student_id, email)",
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="also serve the class to the teams' phones and browsers (w shows the QR codes)",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="with --serve: address to listen on (default 127.0.0.1)"
    )
    p.add_argument(
        "--port", type=port_number, default=8000, help="with --serve: port (0: any free one)"
    )
    p.set_defaults(func=cmd_class)

    p = sub.add_parser("validate", help="check case and rubric files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the case and rubric formats")
    p.add_argument(
        "--report",
        action="store_true",
        help="print the JSON Schema of `sim report --format json` instead",
    )
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("run", help="play a case headlessly from a list of choices")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--choices", required=True, metavar="ID[:REASON],…")
    p.add_argument("--lang", default=None, help="language of the text output")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--record",
        action="store_true",
        help="store the run as a session (finished if the choices reach an ending)",
    )
    p.add_argument("--team", default=None, help="team name for --record (default: solo)")
    p.add_argument(
        "--session",
        type=session_id,
        default=None,
        metavar="ID",
        help="with --record --team: add this (paper) team to an existing session of the case",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("roster", help="attach students (team, name, student_id, email) to teams")
    p.add_argument("session", type=session_id, metavar="SESSION", help="session id")
    p.add_argument("file", metavar="FILE", help="a CSV or .xlsx file with one row per student")
    p.set_defaults(func=cmd_roster)

    p = sub.add_parser("analyze", help="paths, ending reachability, best and worst paths")
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--budget",
        type=budget,
        default=None,
        metavar="N",
        help="the most distinct states to explore (default 50,000; time and memory grow with N)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("stats", help="a case's stored sessions summed up: choices, endings, scores")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--since", metavar="DATE", help="only sessions created on or after DATE (UTC)")
    p.add_argument("--kind", choices=("practice", "classroom", "record"), default=None)
    p.add_argument("--json", action="store_true", help="the figures as JSON")
    p.add_argument(
        "--format", choices=("text", "html"), default="text", help="text (default) or html"
    )
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("sessions", help="list stored sessions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sessions)

    p = sub.add_parser("report", help="a session's debrief report, grade sheet or xAPI export")
    p.add_argument("session", metavar="SESSION", help="session id (see `sim sessions`)")
    p.add_argument(
        "--format",
        choices=("html", "md", "csv", "xapi", "json", "xlsx", "pdf"),
        default=None,
        help="html (default), md, csv (grade sheet), xlsx (grade sheet as a workbook), xapi, "
        "json, pdf (the HTML printed by Chromium; needs --out)",
    )
    p.add_argument(
        "--lms",
        choices=("moodle", "canvas"),
        default=None,
        help="with csv: the grade sheet in Moodle's or Canvas's import layout (needs a roster)",
    )
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, help="zh or en (default: the session's language)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "repair", help="copy what is readable of a damaged session database into a new one"
    )
    p.set_defaults(func=cmd_repair)

    p = sub.add_parser("store", help="copy every session into another store (PostgreSQL, SQLite)")
    store_sub = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    c = store_sub.add_parser(
        "copy",
        help="copy every session, with its teams, events and texts, verified; never twice",
        description=(
            "Copy every session of one store into another. A store is a postgresql:// URL, a "
            "data folder or its sessions.sqlite3; the one left out is the store sim uses now "
            "(SIM_DATABASE_URL, else the data folder). Running it again copies only what is new."
        ),
    )
    c.add_argument("--from", dest="source", metavar="STORE", help="copy from (default: current)")
    c.add_argument("--to", dest="target", metavar="STORE", help="copy into (default: current)")
    c.set_defaults(func=cmd_store_copy)

    p = sub.add_parser("handout", help="a case's preparation handout for the teams")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--format", choices=("html", "md", "pdf"), default="html")
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, help="zh or en (default: the case's first language)")
    p.add_argument(
        "--graph",
        action="store_true",
        help="add the case map (every branch and its best score: for instructors; needs Graphviz)",
    )
    p.set_defaults(func=cmd_handout)

    p = sub.add_parser("new", help="write a small complete case to start from")
    p.add_argument("id", metavar="ID", help="the new case's id, e.g. hotel-late-checkout")
    p.add_argument("--dir", default=".", help="the case library folder (default: here)")
    p.add_argument(
        "--lang",
        default="zh,en",
        help="zh, en or zh,en (default; the first is the default language)",
    )
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("graph", help="the case as a graph of scenes, choices and endings")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument(
        "--format",
        choices=("svg", "dot", "mermaid"),
        default=None,
        help="svg (needs Graphviz; the default when it is installed), dot or mermaid",
    )
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument("--budget", type=budget, default=None, metavar="N", help="as for analyze")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("serve", help="serve a class to the teams' phones and browsers")
    p.add_argument("session", metavar="SESSION", nargs="?", type=session_id, help="a stored class")
    p.add_argument(
        "--all",
        action="store_true",
        help="serve every open class of the store that has links (run several on one "
        "PostgreSQL database: any of them serves any class)",
    )
    p.add_argument("--new", metavar="CASE", help="start a new class on this case")
    p.add_argument("--teams", help='2–8 teams for --new, e.g. "Red, Blue, Green"')
    p.add_argument("--mode", choices=["sequential", "round"], default="sequential")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=port_number, default=8000, help="port (0: any free one)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("links", help="the instructor's and each team's link to a served class")
    p.add_argument("session", metavar="SESSION", nargs="?", type=session_id, help="a stored class")
    p.add_argument(
        "--new",
        metavar="CASE",
        help="start a new class on this case (for `sim serve --all`; give --host and --port)",
    )
    p.add_argument("--teams", help='2–8 teams for --new, e.g. "Red, Blue, Green"')
    p.add_argument("--mode", choices=["sequential", "round"], default="sequential")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument("--host", default=None, help="host for the URLs (default: the last serve's)")
    p.add_argument(
        "--port", type=port_number, default=None, help="port (default: the last serve's)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_links)

    p = sub.add_parser(
        "doctor", help="what this machine has and lacks for each feature, and how to fix it"
    )
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
    p.add_argument("--json", action="store_true", help="the checks as JSON")
    p.set_defaults(func=cmd_doctor)
    return parser


TEXT_COMMANDS = {
    "validate",
    "schema",
    "run",
    "analyze",
    "sessions",
    "stats",
    "report",
    "handout",
    "repair",
    "roster",
    "doctor",
    "graph",
    "new",
    "serve",
    "links",
    "store",
}
"""Commands whose output is text for a terminal or a pipe. The others (the app, `play`,
`class`) hand the terminal to Textual, whose own escape sequences must not be filtered."""


def _refuse_non_text(args: argparse.Namespace) -> str | None:
    """Values that are stored or shown as text must be UTF-8 (paths may be any bytes)."""
    from sim.cli_guard import not_text

    for option in ("team", "teams", "choices", "lang", "session"):
        value = getattr(args, option, None)
        if isinstance(value, str) and not_text(value):
            name = option if option == "session" else f"--{option}"
            return f"{name} holds bytes that are not UTF-8 text; retype it"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every failure it did not expect ends here as one line and a crash log."""
    from sim.cli_guard import safe_output

    arguments = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in arguments if not a.startswith("-")), None)
    if command not in TEXT_COMMANDS:
        return _guarded(arguments)
    with safe_output():
        return _guarded(arguments)


def _guarded(arguments: list[str]) -> int:
    args: argparse.Namespace | None = None
    if arguments:
        # `sim` alone opens the app and has nothing to parse: building every command's
        # parser is time spent before Home's first frame.
        try:
            args = build_parser().parse_args(arguments)
        except SystemExit as leaving:  # --help, or a usage error already printed
            return leaving.code if isinstance(leaving.code, int) else EXIT_USAGE
        refusal = _refuse_non_text(args)
        if refusal is not None:
            print(f"sim {args.command}: {refusal}", file=sys.stderr)
            return EXIT_USAGE
    try:
        if args is None or args.command is None:
            return _open_app(None, None)
        result: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `sim analyze CASE | head`: the reader left; say nothing more, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERRORS
    except Exception as error:
        return _failed((args.command if args else None) or "", error, arguments)
    return result


def _failed(command: str, error: Exception, arguments: list[str]) -> int:
    """The one place a command's failure becomes what the user reads (imports are paid only
    here, so `sim` alone still starts without the models).

    Escaped here as well: `play` and `class` print outside the text commands' filter, and a
    case's path or a finding can carry any character.
    """
    from sim.cases import CaseError
    from sim.store.protocol import StoreError
    from sim.textsafe import visible

    label = f"sim {command}" if command else "sim"  # `sim` alone: "sim: …"
    if isinstance(error, CaseError):
        for finding in sorted(error.findings):
            print(visible(str(finding)), file=sys.stderr)
        print(visible(f"{label}: {error.message}"), file=sys.stderr)
    elif isinstance(error, StoreError | NotJson):
        print(visible(f"{label}: {error}"), file=sys.stderr)
    else:
        from sim.cli_guard import unexpected

        print(visible(unexpected(command, error, arguments)), file=sys.stderr)
    return EXIT_ERRORS
