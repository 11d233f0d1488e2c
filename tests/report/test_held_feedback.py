"""Feedback held back during a class reaches the reports: every chosen option's feedback,
each reason's feedback, and the note when a reason does not support its choice."""

from __future__ import annotations

import html

from sim.cases import load_case
from sim.model import localize
from sim.report import load_session, render_report
from sim.report.environment import md_escape
from sim.store import open_store
from tests.report.helpers import BA008_PATHS, ba008_class


def expected_feedback(lang: str) -> list[str]:
    """Every feedback text of every step the teams took, from the case file itself."""
    sc = load_case("airline-ba008").scenario
    texts = []
    for path in BA008_PATHS.values():
        scene_id = sc.start
        for choice_id, reason_id in path:
            scene = sc.scenes[scene_id]
            choice = next(c for c in scene.choices if c.id == choice_id)
            assert choice.feedback is not None
            texts.append(localize(choice.feedback, lang, sc.default_language))
            reason = next((r for r in scene.reasons if r.id == reason_id), None)
            if reason is not None and reason.feedback is not None:
                texts.append(localize(reason.feedback, lang, sc.default_language))
            scene_id = choice.next
    return texts


def test_markdown_shows_every_feedback_and_the_mismatch() -> None:
    store = open_store()
    _, session_id = ba008_class(store)
    text = render_report(load_session(store, session_id), "md")
    for feedback in expected_feedback("en"):
        assert md_escape(feedback) in text
    section = text.split("### Blue")[1]
    assert "does not fit the choice" in section.split("#### Automatic")[0]
    red = text.split("### Red")[1].split("### Blue")[0]
    assert "does not fit the choice" not in red
    assert "we asked her first" in red


def test_html_shows_every_feedback_and_the_mismatch() -> None:
    store = open_store()
    _, session_id = ba008_class(store, "zh")
    page = html.unescape(render_report(load_session(store, session_id), "html"))
    for feedback in expected_feedback("zh"):
        assert " ".join(feedback.split()) in " ".join(page.split())
    blue = page.split("<h3>Blue</h3>")[1]
    assert "理由与选择不符" in blue.split("<h4>")[1]
