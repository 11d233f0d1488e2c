"""`sim stats` on many stored sessions of one case: the bar is 10,000 sessions in ≤ 2 s.

    python benchmarks/stats.py                 # 1,000 / 10,000 / 30,000 sessions of BA008
    python benchmarks/stats.py --sizes 10000   # one size
    python benchmarks/stats.py --json

Sessions are generated, not played: random paths through `airline-ba008` (every option equally
likely, a reason drawn from the scene's), written straight into a fresh session database in
one transaction. Of every 20 sessions, 16 are recorded runs, 3 practice attempts (one with a
choice taken back: a correction in the log, one left unfinished) and 1 a class of three teams
with peer and instructor ratings. The timed part is what `sim stats CASE --json` does after
loading the case: one query for the case's events, folding each session, scoring, counting.
Each size runs in a fresh process, so one size's caches never help the next.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BAR_SECONDS = 2.0
BAR_SESSIONS = 10_000
CASE = "airline-ba008"


def _random_run(case: Any, rng: random.Random, stop_early: bool = False) -> list[tuple[str, str]]:
    from sim.engine import available_choices, choose, give_reason, start

    scenario = case.scenario
    run = start(scenario)
    moves: list[tuple[str, str]] = []
    while not run.finished:
        if stop_early and len(run.steps) >= 2:
            break
        choice = rng.choice(available_choices(scenario, run))
        run = choose(scenario, run, choice.id)
        moves.append(("choice", choice.id))
        if run.pending is not None:
            reason = rng.choice(scenario.scenes[run.scene].reasons)
            run = give_reason(scenario, run, reason.id)
            moves.append(("reason", reason.id))
    return moves


def generate(database: Path, sessions: int, seed: int = 8) -> None:
    """Write `sessions` generated sessions of BA008 into a new database at `database`."""
    from sim.cases import load_case
    from sim.store import open_store

    case = load_case(CASE)
    rubric = next(iter(case.classroom_rubrics.values()))
    levels = [lv.points for lv in rubric.levels]
    open_store(database).close()  # the schema, as the store makes it
    rng = random.Random(seed)
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("BEGIN")
    for number in range(1, sessions + 1):
        slot = number % 20
        kind = "classroom" if slot == 0 else ("practice" if slot in (1, 2, 3) else "record")
        teams = ["Red", "Blue", "Green"] if kind == "classroom" else ["solo"]
        created = f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}T10:00:00.000+00:00"
        sid = db.execute(
            "INSERT INTO sessions (scenario, scenario_path, kind, created, settings) "
            "VALUES (?, '', ?, ?, '{}')",
            (CASE, kind, created),
        ).lastrowid
        events: list[tuple[str, str | None, dict[str, Any]]] = [
            ("started", None, {"scenario": CASE, "teams": teams, "settings": {}})
        ]
        for team in teams:
            moves = _random_run(case, rng, stop_early=slot == 3)
            for index, (what, ident) in enumerate(moves):
                events.append((what, team, {what: ident}))
                if slot == 2 and index == 0 and what == "choice":
                    events.append(("correction", None, {"undo": len(events)}))
                    events.append((what, team, {what: ident}))
            if slot != 3:
                events.append(("finished", team, {}))
        if kind == "classroom":
            for team in teams:
                raters = [("instructor", "instructor")] + [("peer", t) for t in teams if t != team]
                for kind_, rater in raters:
                    for criterion in rubric.criteria:
                        events.append(
                            (
                                "rating",
                                team,
                                {
                                    "rater_kind": kind_,
                                    "rater": rater,
                                    "rubric": rubric.id,
                                    "criterion": criterion.id,
                                    "points": rng.choice(levels),
                                },
                            )
                        )
        if slot != 3:
            events.append(("finished", None, {}))
        db.executemany(
            "INSERT INTO events (session_id, seq, at, type, team, data) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (sid, seq, created, what, team, json.dumps(data))
                for seq, (what, team, data) in enumerate(events, start=1)
            ],
        )
    db.execute("COMMIT")
    db.close()


def measure(database: Path) -> dict[str, Any]:
    """Time what `sim stats CASE --json` does once the case is loaded."""
    from sim.cases import load_case
    from sim.stats import StoredSession, case_stats
    from sim.store import open_store

    case = load_case(CASE)
    with open_store(database) as store:
        started = time.perf_counter()
        logs = store.case_logs(CASE)
        read = time.perf_counter()
        stats = case_stats(
            case.scenario,
            case.rubrics,
            case.classroom_rubrics,
            [StoredSession(*log) for log in logs],
        )
        json.dumps(stats.as_json())
        done = time.perf_counter()
    return {
        "sessions": stats.sessions,
        "runs": stats.runs,
        "events": sum(len(log[3]) for log in logs),
        "read_s": read - started,
        "summarise_s": done - read,
        "total_s": done - started,
    }


def run_size(sessions: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "sessions.sqlite3"
        generate(database, sessions)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(database)],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    results = [run_size(int(size)) for size in args.sizes.split(",")]
    ok = all(r["total_s"] <= BAR_SECONDS for r in results if r["sessions"] <= BAR_SESSIONS)
    if args.json:
        print(json.dumps({"results": results, "bar_s": BAR_SECONDS, "ok": ok}, indent=2))
        return 0 if ok else 1
    print(
        f"{'sessions':>9} {'runs':>7} {'events':>8} {'read':>8} {'summarise':>10} "
        f"{'total':>8} {'µs/run':>8}"
    )
    for r in results:
        print(
            f"{r['sessions']:>9,} {r['runs']:>7,} {r['events']:>8,} {r['read_s']:>7.2f}s "
            f"{r['summarise_s']:>9.2f}s {r['total_s']:>7.2f}s "
            f"{1e6 * r['total_s'] / max(r['runs'], 1):>8.0f}"
        )
    print(f"bar: {BAR_SESSIONS:,} sessions in ≤ {BAR_SECONDS:g} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
