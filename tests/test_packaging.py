"""The wheel carries the bundled cases, so an installed `sim` plays what a checkout plays."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_the_bundled_scenarios_and_rubrics(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("sim-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("scenarios", "rubrics"):
        for path in (REPO / folder).glob("*.yaml"):
            assert f"sim/_bundled/{folder}/{path.name}" in names
    assert "sim/cli.py" in names
    # Files the app reads at run time besides modules: report templates and stylesheets.
    package = REPO / "sim"
    for pattern in ("report/templates/*.j2", "tui/styles/*.tcss"):
        found = sorted(package.glob(pattern))
        assert found, pattern
        for path in found:
            assert f"sim/{path.relative_to(package).as_posix()}" in names
