"""The networked class under load: 8 teams × 3 devices against a real `sim serve` on loopback.

    python benchmarks/classroom_net.py            # the whole BA008 case, round mode
    python benchmarks/classroom_net.py --quick    # the same (it takes seconds); for run.py
    python benchmarks/classroom_net.py --json

Every device polls its team's `state.json` and, when its team may answer, posts the answer
at the same moment as its team's two other devices (so most posts race and two of three are
refused); the instructor's device moves the class on after each reveal and rating. Then every
team rates every other team. Measured on the client: every response's time (p99 over all
requests), and the events lost: accepted answers and ballots that are not in the store
(bar: none lost, p99 ≤ 100 ms). Run from `benchmarks/run.py` too; never fails CI.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TEAMS = [f"T{n}" for n in range(1, 9)]
DEVICES = 3
CASE = "airline-ba008"
BAR_MS = 100.0
POLL = 0.25
"""Seconds between a device's polls: four a second per device, 100 requests a second from the
class before any answer (the pages themselves wait on an event stream instead)."""


def _sim() -> list[str]:
    script = Path(sys.executable).parent / "sim"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sim"]


class Device(threading.Thread):
    """One phone: a keep-alive connection, polling and answering for its team."""

    def __init__(
        self, url: str, team: str | None, shared: dict[str, Any], wait: bool = False
    ) -> None:
        """`wait`: follow the class by long poll (`state.json?wait=V`, as a page with
        JavaScript follows it by its event stream) instead of polling POLL times a second;
        the waits are kept apart from the response times (`waited`)."""
        super().__init__(daemon=True)
        self.wait = wait
        self.seen: int | None = None
        self.waited: list[float] = []
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "", parts.port or 80, parts.path
        self.team = team
        self.shared = shared
        self.times: list[float] = []
        self.accepted: dict[str, int] = {"choice": 0, "reason": 0, "rating": 0, "note": 0}
        self.errors: list[str] = []
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, what: str, body: object | None = None, timed: bool = True) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        data = json.dumps(body).encode() if body is not None else None
        began = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request("POST" if data else "GET", self.path + what, data, headers)
                answer = self.conn.getresponse()
                payload = json.loads(answer.read() or b"{}")
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    raise
        (self.times if timed else self.waited).append((time.perf_counter() - began) * 1000)
        return answer.status, payload

    def run(self) -> None:
        try:
            self._play()
        except Exception as problem:  # reported in the figure's note
            self.errors.append(repr(problem))

    def _play(self) -> None:
        rated: set[str] = set()
        while not self.shared["stop"].is_set():
            waiting = self.wait and self.seen is not None
            status, state = self.call(
                f"state.json?wait={self.seen}" if waiting else "state.json", timed=not waiting
            )
            if status == 410:
                return
            self.seen = state.get("version")
            if self.team is None:
                self._instruct(state)
            elif state["your_turn"] and state["choices"]:
                status, _ = self.call("choice", {"choice": state["choices"][0]["id"]})
                self.accepted["choice"] += status == 200
            elif state["your_turn"] and state["reasons"]:
                body = {"reason": state["reasons"][0]["id"], "justification": f"{self.team} why"}
                status, _ = self.call("reason", body)
                if status == 200:
                    self.accepted["reason"] += 1
                    self.accepted["note"] += 1
            elif state["step"] == "rate" and not state["to_rate"]:
                self.shared["done_rating"].add(self.team)
            elif state["phase"] == "rate":
                for team in state["to_rate"]:
                    if team in rated:
                        continue
                    levels = {c["id"]: c["levels"][-1] for c in state["criteria"]}
                    status, _ = self.call("rating", {"team": team, "levels": levels})
                    if status == 200:
                        rated.add(team)
                        # Two devices of a team may both send the same ballot: the second
                        # stores nothing (it changes no level), so a ballot counts once.
                        with self.shared["lock"]:
                            if (self.team, team) not in self.shared["ballots"]:
                                self.shared["ballots"].add((self.team, team))
                                self.accepted["rating"] += len(levels)
            if not self.wait:
                time.sleep(POLL)

    def _instruct(self, state: dict[str, Any]) -> None:
        if state["step"] == "reveal":
            self.shared["revealed"] += 1
            self.call("next", {})
        elif state["step"] == "rate":
            done = self.shared["ballots_in"]()
            if done or self.shared["patience"] < time.perf_counter():
                self.call("next", {})
        elif state["step"] == "debrief":
            self.shared["stop"].set()


def p99_of(times: list[float]) -> float | None:
    """The 99th percentile of sorted response times, by nearest rank (None for none)."""
    return times[max(0, int(len(times) * 0.99 + 0.5) - 1)] if times else None


def _count_events(db: Path, session: int) -> dict[str, int]:
    """Stored events by type; a justification travels in its reason's own event, so those
    are counted as `note` too (older logs stored it as a `note` event of its own)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT type, COUNT(*) FROM events WHERE session_id = ? GROUP BY type", (session,)
        ).fetchall()
        carried = conn.execute(
            "SELECT COUNT(*) FROM events WHERE session_id = ? AND type = 'reason' "
            "AND json_extract(data, '$.note') IS NOT NULL",
            (session,),
        ).fetchone()[0]
    counts = {str(t): int(n) for t, n in rows}
    counts["note"] = counts.get("note", 0) + int(carried)
    return counts


def measure(quick: bool) -> dict[str, Any]:
    """Serve a class, run the devices, and return the figures (never raises for a slow run)."""
    home = Path(tempfile.mkdtemp(prefix="sim-bench-net-"))
    env = {**os.environ, "SIM_HOME": str(home)}
    server = subprocess.Popen(
        [*_sim(), "serve", "--new", CASE, "--teams", ",".join(TEAMS), "--mode", "round",
         "--port", "0", "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        line = json.loads(server.stdout.readline())
        session = int(line["session"])
        links = json.loads(
            subprocess.run(
                [*_sim(), "links", str(session), "--json"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        shared: dict[str, Any] = {
            "stop": threading.Event(),
            "revealed": 0,
            "done_rating": set(),
            "ballots": set(),
            "lock": threading.Lock(),
            "patience": 0.0,
        }
        devices = [
            Device(links["teams"][team], team, shared) for team in TEAMS for _ in range(DEVICES)
        ]
        teacher = Device(links["instructor"], None, shared)

        def ballots_in() -> bool:
            return shared["done_rating"] >= set(TEAMS)

        shared["ballots_in"] = ballots_in
        shared["patience"] = time.perf_counter() + 120
        began = time.perf_counter()
        for device in [*devices, teacher]:
            device.start()
        deadline = began + (60 if quick else 180)
        while not shared["stop"].is_set() and time.perf_counter() < deadline:
            time.sleep(0.1)
        shared["stop"].set()
        for device in [*devices, teacher]:
            device.join(10)
        seconds = time.perf_counter() - began
        accepted = {k: sum(d.accepted[k] for d in devices) for k in devices[0].accepted}
        stored = _count_events(home / "sessions.sqlite3", session)
        corrections = stored.get("correction", 0)
        lost = sum(max(0, accepted[k] - stored.get(k, 0)) for k in accepted) + corrections
        times = sorted(t for d in [*devices, teacher] for t in d.times)
        p99 = p99_of(times)
        errors = [e for d in [*devices, teacher] for e in d.errors]
        return {
            "requests": len(times),
            "seconds": seconds,
            "p99_ms": p99,
            "median_ms": times[len(times) // 2] if times else None,
            "accepted": accepted,
            "stored": stored,
            "lost": lost,
            "errors": errors[:3],
            "ok": bool(times) and not errors and lost == 0 and p99 is not None and p99 <= BAR_MS,
        }
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two decisions only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.quick)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{len(TEAMS)} teams × {DEVICES} devices, {result['requests']} requests in "
            f"{result['seconds']:.1f} s: p99 {result['p99_ms']:.1f} ms (median "
            f"{result['median_ms']:.1f} ms), events lost {result['lost']} — "
            f"{'PASS' if result['ok'] else 'FAIL'} (bar: none lost, p99 ≤ {BAR_MS:.0f} ms)"
        )
        if result["errors"]:
            print("errors:", *result["errors"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
