"""The benchmark runner's own arithmetic and worker protocol (the benchmarks themselves run in
CI after the tests, never inside them)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO


def load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


run = load_runner()


def test_percentile_is_a_real_sample_by_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert run.percentile(samples, 99) == 99.0
    assert run.percentile(samples, 50) == 50.0
    assert run.percentile([3.0, 1.0, 2.0], 100) == 3.0
    assert run.percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        run.percentile([], 99)


def test_growth_ratio_compares_per_scene_time_of_the_largest_and_smallest() -> None:
    assert run.growth_ratio({200: 0.001, 2000: 0.001, 20000: 0.001}) == 1.0
    assert run.growth_ratio({20000: 0.004, 200: 0.001, 2000: 0.002}) == 4.0


def test_the_table_shows_every_figure_with_its_bar_and_verdict() -> None:
    figures = [
        run.Figure("start-up", "first frame", 0.25, "s", "≤ 1.25×", True, 0.2, 1.25),
        run.Figure("store", "p99", 61.0, "ms", "≤ 50 ms", False, note="slow disk"),
        run.Figure("store", "median", 0.4, "ms"),
    ]
    text = run.table(figures)
    assert "start-up: first frame" in text and "250 ms" in text and "1.25×" in text
    assert "PASS" in text and "FAIL" in text and "info" in text
    assert "store: p99: slow disk" in text
    assert run.markdown(figures).splitlines()[2].startswith("| start-up: first frame | 250 ms |")


def test_the_machine_is_described() -> None:
    info = run.machine()
    assert set(info) == {"cpu", "cores", "python", "os"}
    assert all(info.values())


def test_a_worker_reports_its_figures_as_json() -> None:
    result = run.run_worker("validate", 20, 2, timeout=120)
    assert len(result["sim"]) == len(result["yaml"]) == 2
    assert result["errors"] == []
    assert all(t > 0 for t in result["sim"])


def test_a_failing_worker_is_reported_not_raised_through() -> None:
    with pytest.raises(run.WorkerFailed):
        run.run_worker("no-such-worker", timeout=60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_worker_reports_its_own_peak_memory_not_its_parents() -> None:
    """Linux's ru_maxrss keeps the peak of the image before exec: a worker started by a large
    parent read the parent's size (the memory figure's baseline was the runner's RSS)."""
    import subprocess

    ballast = bytearray(200 * 1024 * 1024)
    for at in range(0, len(ballast), 4096):
        ballast[at] = 1  # resident, not just reserved
    runner = str(REPO / "benchmarks" / "run.py")
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('r', {runner!r}); "
        "m = importlib.util.module_from_spec(spec); sys.modules['r'] = m; "
        "spec.loader.exec_module(m); print(m._peak_rss_mb())"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 5 < float(child.stdout) < 100
    del ballast
