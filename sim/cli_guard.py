"""The command line's guard rails: its output is text, never terminal control, and an error it
did not expect becomes one line and a crash log instead of a traceback (PRODUCT.md: no command
ever shows a Python traceback)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from sim.textsafe import visible, visible_line


class SafeText(io.TextIOBase):
    """A text stream that shows every unsafe character escaped before the terminal sees it.

    Every string a command prints comes from a case, a team or the store somewhere, so the
    filter sits on the stream itself: one place, which no new `print` can forget. Escapes are
    `\\uXXXX`, which is also what JSON would have written, so `--json` output stays valid JSON.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding


@contextmanager
def safe_output() -> Iterator[None]:
    """Route stdout and stderr through `SafeText` while a command runs.

    The raw streams are also told to escape what their encoding cannot hold, so a terminal in
    a non-UTF-8 locale gets `\\u4e2d` rather than a UnicodeEncodeError.
    """
    saved = sys.stdout, sys.stderr
    for stream in saved:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with suppress(ValueError, OSError):  # a closed or odd stream keeps its settings
                reconfigure(errors="backslashreplace")
    sys.stdout, sys.stderr = SafeText(saved[0]), SafeText(saved[1])
    try:
        yield
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                wrapper.flush()
        sys.stdout, sys.stderr = saved


def not_text(value: str) -> bool:
    """Whether a command-line value held bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which no database or file accepts as text), or any other lone surrogate."""
    return any("\ud800" <= ch <= "\udfff" for ch in value)


def session_id(text: str) -> int:
    """argparse type for a session id: a whole number from 1 to SQLite's largest integer."""
    import argparse

    from sim.store.protocol import SESSION_ID_MAX

    try:
        number = int(text.strip())
    except ValueError:
        number = 0
    if not 1 <= number <= SESSION_ID_MAX:
        raise argparse.ArgumentTypeError(
            f"`{visible_line(text[:40])}` is not a session id (a whole number from 1; "
            "`sim sessions` lists them)"
        )
    return number


BUDGET_MAX = 100_000_000
"""More states than any machine here holds in memory (about 3 KB each): a larger budget is a
typo, refused before the analysis starts."""


def budget(text: str) -> int:
    """argparse type for `sim analyze --budget`: a whole number of states, 1 to BUDGET_MAX."""
    import argparse

    try:
        number = int(text.strip().replace("_", "").replace(",", ""))
    except ValueError:
        number = 0
    if not 1 <= number <= BUDGET_MAX:
        raise argparse.ArgumentTypeError(
            f"`{visible_line(text[:40])}` is not a budget: give a number of states from 1 to "
            f"{BUDGET_MAX:,}"
        )
    return number


def _where(error: BaseException) -> str:
    """The innermost frame of sim's own code, e.g. `sim/store/sqlite.py:245`."""
    import traceback  # only on the way out: `sim` alone starts without it

    frames = traceback.extract_tb(error.__traceback__)
    package = Path(__file__).resolve().parent
    for frame in reversed(frames):
        try:
            relative = Path(frame.filename).resolve().relative_to(package)
        except ValueError:
            continue
        return f"sim/{relative.as_posix()}:{frame.lineno}"
    return "sim"


def unexpected(command: str, error: BaseException, argv: list[str]) -> str:
    """One line for an error no command expected: what happened, where, and what to do; the
    traceback goes to a crash log."""
    from sim.crash import write_crash_log

    log = write_crash_log(error, "command: sim " + " ".join(visible_line(a) for a in argv))
    what = visible_line(f"{type(error).__name__}: {error}")
    if len(what) > 200:
        what = what[:199] + "…"
    then = (
        f"details are in {log}; please send that file with your report"
        if log is not None
        else "no crash log could be written either (is the data folder writable?)"
    )
    return f"sim {command}: unexpected error at {_where(error)} ({what}); {then}"


def port_number(text: str) -> int:
    """argparse type for `--port`: 0 (any free port) to 65535."""
    import argparse

    try:
        number = int(text.strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            f"`{visible_line(text[:40])}` is not a port (a whole number from 0, any free port, "
            "to 65535)"
        )
    return number
