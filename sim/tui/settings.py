"""The app's remembered preferences: theme, language, feedback timing and gauges.

Kept as `settings.json` in the data folder (`SIM_HOME` when set), so an instructor who picks
the projector theme once finds it there the next class, and a student's language and
feedback timing carry over between attempts. A missing or damaged file means the first-run
defaults (dark theme, the case's language or Chinese, feedback after each choice, gauges
shown); it is never a reason to stop the app, and the next change writes a good file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from sim.i18n import UI_LANGUAGES
from sim.library import data_home
from sim.tui.themes import DARK, THEMES

FILE_NAME = "settings.json"
FEEDBACK = ("immediate", "end")


@dataclass(frozen=True)
class Preferences:
    theme: str = DARK
    lang: str | None = None
    """None until the user switches language: then the case's language, else Chinese."""
    feedback: str = "immediate"
    gauges: bool = True

    def with_(self, **changes: Any) -> Preferences:
        return replace(self, **changes)


def settings_path() -> Path:
    return data_home() / FILE_NAME


def _valid(raw: object) -> Preferences:
    """Every known key with a valid value is taken; anything else keeps its default."""
    prefs = Preferences()
    if not isinstance(raw, dict):
        return prefs
    if raw.get("theme") in THEMES:
        prefs = prefs.with_(theme=raw["theme"])
    if raw.get("lang") in UI_LANGUAGES:
        prefs = prefs.with_(lang=raw["lang"])
    if raw.get("feedback") in FEEDBACK:
        prefs = prefs.with_(feedback=raw["feedback"])
    if isinstance(raw.get("gauges"), bool):
        prefs = prefs.with_(gauges=raw["gauges"])
    return prefs


def load_preferences() -> Preferences:
    try:
        text = settings_path().read_text(encoding="utf-8")
        return _valid(json.loads(text))
    except (OSError, ValueError):
        return Preferences()


def save_preferences(prefs: Preferences) -> bool:
    """Write the file whole (a temporary file renamed over it); False if it cannot be written
    (a read-only data folder costs the preference, not the class)."""
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(prefs), out, ensure_ascii=False, indent=2)
            out.write("\n")
        os.replace(temp, path)
    except OSError:
        return False
    return True
