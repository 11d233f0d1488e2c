"""Shared fixtures: an isolated data folder for every test, and paths to the test cases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples every time, so a green main stays green; set
# HYPOTHESIS_PROFILE=explore to search fresh examples while working on the engine.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TESTS = Path(__file__).parent
BROKEN = TESTS / "broken"
CASES = TESTS / "cases"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def file_order(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """New attempts and classes show options in file order, so a test's digit presses pick
    known options; tests marked `shuffled` get the real, random order (tests/test_order.py)."""
    if request.node.get_closest_marker("shuffled") is None:
        monkeypatch.setattr("sim.order.new_seed", lambda: None)


@pytest.fixture(autouse=True)
def sim_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test writes its sessions into its own folder, never the user's."""
    home = tmp_path / "sim-home"
    monkeypatch.setenv("SIM_HOME", str(home))
    yield home
