"""The teacher's summaries (per team and for the class) reach the HTML and Markdown reports,
as last corrected, and hostile text in them stays text."""

from __future__ import annotations

from sim.classroom import Classroom
from sim.report import load_session, render_report
from sim.store import open_store
from tests.report.helpers import ba008_class


def noted_class() -> tuple[object, int]:
    store = open_store()
    case, session_id = ba008_class(store)
    room = Classroom.resume(case, store, session_id)
    room.summarize("Red", "An early draft.")
    room.summarize("Red", "Red listened first.\nThen priced the <b>options</b>.")
    room.summarize(None, "Next week: | lifetime value *in* numbers.")
    return store, session_id


def test_markdown_shows_the_summaries_as_corrected() -> None:
    store, session_id = noted_class()
    text = render_report(load_session(store, session_id), "md")  # type: ignore[arg-type]
    red = text.split("### Red")[1].split("### Blue")[0]
    assert "#### The teacher's summary" in red
    assert "Red listened first." in red and "&lt;b&gt;options&lt;/b&gt;" in red
    assert "An early draft" not in text
    blue = text.split("### Blue")[1].split("## Debrief")[0]
    assert "teacher's summary" not in blue
    debrief = text.split("## Debrief")[1]
    assert "### The teacher's summary of the class" in debrief
    assert "Next week: \\| lifetime value \\*in\\* numbers." in debrief


def test_html_shows_the_summaries_escaped() -> None:
    store, session_id = noted_class()
    page = render_report(load_session(store, session_id), "html")  # type: ignore[arg-type]
    red = page.split("<h3>Red</h3>")[1].split("<h3>Blue</h3>")[0]
    assert '<p class="plain">Red listened first.</p>' in red
    assert "&lt;b&gt;options&lt;/b&gt;" in red and "<b>options" not in page
    assert "Next week: | lifetime value *in* numbers." in page.split('id="debrief"')[1]
