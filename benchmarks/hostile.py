"""Hostile cases against the README's promises: time and peak memory of `sim validate` and
`sim analyze` on the shapes that once ran for minutes and took gigabytes (issue 15).

    python benchmarks/hostile.py            # every case, default budget (about 2 minutes)
    python benchmarks/hostile.py --json     # machine-readable figures

Each command runs as a user runs it, in its own process, and is measured by the kernel
(wall time, and the peak resident memory `wait4` reports for that one process). The exit
status is 1 when a promise is broken. The cases come from `sim.synthetic`:

- a loop: two scenes whose choices lead back to each other, each with a way out;
- a loop with no way out at all;
- a path-recording case: 30 scenes x 8 choices whose variables record every step, so every
  prefix is a distinct state (8**30 of them);
- one scene with 100,000 choices (the largest that fits the 4 MB file limit).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

# What the README promises for each command on each case: (seconds, megabytes), on this
# project's machine (2 cores, shared); the measured figures are printed beside them.
PROMISES: dict[tuple[str, str], tuple[float, float]] = {
    ("loop", "validate"): (5, 150),
    ("loop", "analyze"): (5, 150),
    ("loop-no-exit", "validate"): (5, 150),
    ("loop-no-exit", "analyze"): (5, 150),
    ("recording-30x8", "validate"): (10, 250),
    ("recording-30x8", "analyze"): (40, 600),
    ("wide-100000", "validate"): (40, 1500),
    ("wide-100000", "analyze"): (60, 2000),
}


@dataclass
class Measure:
    case: str
    command: str
    seconds: float
    megabytes: float
    exit: int
    promise_seconds: float
    promise_megabytes: float

    @property
    def kept(self) -> bool:
        return (
            self.exit in (0, 1)
            and self.seconds <= self.promise_seconds
            and self.megabytes <= self.promise_megabytes
        )


def cases() -> dict[str, Callable[[], str]]:
    from sim.synthetic import loop_yaml, recording_yaml, wide_scene_yaml

    return {
        "loop": lambda: loop_yaml(2),
        "loop-no-exit": lambda: loop_yaml(2, exits=False),
        "recording-30x8": lambda: recording_yaml(30, 8),
        "wide-100000": lambda: wide_scene_yaml(100_000),
    }


def measure(command: list[str], env: dict[str, str], limit: float) -> tuple[float, float, int]:
    """Wall seconds, peak MB and exit status of one process (killed past `limit` seconds)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    deadline = started + limit
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def run(selected: Sequence[str]) -> list[Measure]:
    results = []
    with tempfile.TemporaryDirectory(prefix="sim-hostile-") as folder:
        home = Path(folder) / "home"
        env = {**os.environ, "SIM_HOME": str(home)}
        for name, make in cases().items():
            if selected and name not in selected:
                continue
            path = Path(folder) / "scenarios" / f"{name}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(make(), encoding="utf-8")
            for command in ("validate", "analyze"):
                seconds, megabytes = PROMISES[(name, command)]
                argv = [sys.executable, "-m", "sim", command, str(path)]
                took, peak, status = measure(argv, env, limit=3 * seconds)
                results.append(Measure(name, command, took, peak, status, seconds, megabytes))
    return results


def table(results: list[Measure]) -> str:
    lines = [
        f"{'case':<16} {'command':<9} {'time':>8} {'promise':>8} {'memory':>9} "
        f"{'promise':>9}  verdict",
    ]
    for m in results:
        verdict = "kept" if m.kept else ("EXIT " + str(m.exit) if m.exit > 1 else "BROKEN")
        lines.append(
            f"{m.case:<16} {m.command:<9} {m.seconds:>7.1f}s {m.promise_seconds:>7.0f}s "
            f"{m.megabytes:>7.0f}MB {m.promise_megabytes:>7.0f}MB  {verdict}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.cases)
    if args.json:
        print(json.dumps([{**asdict(m), "kept": m.kept} for m in results], indent=2))
    else:
        print(table(results))
    return 0 if all(m.kept for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
