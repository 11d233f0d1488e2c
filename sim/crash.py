"""Crash logs: when the app meets an error it did not expect, the details go to a file and the
next start offers to resume the unfinished attempts and classes (their events are all stored).

The log folder is `logs/` in `SIM_HOME` when that is set (tests, portable installs), else the
platform's user log folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

PENDING = "crash-pending"
"""A marker beside the logs naming the newest crash log the user has not been told about."""


def log_folder() -> Path:
    configured = os.environ.get("SIM_HOME")
    if configured:
        return Path(configured).expanduser() / "logs"
    from platformdirs import user_log_path

    return user_log_path("sim", appauthor=False)


def write_crash_log(error: BaseException, context: str = "") -> Path | None:
    """Write the traceback and the versions to a new log; None if even that is impossible."""
    import platform

    from sim import __version__

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}.log"
        details = "".join(traceback.format_exception(error))
        path.write_text(
            f"sim {__version__} crashed at {stamp} UTC\n"
            f"python {sys.version.split()[0]} on {platform.platform()}\n"
            f"{context}\n\n{details}",
            encoding="utf-8",
        )
        (folder / PENDING).write_text(path.name, encoding="utf-8")
    except OSError:
        return None
    return path


def pending_crash() -> Path | None:
    """The crash log of the last run if the user has not seen the resume prompt for it yet."""
    marker = log_folder() / PENDING
    try:
        name = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = marker.parent / name
    return path if name and path.is_file() else None


def acknowledge() -> None:
    """The user has seen the prompt: do not offer it again."""
    with contextlib.suppress(OSError):
        (log_folder() / PENDING).unlink(missing_ok=True)
