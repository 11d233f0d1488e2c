"""The web face: a class served to the teams' phones and the instructor's tablet.

Beside `sim/tui/`, calling the same core (`Classroom`, the session log, the store); the core
never imports it. Its packages (Starlette, uvicorn, segno) are the optional extra `sim[web]`:
`require_web()` names the one command that installs them instead of an ImportError.
"""

from __future__ import annotations

import importlib.util

WEB_PACKAGES = ("starlette", "uvicorn", "segno")
INSTALL_HINT = 'pip install "sim[web]" (in a clone: .venv/bin/python -m pip install -e ".[web]")'


class WebUnavailable(RuntimeError):
    """The web packages are not installed: one line that says how to install them."""


def require_web() -> None:
    missing = [name for name in WEB_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise WebUnavailable(
            f"serving a class needs {', '.join(missing)}, which are not installed: {INSTALL_HINT}"
        )
