"""The debrief report and the handout as Markdown, for pasting into a learning platform."""

from __future__ import annotations

import re

from sim.report.context import HandoutView, SessionView
from sim.report.environment import markdown_environment

_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"


def report_markdown(view: SessionView) -> str:
    return _tidy(markdown_environment().get_template("report.md.j2").render(view=view))


def handout_markdown(view: HandoutView) -> str:
    return _tidy(markdown_environment().get_template("handout.md.j2").render(view=view))
