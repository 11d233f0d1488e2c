"""Shared fixtures: an isolated data folder for every test, and paths to the test cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
BROKEN = TESTS / "broken"
CASES = TESTS / "cases"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def sim_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test writes its sessions into its own folder, never the user's."""
    home = tmp_path / "sim-home"
    monkeypatch.setenv("SIM_HOME", str(home))
    yield home
