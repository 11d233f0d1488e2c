"""`sim serve` as a real process on a real socket: the JSON line, state.json over HTTP, a move
pushed to a waiting event stream, `sim links --json`, and the headless-Chromium look at a
team's page on a phone-sized window."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.store import open_store
from tests.conftest import CASES

pytest.importorskip("uvicorn")

SCALE = CASES / "scenarios" / "scale-check.yaml"
ARTIFACTS = (
    Path(os.environ.get("SIM_TEST_ARTIFACTS", "")) if os.environ.get("SIM_TEST_ARTIFACTS") else None
)


def sim(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], env=env, capture_output=True, text=True, timeout=60
    )


class Served:
    def __init__(self, process: subprocess.Popen[str], line: dict[str, Any], env: dict[str, str]):
        self.process = process
        self.line = line
        self.env = env

    def links(self) -> dict[str, Any]:
        done = sim("links", str(self.line["session"]), "--json", env=self.env)
        assert done.returncode == 0, done.stderr
        data: dict[str, Any] = json.loads(done.stdout)
        return data


def request(url: str, body: object | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    asked = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    if body is not None:
        asked.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(asked, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.fixture
def served(sim_home: Path) -> Iterator[Served]:
    env = {**os.environ, "SIM_HOME": str(sim_home), "PYTHONUNBUFFERED": "1"}
    command = ["serve", "--new", str(SCALE), "--teams", "A,B,C", "--lang", "en", "--port", "0"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # blocks until the server says it listens
        assert first, process.stderr.read() if process.stderr else "no output"
        yield Served(process, json.loads(first), env)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_prints_one_json_line_and_answers_over_http(served: Served) -> None:
    line = served.line
    assert set(line) == {"session", "url"}
    assert line["url"].startswith("http://127.0.0.1:") and not line["url"].endswith(":0/")
    links = served.links()
    assert set(links) == {"instructor", "teams"} and list(links["teams"]) == ["A", "B", "C"]
    for url in [links["instructor"], *links["teams"].values()]:
        assert url.startswith(line["url"])
    status, state = request(links["teams"]["A"] + "state.json")
    assert status == 200 and state["team"] == "A" and state["your_turn"] is True
    status, _ = request(line["url"] + "nobody/state.json")
    assert status == 404
    status, moved = request(links["teams"]["A"] + "choice", {"choice": "warm"})
    assert status == 200 and moved["ok"] is True
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=15) == 0  # an orderly end, not death by the signal
    assert served.process.stderr is not None and served.process.stderr.read() == ""


def test_a_move_is_pushed_to_a_waiting_event_stream(served: Served) -> None:
    links = served.links()
    watcher = urllib.request.urlopen(links["teams"]["B"] + "events", timeout=10)
    try:
        assert next_event(watcher) == {"retry": "3000"}
        first = next_event(watcher)
        assert first["event"] == "change"
        request(links["teams"]["A"] + "choice", {"choice": "warm"})
        started = time.monotonic()
        pushed = next_event(watcher)
        assert pushed["event"] == "change" and int(pushed["data"]) > int(first["data"])
        assert time.monotonic() - started < 2
    finally:
        watcher.close()


def next_event(stream: Any) -> dict[str, str]:
    """One server-sent event's fields (comments skipped), read up to its blank line."""
    fields: dict[str, str] = {}
    while True:
        line = stream.readline().decode()
        if line in ("\n", ""):
            if fields or line == "":
                return fields
            continue
        if not line.startswith(":"):
            key, _, value = line.rstrip("\n").partition(":")
            fields[key] = value.strip()


def test_links_without_a_serve_need_an_address(sim_home: Path) -> None:
    env = {**os.environ, "SIM_HOME": str(sim_home)}
    made = sim("run", str(SCALE), "--choices", "warm:care,gift", "--record", env=env)
    assert made.returncode == 0
    refused = sim("links", "1", "--json", env=env)
    assert refused.returncode == 1 and "not a class" in refused.stderr
    assert "Traceback" not in refused.stderr
    refused = sim("serve", "1", "--port", "0", env=env)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
def test_a_team_joins_plays_a_turn_and_rates_in_a_real_browser(
    served: Served, tmp_path: Path
) -> None:
    """Headless Chromium on a phone-sized screen (390×844), tapping as a finger would: team A
    opens its link, picks a choice, then a reason with a typed justification, then its last
    choice; team B's link then shows A's path and a ballot, which B fills in and sends. After
    every tap, what the page says and what the store holds are checked, so a broken page
    flow fails here. Screenshots go to SIM_TEST_ARTIFACTS when set (they were looked at)."""
    pytest.importorskip("websocket", reason="websocket-client (the test extra) is not installed")
    from tests.web.cdp import Browser

    links = served.links()
    a, b = links["teams"]["A"], links["teams"]["B"]
    session = int(served.line["session"])

    def stored() -> list[tuple[str, str | None, dict[str, Any]]]:
        with open_store() as store:
            return [(e.type, e.team, dict(e.data)) for e in store.events(session)]

    def moves() -> list[tuple[str, str | None, dict[str, Any]]]:
        return [e for e in stored() if e[0] in ("choice", "note", "reason", "rating")]

    shots: list[Path] = []
    browser = Browser()
    try:
        browser.open(a + "?lang=en")  # joining is opening the link: nothing to install
        assert browser.text("h2") == "Your turn"
        assert "First decision." in browser.text()
        shots.append(browser.screenshot(tmp_path / "1-team-a-choice.png"))
        browser.tap('input[name="choice"][value="warm"]')
        browser.tap('form[action="choice"] button[type="submit"]', navigates=True)
        assert moves() == [("choice", "A", {"scene": "s1", "choice": "warm"})]
        assert "Your choice" in browser.text() and "Warm" in browser.text()
        browser.tap('input[name="reason"][value="care"]')
        said = "She <b>needs</b> to be heard · 她需要被倾听"
        browser.type("#justification", said)
        shots.append(browser.screenshot(tmp_path / "2-team-a-reason.png"))
        browser.tap('form[action="reason"] button[type="submit"]', navigates=True)
        # The justification travels in the reason's own event (undoing the reason undoes it).
        assert moves()[1:] == [("reason", "A", {"scene": "s1", "reason": "care", "note": said})]
        assert "Second decision." in browser.text()
        browser.tap('input[name="choice"][value="gift"]')
        browser.tap('form[action="choice"] button[type="submit"]', navigates=True)
        assert moves()[2] == ("choice", "A", {"scene": "s2", "choice": "gift"})
        assert browser.text("h2") == "Please wait"  # A's run is over; the class rates it

        browser.open(b + "?lang=en")
        assert browser.text("h2") == "Rating"
        assert said in browser.text()  # A's justification, as typed: escaped, not markup
        assert browser.evaluate("document.querySelectorAll('main b').length") == 0
        radios = browser.evaluate(
            "Array.from(document.querySelectorAll('form[action=\"rating\"] input[type=radio]'))"
            ".map(function(e){return [e.name, e.value];})"
        )
        levels: dict[str, list[str]] = {}
        for name, value in radios:
            levels.setdefault(name, []).append(value)
        assert levels and all(len(v) >= 2 for v in levels.values())
        chosen = {name: values[1] for name, values in levels.items()}  # each second level
        for name, value in chosen.items():
            browser.tap(f'input[name="{name}"][value="{value}"]')
        shots.append(browser.screenshot(tmp_path / "3-team-b-ballot.png"))
        browser.tap('form[action="rating"] button[type="submit"]', navigates=True)
        ballot = {
            str(data["criterion"]): float(data["points"])
            for kind, team, data in moves()
            if kind == "rating" and team == "A"
        }
        assert ballot == {n.removeprefix("level."): float(v) for n, v in chosen.items()}
        assert all(data["rater"] == "B" for kind, _, data in moves() if kind == "rating")
        assert browser.text("h2") == "Please wait"  # B has no ballot left to send
        # …but may correct the one it sent while the rating is open (folded away).
        assert "Your ballot for A is in (open to correct it)" in browser.text()
        shots.append(browser.screenshot(tmp_path / "4-team-b-sent.png"))
    finally:
        browser.close()
    for path in shots:
        assert path.stat().st_size > 5_000  # a blank 390-wide PNG is far smaller
        if ARTIFACTS is not None:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, ARTIFACTS / path.name)
