"""A class killed with SIGKILL mid-play resumes with every event it had made.

The class runs in a real subprocess (the app driven by its Pilot, printing each committed
event count); the test kills it while it is still pressing keys, then reopens the session.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sim.cases import load_case
from sim.classroom import Classroom, Reveal, Turn
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_play import ClassScreen
from tests.conftest import CASES, REPO

SCALE = CASES / "scenarios" / "scale-check.yaml"
PLAYER = textwrap.dedent(
    """
    import asyncio, sys
    from sim.cases import load_case
    from sim.classroom import Classroom
    from sim.store import open_store
    from sim.tui.app import SimApp

    async def main() -> None:
        store = open_store()
        room = Classroom.begin(
            load_case(sys.argv[1]),
            store,
            ["A", "B", "C"],
            # File order (no per-team shuffle), so the digits below pick the moves named.
            settings={"mode": "round", "order_seed": None},
        )
        app = SimApp(lang="en", store=store, classroom=room)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the projected briefing
            for digit in sys.argv[2].split(","):
                await pilot.press(digit, "enter")
                await pilot.pause()
                print(room.session_id, len(store.events(room.session_id)), flush=True)
            await asyncio.sleep(60)

    asyncio.run(main())
    """
)
# Round mode, first decision: A warm because care; B cold because cheap; C warm because cheap.
MOVES = "1,1,2,2,1,2"


def test_sigkill_mid_play_loses_no_committed_event(tmp_path: Path, sim_home: Path) -> None:
    script = tmp_path / "player.py"
    script.write_text(PLAYER, encoding="utf-8")
    env = {**os.environ, "SIM_HOME": str(sim_home), "PYTHONPATH": str(REPO)}
    player = subprocess.Popen(
        [sys.executable, str(script), str(SCALE), MOVES],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert player.stdout is not None
    reported: list[tuple[int, int]] = []
    try:
        for line in player.stdout:
            session, events = (int(x) for x in line.split())
            reported.append((session, events))
            if len(reported) == 5:  # mid-play: C has chosen and is about to say why
                os.kill(player.pid, signal.SIGKILL)
                break
    finally:
        player.wait(timeout=60)
    assert player.returncode == -signal.SIGKILL
    session_id, committed = reported[-1]

    case = load_case(SCALE)
    room = Classroom.resume(case, open_store(), session_id)
    assert len(room.events) >= committed
    assert room.state.problems == []
    assert [(s.choice, s.reason) for s in room.run_of("A").steps] == [("warm", "care")]
    assert [(s.choice, s.reason) for s in room.run_of("B").steps] == [("cold", "cheap")]
    c = room.run_of("C")
    # The kill may land before or after C's reason was committed; never in between.
    assert (c.pending, c.steps) == ("warm", ()) or [(s.choice, s.reason) for s in c.steps] == [
        ("warm", "cheap")
    ]

    async def resumed() -> None:
        # The reopened class shows where it stopped and plays on to the next decision.
        app = SimApp(lang="en", store=open_store(), classroom=room)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ClassScreen)
            if room.phase() == Turn("C", 0):
                await pilot.press("2", "enter")
                await pilot.pause()
            assert room.phase() == Reveal(0)
            await pilot.press("enter")
            await pilot.pause()
            assert room.phase() == Turn("A", 1)

    asyncio.run(resumed())
