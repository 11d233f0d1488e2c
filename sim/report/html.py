"""The debrief report as one self-contained HTML file (inline CSS and SVG, no script)."""

from __future__ import annotations

from sim.report.context import HandoutView, SessionView
from sim.report.environment import html_environment


def report_html(view: SessionView) -> str:
    return html_environment().get_template("report.html.j2").render(view=view)


def handout_html(view: HandoutView) -> str:
    return html_environment().get_template("handout.html.j2").render(view=view)
