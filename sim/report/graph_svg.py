"""DOT to SVG with Graphviz's `dot` program, for `sim graph` and the instructors' handout.

Graphviz lays out a branching story far better than anything worth writing here, and it is
one package away on every system (`sim doctor` names it). Without it, `sim graph` still
writes DOT and Mermaid text.
"""

from __future__ import annotations

import shutil
import subprocess

from sim.report.source import ReportError

DOT_TIMEOUT_S = 60


def have_dot() -> bool:
    return shutil.which("dot") is not None


def dot_to_svg(dot: str) -> str:
    """The SVG drawing of a DOT graph; a ReportError says why there is none."""
    program = shutil.which("dot")
    if program is None:
        raise ReportError(
            "SVG needs Graphviz's `dot` program, which is not installed (Debian/Ubuntu: "
            "sudo apt install graphviz; macOS: brew install graphviz; `sim doctor` checks); "
            "--format dot or --format mermaid need nothing"
        )
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReportError(f"Graphviz did not finish the drawing within {DOT_TIMEOUT_S} s") from None
    except OSError as problem:
        raise ReportError(f"cannot run {program}: {problem.strerror or problem}") from None
    if done.returncode != 0 or b"<svg" not in done.stdout:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReportError(f"Graphviz failed: {said[-1][:200] if said else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def inline_svg(svg: str) -> str:
    """The `<svg>` element alone, to place inside an HTML page (no XML prolog or DOCTYPE)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""
