"""The `sim` command line: argument parsing only; the work is done by the core and the faces."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sim.cli_guard import budget, session_id
from sim.findings import Finding

if TYPE_CHECKING:
    from sim.cases import Case
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
    # instead of ending the app later as a crash. It loads no models (start-up stays light).
    from sim.store import open_store

    store = open_store()
    try:
        case: Case | None = None
        if case_name:
            from sim.cases import load_case

            case = load_case(case_name)
        from sim.tui.app import SimApp

        app = SimApp(case=case, lang=lang, store=store)
    except BaseException:
        store.close()
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
    return _open_app(args.case, args.lang)


def cmd_class(args: argparse.Namespace) -> int:
    """A classroom session in the app: a new one with --teams, or --resume an unfinished one."""
    from sim.cases import edited_since, load_case, session_case
    from sim.classroom import ClassError, Classroom, parse_teams
    from sim.debrief import WeightsError, parse_weights
    from sim.store import open_store

    store = open_store()
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
            room = Classroom.begin(load_case(args.case), store, teams, members, settings)
    except ClassError as wrong:
        from sim.textsafe import visible  # team names are the user's text, printed raw here

        print(visible(f"sim class: {wrong}"), file=sys.stderr)
        return EXIT_ERRORS
    from sim.tui.app import SimApp

    lang = args.lang or room.settings.get("lang")
    status = _run_app(SimApp(case=None, lang=lang, store=store, classroom=room, edited=edited))
    if status == EXIT_OK and not room.finished:
        from sim.i18n import tr

        print(tr("class.saved", lang or "en", id=room.session_id), file=sys.stderr)
    return status


def cmd_report(args: argparse.Namespace) -> int:
    from sim.report import ReportError, emit, load_session, render_report, session_id_of
    from sim.store import open_store

    try:
        session_id = session_id_of(args.session)
        with open_store() as store:
            source = load_session(store, session_id)
        emit(render_report(source, args.format, args.lang), args.format, args.out)
    except ReportError as problem:
        print(f"sim report: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def cmd_repair(args: argparse.Namespace) -> int:
    """Copy what is readable of a damaged session database into a new one (kept the old)."""
    from sim.store.repair import repair_database
    from sim.store.sqlite import database_path

    result = repair_database(database_path())
    print(f"sim repair: {result.summary()}")
    return EXIT_OK


def cmd_handout(args: argparse.Namespace) -> int:
    from sim.cases import load_case
    from sim.report import ReportError, emit, render_handout

    case = load_case(args.case)
    try:
        emit(render_handout(case, args.format, args.lang), args.format, args.out)
    except ReportError as problem:
        print(f"sim handout: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Role-play simulator for case teaching. With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("play", help="practise a case alone in the app")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="zh or en")
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
    p.set_defaults(func=cmd_run)

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

    p = sub.add_parser("sessions", help="list stored sessions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sessions)

    p = sub.add_parser("report", help="a session's debrief report, grade sheet or xAPI export")
    p.add_argument("session", metavar="SESSION", help="session id (see `sim sessions`)")
    p.add_argument("--format", choices=("html", "md", "csv", "xapi", "json"), default="html")
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, help="zh or en (default: the session's language)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "repair", help="copy what is readable of a damaged session database into a new one"
    )
    p.set_defaults(func=cmd_repair)

    p = sub.add_parser("handout", help="a case's preparation handout for the teams")
    p.add_argument("case", metavar="CASE", help="scenario id or path")
    p.add_argument("--format", choices=("html", "md"), default="html")
    p.add_argument("--out", metavar="F", help="write to this file (default: standard output)")
    p.add_argument("--lang", default=None, help="zh or en (default: the case's first language)")
    p.set_defaults(func=cmd_handout)
    return parser


TEXT_COMMANDS = {"validate", "schema", "run", "analyze", "sessions", "report", "handout", "repair"}
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
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as leaving:  # --help, or a usage error already printed
        return leaving.code if isinstance(leaving.code, int) else EXIT_USAGE
    refusal = _refuse_non_text(args)
    if refusal is not None:
        print(f"sim {args.command}: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command is None:
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
        return _failed(args.command or "", error, arguments)
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
