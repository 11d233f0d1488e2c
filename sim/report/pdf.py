"""PDF export: the HTML report or handout, printed to A4 by a headless Chromium.

The HTML is already laid out for print (its own `@media print` rules, page breaks between
teams), so a browser's print engine is the faithful way to make a PDF of it; a Python PDF
library would lay it out a second time, differently. Chromium is optional: `sim doctor` says
whether it is there and how to install it, and without it this says so in one line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sim.report.source import ReportError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MACOS_BROWSERS = (
    Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
    Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
)
PRINT_TIMEOUT_S = 120

# Nothing fetched, nothing remembered: a throwaway profile and no background traffic.
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_chromium() -> str | None:
    """A Chromium-family browser on PATH (or in /Applications on macOS), or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "darwin":
        return next((str(p) for p in MACOS_BROWSERS if p.exists()), None)
    return None


def print_pdf(html: str, out: Path, browser: str | None = None) -> None:
    """Print `html` to the PDF file `out`; a ReportError says why it could not."""
    program = browser or find_chromium()
    if program is None:
        raise ReportError(
            "PDF needs Chromium or Google Chrome, and neither was found; install one "
            "(`sim doctor` names the package) or write HTML and print it from a browser"
        )
    target = out.resolve()
    with tempfile.TemporaryDirectory(prefix="sim-pdf-") as scratch:
        page = Path(scratch) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [program, *FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        command += [f"--print-to-pdf={target}", page.as_uri()]
        try:
            target.unlink(missing_ok=True)
            done = subprocess.run(
                command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"{program} did not finish printing within {PRINT_TIMEOUT_S} s"
            ) from None
        except OSError as problem:
            raise ReportError(f"cannot run {program}: {problem.strerror or problem}") from None
    try:
        head = target.read_bytes()[:5]
    except OSError:
        head = b""
    if head != b"%PDF-":
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = said[-1][:200] if said else f"exit status {done.returncode}"
        raise ReportError(f"{program} wrote no PDF to {out} ({last})")
