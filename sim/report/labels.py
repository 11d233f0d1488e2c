"""The reports' words in one language, as one dict the templates read (`L.total`, ...)."""

from __future__ import annotations

from typing import get_args

from sim.i18n import tr
from sim.i18n_report import REPORT_STRINGS
from sim.model.scenario import Outcome

PREFIX = "report."
OUTCOMES: tuple[str, ...] = get_args(Outcome)


def ui_language(lang: str) -> str:
    """The UI language for a case language: Chinese for zh and its variants, else English."""
    return "zh" if lang.lower().startswith("zh") else "en"


def labels(lang: str) -> dict[str, str]:
    """Every report label in `lang`, keyed without the `report.` prefix, plus the outcomes."""
    ui = ui_language(lang)
    words = {key.removeprefix(PREFIX): tr(key, ui) for key in REPORT_STRINGS}
    words.update({f"outcome.{o}": tr(f"outcome.{o}", ui) for o in OUTCOMES})
    return words
