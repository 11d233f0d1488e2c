"""Benchmarks for `sim` against the quality bars of PRODUCT.md, measured side by side.

    python benchmarks/run.py            # full run (a few minutes)
    python benchmarks/run.py --quick    # the same figures with fewer repetitions (~1 minute)
    python benchmarks/run.py --json     # machine-readable figures

Every figure is measured in this one run next to its baseline (a minimal Textual app, PyYAML's
C loader), so the ratios hold on any machine; absolute times are printed with the machine.
Each measurement runs in its own process: a slow or crashing one is reported, never hangs
the rest. The exit status is 1 when a bar is missed (CI ignores it and just prints).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import platform
import pty
import resource
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MINIMAL_APP = HERE / "minimal_app.py"

# ---------------------------------------------------------------------------------------------
# Pure helpers (tested in tests/test_benchmarks.py)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: p99 of 400 samples is the 396th smallest, a real sample."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return float(ordered[int(rank) - 1])


def growth_ratio(per_scene: dict[int, float]) -> float:
    """Per-scene time at the largest size over the smallest: 1.0 is perfectly linear."""
    sizes = sorted(per_scene)
    return per_scene[sizes[-1]] / per_scene[sizes[0]]


@dataclass
class Figure:
    """One measured figure with its bar; `ok` is None when the figure has no bar."""

    section: str
    name: str
    value: float | None
    unit: str
    bar: str = ""
    ok: bool | None = None
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def show(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "x":
        return f"{value:.2f}×"
    return f"{value:g} {unit}".strip()


def mark(ok: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "info"}[ok]


def markdown(figures: list[Figure]) -> str:
    """The figures as a Markdown table, for the README's Performance section."""
    lines = ["| figure | sim | baseline | ratio | bar | |", "|---|---|---|---|---|---|"]
    for f in figures:
        cells = [
            f"{f.section}: {f.name}",
            show(f.value, f.unit),
            show(f.baseline, f.unit),
            show(f.ratio, "x"),
            f.bar,
            mark(f.ok),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def table(figures: list[Figure]) -> str:
    """The figures as an aligned plain-text table (also pasted into the README)."""
    rows = [("figure", "sim", "baseline", "ratio", "bar", "")]
    for f in figures:
        rows.append(
            (
                f"{f.section}: {f.name}",
                show(f.value, f.unit),
                show(f.baseline, f.unit),
                show(f.ratio, "x"),
                f.bar,
                mark(f.ok),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {f.section}: {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join([*lines, *(["", "notes:", *notes] if notes else [])])


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or 1),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


# ---------------------------------------------------------------------------------------------
# Workers: each measurement runs as `run.py --worker NAME ARGS...` and prints one JSON line.


def _scratch() -> Path:
    """A fresh folder inside the run's own data folder, removed with it at the end."""
    home = os.environ.get("SIM_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="case-", dir=home or None))


def _write_case(folder: Path, text: str, name: str) -> Path:
    scenarios = folder / "scenarios"
    scenarios.mkdir(parents=True, exist_ok=True)
    path = scenarios / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def worker_validate(scenes: str, repeat: str) -> dict[str, Any]:
    """`sim validate`'s work on a generated case, and PyYAML's C loader on the same bytes."""
    import yaml

    from sim.cases import validate_paths
    from sim.synthetic import chain_yaml

    path = _write_case(_scratch(), chain_yaml(int(scenes)), f"chain-{scenes}")
    raw = path.read_bytes()
    ours, theirs = [], []
    for _ in range(int(repeat)):
        start = time.perf_counter()
        findings = validate_paths([path])
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        yaml.load(raw, Loader=yaml.CSafeLoader)
        theirs.append(time.perf_counter() - start)
    errors = [str(f) for f in findings if f.severity == "error"]
    return {"sim": ours, "yaml": theirs, "bytes": len(raw), "errors": errors[:3]}


def worker_analyze(scenes: str, with_state: str) -> dict[str, Any]:
    from sim.analyze import analyze
    from sim.cases import load_case
    from sim.synthetic import chain_yaml

    text = chain_yaml(int(scenes), with_state=with_state == "1")
    case = load_case(_write_case(_scratch(), text, f"chain-{scenes}"))
    start = time.perf_counter()
    result = analyze(case.scenario, case.rubrics).as_json()
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "paths": result.get("paths"), "exact": result.get("exact")}


def _finished_run(scenes: int) -> tuple[str, Any, int]:
    """A finished run through a generated chain, and how many events recording it writes."""
    from sim.cases import load_case
    from sim.engine import available_choices, choose, start
    from sim.session import choice_events
    from sim.synthetic import chain_yaml

    case = load_case(_write_case(_scratch(), chain_yaml(scenes), "store-chain"))
    run = start(case.scenario)
    while not run.finished:
        run = choose(case.scenario, run, available_choices(case.scenario, run)[0].id)
    events = 1 + len(list(choice_events(run.steps))) + 2
    return case.scenario.id, run, events


def worker_store_latency(db: str, count: str) -> dict[str, Any]:
    """Commit one event at a time (WAL, synchronous=FULL) and time each commit."""
    from sim.store import SqliteStore

    store = SqliteStore(Path(db))
    session = store.create_session("bench", "practice", ["solo"])
    times = []
    for n in range(int(count)):
        start = time.perf_counter()
        store.append(session, "note", "solo", {"text": f"note {n}"})
        times.append(time.perf_counter() - start)
    store.close()
    return {"seconds": times}


def _open_bench_store(where: str) -> Any:
    """A SQLite file, or a postgresql:// URL (the PostgreSQL store)."""
    if where.startswith("postgresql://"):
        from sim.store.postgres import PostgresStore

        return PostgresStore(where)
    from sim.store import SqliteStore

    return SqliteStore(Path(where))


def worker_store_writer(db: str, runs: str, start_at: str) -> dict[str, Any]:
    """One of several processes recording finished runs into one database at once."""
    scenario_id, run, events = _finished_run(10)
    store = _open_bench_store(db)
    time.sleep(max(0.0, float(start_at) - time.time()))
    times, ids = [], []
    for _ in range(int(runs)):
        start = time.perf_counter()
        ids.append(store.record_run(scenario_id, "", "solo", run))
        times.append(time.perf_counter() - start)
    store.close()
    return {"seconds": times, "ids": ids, "events_per_run": events}


def _peak_rss_mb() -> float:
    """This process's own peak resident memory.

    On Linux `ru_maxrss` is not it: it keeps the peak of the image the process was before
    `exec` -- the parent that spawned it, whose size it then reports when larger (a worker
    started by a 200 MB parent reads 210 MB). The kernel's per-image high-water mark
    (`VmHWM` in /proc/self/status) starts afresh at exec.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    # Elsewhere: getrusage (macOS reports bytes, others kilobytes).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def worker_memory_sim() -> dict[str, Any]:
    """A full solo play-through in the real app (headless): Home, briefing, every scene, end."""
    from sim.tui.app import SimApp

    async def play() -> dict[str, Any]:
        app = SimApp()
        async with app.run_test(size=(100, 32)) as pilot:
            home = app.screen
            for _ in range(400):
                await pilot.pause(0.02)
                if getattr(home, "entries", None):
                    break
            await pilot.press("enter")  # the first case: its briefing
            await pilot.pause()
            await pilot.press("enter")  # start
            await pilot.pause()
            moves = 0
            while type(app.screen).__name__ == "PlayScreen" and moves < 400:
                await pilot.press("enter")  # the first choice, then the first reason
                await pilot.pause()
                moves += 1
            reached = type(app.screen).__name__
        return {"moves": moves, "screen": reached}

    outcome = asyncio.run(play())
    return {**outcome, "rss_mb": _peak_rss_mb()}


def worker_memory_minimal() -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from minimal_app import MinimalApp

    async def browse() -> None:
        app = MinimalApp()
        async with app.run_test(size=(100, 32)) as pilot:
            for _ in range(5):
                await pilot.press("down")
                await pilot.pause()

    asyncio.run(browse())
    return {"rss_mb": _peak_rss_mb()}


WORKERS: dict[str, Callable[..., dict[str, Any]]] = {
    "validate": worker_validate,
    "analyze": worker_analyze,
    "store-latency": worker_store_latency,
    "store-writer": worker_store_writer,
    "memory-sim": worker_memory_sim,
    "memory-minimal": worker_memory_minimal,
}


class WorkerFailed(Exception):
    pass


def worker_command(name: str, *args: object) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", name, *map(str, args)]


def run_worker(
    name: str, *args: object, timeout: float = 300, env: dict[str, str] | None = None
) -> dict[str, Any]:
    try:
        done = subprocess.run(
            worker_command(name, *args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise WorkerFailed(f"over the {timeout:.0f} s limit") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise WorkerFailed(f"worker {name} failed: {last}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------------------------
# Start-up: whole processes on a pseudo-terminal, timed until their first frame is on screen.


def time_to_markers(
    command: list[str], markers: dict[str, list[bytes]], env: dict[str, str], limit: float = 30
) -> dict[str, float]:
    """Start `command` on an 80×24 pseudo-terminal; seconds until each group of markers shows.

    The app is not told it is being measured: a frame counts once the terminal has received
    its text. Ctrl+Q then quits it; a process that does not quit is killed.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    seen: dict[str, float] = {}
    screen = b""
    try:
        while len(seen) < len(markers) and time.perf_counter() - started < limit:
            ready, _, _ = select.select([master], [], [], 0.02)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            now = time.perf_counter() - started
            screen += chunk
            for name, options in markers.items():
                if name not in seen and any(m in screen for m in options):
                    seen[name] = now
        with contextlib.suppress(OSError):
            os.write(master, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 10
        while process.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 1 << 16)
                except OSError:
                    break
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return seen


def sim_command() -> list[str]:
    """The installed `sim` script of this interpreter's environment, else `python -m sim`."""
    script = Path(sys.executable).parent / "sim"
    if script.is_file():
        return [str(script)]
    found = shutil.which("sim")
    return [found] if found else [sys.executable, "-m", "sim"]


def _home_markers() -> dict[str, list[bytes]]:
    """The Home title (first frame) and any case title from the catalogue (catalogue shown)."""
    from sim.cases import load_case
    from sim.i18n import UI_LANGUAGES, tr
    from sim.library import bundled_scenarios

    try:
        from sim.localize import localize
    except ImportError:  # an older sim, measured for a before-and-after comparison
        from sim.model import localize

    titles: set[bytes] = set()
    for path in bundled_scenarios():
        sc = load_case(path).scenario
        for lang in UI_LANGUAGES:
            title = localize(sc.title, lang, sc.default_language).strip()
            if len(title) >= 3:
                titles.add(title[:3].encode())
    home = [tr("home.title", lang).encode() for lang in UI_LANGUAGES]
    return {"frame": home, "catalogue": sorted(titles)}


def bench_startup(runs: int, cold_runs: int) -> list[Figure]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
    warm_home = tempfile.mkdtemp(prefix="sim-bench-home-")
    sim_env = {**env, "SIM_HOME": warm_home}
    markers = _home_markers()
    baseline = [sys.executable, str(MINIMAL_APP)]
    base_markers = {"frame": [b"Baseline list item 1"]}
    # One untimed start of each: compiled bytecode and the case cache exist, as for a user.
    time_to_markers(sim_command(), markers, sim_env)
    time_to_markers(baseline, base_markers, env)
    sim_frame, sim_listed, base_frame, cold_listed = [], [], [], []
    for _ in range(runs):
        seen = time_to_markers(sim_command(), markers, sim_env)
        if "frame" in seen:
            sim_frame.append(seen["frame"])
        if "catalogue" in seen:
            sim_listed.append(seen["catalogue"])
        seen = time_to_markers(baseline, base_markers, env)
        if "frame" in seen:
            base_frame.append(seen["frame"])
    for _ in range(cold_runs):
        cold_env = {**env, "SIM_HOME": tempfile.mkdtemp(prefix="sim-bench-cold-")}
        seen = time_to_markers(sim_command(), markers, cold_env)
        if "catalogue" in seen:
            cold_listed.append(seen["catalogue"])
        shutil.rmtree(cold_env["SIM_HOME"], ignore_errors=True)
    shutil.rmtree(warm_home, ignore_errors=True)
    figures = []
    if sim_frame and base_frame:
        s, b = median(sim_frame), median(base_frame)
        figures.append(
            Figure(
                "start-up",
                "launch to Home's first frame",
                s,
                "s",
                "≤ 1.25× minimal app",
                s / b <= 1.25,
                baseline=b,
                ratio=s / b,
                note=f"median of {len(sim_frame)} starts each, on an 80×24 pseudo-terminal",
                extra={"sim_runs": sim_frame, "baseline_runs": base_frame},
            )
        )
    else:
        figures.append(
            Figure(
                "start-up",
                "launch to Home's first frame",
                None,
                "s",
                "≤ 1.25×",
                False,
                note="no frame seen within 30 s",
            )
        )
    if sim_listed and base_frame:
        s, b = median(sim_listed), median(base_frame)
        figures.append(
            Figure(
                "start-up",
                "launch to catalogue listed (cache warm)",
                s,
                "s",
                "≤ 1.25× minimal app",
                s / b <= 1.25,
                baseline=b,
                ratio=s / b,
                note="the case titles on screen, against the minimal app's first frame",
                extra={"runs": sim_listed},
            )
        )
    else:
        figures.append(
            Figure(
                "start-up",
                "launch to catalogue listed (cache warm)",
                None,
                "s",
                "≤ 1.25× minimal app",
                False,
                note="no case title seen within 30 s",
            )
        )
    if cold_listed:
        figures.append(
            Figure(
                "start-up",
                "launch to catalogue listed (cache cold)",
                median(cold_listed),
                "s",
                note="an empty data folder: every case parsed and validated",
                extra={"runs": cold_listed},
            )
        )
    return figures


# ---------------------------------------------------------------------------------------------
# Validation, analysis, store, memory.


def bench_validation(repeat: int, sizes: tuple[int, ...]) -> list[Figure]:
    figures = []
    try:
        result = run_worker("validate", 2000, repeat)
        s, y = median(result["sim"]), median(result["yaml"])
        figures.append(
            Figure(
                "validation",
                "2,000-scene case vs PyYAML C loader",
                s,
                "s",
                "≤ 1.5× yaml.load(CSafeLoader)",
                s / y <= 1.5,
                baseline=y,
                ratio=s / y,
                note=f"{result['bytes'] / 1e3:.0f} kB; `sim validate`'s work (parse with "
                "positions, model, checks) vs parse only",
            )
        )
        figures.append(
            Figure("validation", "2,000-scene case, absolute", s, "s", "< 0.5 s", s < 0.5)
        )
        if result["errors"]:
            figures[-1].note = "the generated case has errors: " + "; ".join(result["errors"])
    except WorkerFailed as failure:
        figures.append(
            Figure("validation", "2,000-scene case", None, "s", "≤ 1.5×", False, note=str(failure))
        )
    per_scene: dict[int, float] = {}
    note = ""
    for scenes in sizes:
        # Linear growth would take per-scene × scenes; three times that is plainly not linear,
        # so the run is stopped there and the ratio reported as a lower bound.
        limit = 300.0 if not per_scene else max(20.0, 3 * max(per_scene.values()) * scenes)
        try:
            result = run_worker("validate", scenes, 1, timeout=limit)
            per_scene[scenes] = min(result["sim"]) / scenes
        except WorkerFailed as failure:
            per_scene[scenes] = limit / scenes
            note = f"{scenes:,} scenes: {failure}, so the ratio is at least this"
            break
    ratio = growth_ratio(per_scene)
    steps = " → ".join(f"{n:,}: {t * 1e3:.2f} ms" for n, t in sorted(per_scene.items()))
    figures.append(
        Figure(
            "validation",
            f"growth {' → '.join(f'{n:,}' for n in sizes)} scenes (per-scene time ratio)",
            ratio,
            "x",
            "linear: ≤ 1.5×",
            ratio <= 1.5 and not note,
            note=f"per scene {steps}" + (f"; {note}" if note else ""),
            extra={"per_scene_seconds": {str(k): v for k, v in per_scene.items()}},
        )
    )
    return figures


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def bench_validate_process(repeat: int) -> list[Figure]:
    """`sim validate FILE` as a user runs it, a whole process with its imports, against a
    whole `python -c` process that imports PyYAML and parses the same file with the C loader."""
    from sim.synthetic import chain_yaml

    folder = _scratch()
    path = _write_case(folder, chain_yaml(2000), "chain-2000")
    env = {**os.environ, "SIM_HOME": str(folder / "home")}
    ours = [*sim_command(), "validate", str(path)]
    load = f"import yaml; yaml.load(open({str(path)!r}, 'rb'), Loader=yaml.CSafeLoader)"
    theirs = [sys.executable, "-c", load]
    check = subprocess.run(ours, env=env, capture_output=True, text=True, check=False)
    _wall(theirs, env)  # untimed: bytecode and the file in the page cache for both
    sim_times, yaml_times = [], []
    for _ in range(repeat):
        sim_times.append(_wall(ours, env))
        yaml_times.append(_wall(theirs, env))
    shutil.rmtree(folder, ignore_errors=True)
    s, y = median(sim_times), median(yaml_times)
    return [
        Figure(
            "validation",
            "`sim validate` on the 2,000-scene case, whole process",
            s,
            "s",
            "≤ 1.5× python -c yaml.load(CSafeLoader)",
            s / y <= 1.5 and check.returncode == 0,
            baseline=y,
            ratio=s / y,
            note=f"median of {repeat} runs each, imports included; exit {check.returncode}",
            extra={"sim_runs": sim_times, "baseline_runs": yaml_times},
        )
    ]


def bench_analysis() -> list[Figure]:
    figures = []
    try:
        result = run_worker("analyze", 20, 0, timeout=120)
        exact = result["paths"] == 2**20 and bool(result["exact"])
        figures.append(
            Figure(
                "analysis",
                "2^20-path chain, exact count",
                result["seconds"],
                "s",
                "< 3 s and exactly 1,048,576 paths",
                exact and result["seconds"] < 3,
                note=f"counted {result['paths']} paths (exact: {result['exact']})",
            )
        )
    except WorkerFailed as failure:
        figures.append(
            Figure("analysis", "2^20-path chain", None, "s", "< 3 s", False, note=str(failure))
        )
    try:
        result = run_worker("analyze", 30, 1, timeout=120)
        figures.append(
            Figure(
                "analysis",
                "30-scene case with state",
                result["seconds"],
                "s",
                "< 3 s",
                result["seconds"] < 3,
                note=f"{result['paths']} paths (exact: {result['exact']})",
            )
        )
    except WorkerFailed as failure:
        figures.append(
            Figure(
                "analysis", "30-scene case with state", None, "s", "< 3 s", False, note=str(failure)
            )
        )
    return figures


def bench_store(events: int, processes: int, runs: int) -> list[Figure]:
    figures = []
    folder = Path(tempfile.mkdtemp(prefix="sim-bench-store-"))
    try:
        result = run_worker("store-latency", folder / "latency.db", events)
        times = [t * 1000 for t in result["seconds"]]
        figures.append(
            Figure(
                "store",
                "commit one event, median",
                median(times),
                "ms",
                note=f"{len(times)} events, WAL with synchronous=FULL",
            )
        )
        figures.append(Figure("store", "commit one event, p99", percentile(times, 99), "ms"))
        db = folder / "shared.db"
        # Create the schema first so the writers race on events, not on the migration.
        from sim.store import SqliteStore

        SqliteStore(db).close()

        def count() -> tuple[int, int]:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                sessions = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
                stored = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            return int(sessions), int(stored)

        figures.append(
            _many_writers("store", str(db), count, processes, runs, "nothing lost, p99 ≤ 50 ms")
        )
    except (WorkerFailed, subprocess.TimeoutExpired) as failure:
        figures.append(Figure("store", "event commits", None, "ms", "", False, note=str(failure)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def _many_writers(
    section: str,
    where: str,
    count: Callable[[], tuple[int, int]],
    processes: int,
    runs: int,
    bar: str,
    limit_ms: float | None = 50,
) -> Figure:
    """`processes` processes each record `runs` finished runs into one store at once; the
    p99 per run, and whether every session and event arrived (`count` reads the store)."""
    start_at = time.time() + 1.5
    commands = [worker_command("store-writer", where, runs, start_at) for _ in range(processes)]
    children = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    outputs = [child.communicate(timeout=300) for child in children]
    latencies: list[float] = []
    expected_events = 0
    failures = []
    for child, (out, err) in zip(children, outputs, strict=True):
        if child.returncode != 0:
            failures.append((err.strip().splitlines() or ["?"])[-1])
            continue
        data = json.loads(out.strip().splitlines()[-1])
        latencies += [t * 1000 for t in data["seconds"]]
        expected_events += data["events_per_run"] * len(data["ids"])
    sessions, stored = count()
    wanted = processes * runs
    lost = (wanted - sessions) + (expected_events - stored)
    p99 = percentile(latencies, 99) if latencies else None
    fast = limit_ms is None or (p99 is not None and p99 <= limit_ms)
    return Figure(
        section,
        f"{processes} processes × {runs} runs at once, p99 per run",
        p99,
        "ms",
        bar,
        not failures and lost == 0 and p99 is not None and fast,
        note=f"{sessions}/{wanted} sessions and {stored}/{expected_events} events "
        f"stored; median {median(latencies) if latencies else 0:.1f} ms"
        + (f"; failed: {failures[0]}" if failures else ""),
    )


def bench_store_postgres(processes: int, runs: int) -> list[Figure]:
    """The same writers into a throwaway PostgreSQL server on loopback (fsync on, as a real
    server runs); skipped, with the reason, when there is no server to start."""
    name = f"{processes} processes × {runs} runs at once, p99 per run"
    sys.path.insert(0, str(HERE.parent))
    try:
        import psycopg

        from tests.pg_server import NoServer, running_server
    except ImportError as missing:
        return [Figure("store (PostgreSQL)", name, None, "ms", note=f"skipped: {missing}")]
    try:
        with running_server(fsync=True) as server:
            from sim.store.postgres import PostgresStore

            PostgresStore(server.url).close()  # the schema first, as for SQLite

            def count() -> tuple[int, int]:
                with psycopg.connect(server.url) as conn:
                    sessions = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
                    stored = conn.execute("SELECT COUNT(*) FROM events").fetchone()
                return int(sessions[0]) if sessions else 0, int(stored[0]) if stored else 0

            return [
                _many_writers(
                    "store (PostgreSQL)", server.url, count, processes, runs, "nothing lost", None
                )
            ]
    except NoServer as reason:
        return [Figure("store (PostgreSQL)", name, None, "ms", note=f"skipped: {reason}")]


def bench_memory() -> list[Figure]:
    env = {**os.environ, "SIM_HOME": tempfile.mkdtemp(prefix="sim-bench-mem-")}
    try:
        ours = run_worker("memory-sim", timeout=180, env=env)
        theirs = run_worker("memory-minimal", timeout=120, env=env)
    except WorkerFailed as failure:
        return [Figure("memory", "peak RSS", None, "MB", "≤ 1.3×", False, note=str(failure))]
    finally:
        shutil.rmtree(env["SIM_HOME"], ignore_errors=True)
    ratio = ours["rss_mb"] / theirs["rss_mb"]
    complete = ours["screen"] == "EndScreen"
    return [
        Figure(
            "memory",
            "peak RSS after a full play-through",
            ours["rss_mb"],
            "MB",
            "≤ 1.3× minimal app",
            ratio <= 1.3 and complete,
            baseline=theirs["rss_mb"],
            ratio=ratio,
            note=f"headless; {ours['moves']} moves, ended on {ours['screen']}"
            + ("" if complete else " (the play-through did not reach the end)"),
        )
    ]


# ---------------------------------------------------------------------------------------------


def bench_classroom_net(quick: bool) -> list[Figure]:
    """8 teams × 3 devices against a real `sim serve` (benchmarks/classroom_net.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("classroom_net", HERE / "classroom_net.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure(quick)
    return [
        Figure(
            "network",
            "classroom: 8 teams × 3 devices polling and answering, p99 response",
            result["p99_ms"],
            "ms",
            "no event lost, p99 ≤ 100 ms",
            bool(result["ok"]),
            note=f"{result['requests']} requests, median {result['median_ms']:.1f} ms, "
            f"events lost {result['lost']}"
            + (f"; errors: {result['errors'][0]}" if result["errors"] else ""),
        )
    ]


def bench_department_net(quick: bool) -> list[Figure]:
    """20 classes × 4 teams across 4 `sim serve --all` processes on one PostgreSQL database
    (benchmarks/department_net.py; 8 classes with --quick)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("department_net", HERE / "department_net.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["department_net"] = module  # its client processes import it by this name
    spec.loader.exec_module(module)
    result = module.measure(quick)
    name = (
        f"{8 if quick else 20} classes × 4 teams across 4 server processes on one "
        "PostgreSQL, p99 response"
    )
    if "skipped" in result:
        return [
            Figure("network (department)", name, None, "ms", note=f"skipped: {result['skipped']}")
        ]
    return [
        Figure(
            "network (department)",
            name,
            result["p99_ms"],
            "ms",
            "no event lost, every class to the debrief",
            bool(result["ok"]),
            note=f"{result['requests']} requests and {result['waits']} long polls, median "
            f"{result['median_ms']:.1f} ms, "
            f"{result['finished']}/{result['classes']} classes to the debrief, events lost "
            f"{result['lost']}, servers' CPU {result['server_cpu_ms_per_request']:.2f} ms a request"
            + (f"; errors: {result['errors'][0]}" if result["errors"] else ""),
        )
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (~1 minute)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--only", help="comma-separated sections to run (start-up, memory, …)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        print(json.dumps(WORKERS[name](*rest)))
        return 0
    # As for a user, every module runs from compiled bytecode (a wheel's install compiles
    # them): an environment that forbids writing it (PYTHONDONTWRITEBYTECODE) would make
    # every timed start recompile sim's modules, which no user's start does.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    import sim

    compileall.compile_dir(Path(sim.__file__).parent, quiet=1)
    # Nothing here touches the user's own data folder: every run gets an empty one.
    scratch = tempfile.mkdtemp(prefix="sim-bench-")
    os.environ["SIM_HOME"] = scratch
    began = time.perf_counter()
    figures: list[Figure] = []
    steps: list[tuple[str, Callable[[], list[Figure]]]] = [
        ("start-up", lambda: bench_startup(5 if args.quick else 15, 2 if args.quick else 5)),
        (
            "validation",
            lambda: bench_validation(
                1 if args.quick else 5, (200, 2000, 5000) if args.quick else (200, 2000, 20000)
            ),
        ),
        ("validation", lambda: bench_validate_process(5 if args.quick else 15)),
        ("analysis", bench_analysis),
        ("store", lambda: bench_store(200 if args.quick else 1000, 8, 50)),
        ("store (PostgreSQL)", lambda: bench_store_postgres(8, 50)),
        ("memory", bench_memory),
        ("network", lambda: bench_classroom_net(args.quick)),
        ("network (department)", lambda: bench_department_net(args.quick)),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        steps = [(section, step) for section, step in steps if section in wanted]
    for section, step in steps:
        try:
            figures += step()
        except Exception as problem:  # e.g. no pseudo-terminal here: report it, run the rest
            figures.append(
                Figure(section, "could not run", None, "", "", False, note=repr(problem))
            )
        if not args.json:
            print(
                f"... {figures[-1].section} done ({time.perf_counter() - began:.0f} s)",
                file=sys.stderr,
            )
    shutil.rmtree(scratch, ignore_errors=True)
    info = machine()
    failed = sum(f.ok is False for f in figures)
    if args.json:
        print(
            json.dumps(
                {
                    "machine": info,
                    "quick": args.quick,
                    "seconds": time.perf_counter() - began,
                    "failed": failed,
                    "figures": [asdict(f) for f in figures],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        mode = "quick" if args.quick else "full"
        print(
            f"sim benchmarks ({mode}, {time.perf_counter() - began:.0f} s) on {info['cpu']}, "
            f"{info['cores']} cores, Python {info['python']}, {info['os']}\n"
        )
        print(markdown(figures) if args.markdown else table(figures))
        print(
            f"\n{len(figures) - failed} of {len(figures)} figures within their bars or info; "
            f"{failed} missed"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
