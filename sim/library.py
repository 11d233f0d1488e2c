"""Where cases and rubrics live: the bundled library, local folders, and rubric lookup."""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

RUBRIC_ID = re.compile(r"[a-z0-9-]+")
"""What a rubric reference may be. It names a file, so anything else (`../../creds`, an absolute
path) could reach outside the library; such a reference finds nothing and the validator names
the field."""


def _inside(path: Path, folder: Path) -> bool:
    """Whether a rubric file really lies in its folder (a symlink may point elsewhere)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def bundled_root() -> Path:
    """The folder holding the bundled `scenarios/` and `rubrics/`.

    A wheel carries them in `sim/_bundled/`; a checkout or editable install uses the
    repository's own top-level folders, so authors edit one copy.
    """
    packaged = PACKAGE_DIR / "_bundled"
    if (packaged / "scenarios").is_dir():
        return packaged
    return PACKAGE_DIR.parent


def bundled_scenarios() -> list[Path]:
    return sorted((bundled_root() / "scenarios").glob("*.yaml"))


def bundled_rubric(rubric_id: str) -> Path | None:
    if not RUBRIC_ID.fullmatch(rubric_id):
        return None
    folder = bundled_root() / "rubrics"
    candidate = folder / f"{rubric_id}.yaml"
    return candidate if candidate.is_file() and _inside(candidate, folder) else None


def rubric_path(scenario_path: Path, rubric_id: str) -> Path | None:
    """FORMAT.md's lookup: `../rubrics/ID.yaml` beside the scenario's folder, then bundled.

    Only ids (`[a-z0-9-]+`) are looked up, and only files inside those two folders are found.
    """
    if not RUBRIC_ID.fullmatch(rubric_id):
        return None
    folder = scenario_path.resolve().parent.parent / "rubrics"
    local = folder / f"{rubric_id}.yaml"
    if local.is_file() and _inside(local, folder):
        return local
    return bundled_rubric(rubric_id)


def data_home() -> Path:
    """The data folder (database, exports): `SIM_HOME`, else the platform's user data folder."""
    configured = os.environ.get("SIM_HOME")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("sim", appauthor=False)


def local_scenarios() -> list[Path]:
    """Cases the user keeps in the data folder's `scenarios/`."""
    folder = data_home() / "scenarios"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
