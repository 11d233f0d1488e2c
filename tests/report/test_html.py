"""The HTML debrief report: self-contained, escaped, and showing what the session adds up to."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from sim.cases import load_case
from sim.model import localize
from sim.report import render_report
from sim.report.environment import html_environment
from sim.store import SqliteStore, open_store
from tests.report.helpers import (
    AUTO,
    HOSTILE,
    HOSTILE_CASE,
    HOSTILE_SHOWN,
    HUMAN,
    NOTE,
    PATHS,
    classroom,
    record,
    scale_case,
    source_of,
)


class Outline(HTMLParser):
    """Tags, attributes and text of a page, to check what a browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


def test_autoescape_is_on_for_the_html_j2_templates() -> None:
    # select_autoescape() would leave `*.html.j2` unescaped (PRODUCT.md, known traps).
    env = html_environment()
    template = env.get_template("report.html.j2")
    assert template.environment.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_classroom_report_shows_every_team_with_its_scores_and_path(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    html = render_report(source_of(store, session.session_id), "html")
    page = outline(html)
    text = page.plain
    assert '<html lang="en">' in html
    for team, expected in AUTO.items():
        name = HOSTILE_SHOWN if team == HOSTILE else team
        assert text.count(name) >= 3  # glance table, paths, team section (and the chart)
        assert f"{expected:.1f}" in text
        assert f"{HUMAN[team]:.1f}" in text
        total = HUMAN[team]  # the course formula: the rated score is the grade
        assert f"{total:.1f}" in text
    # Each team's path, the justification typed with a choice and the mismatch warning.
    for path in PATHS.values():
        for choice, _ in path:
            assert choice.capitalize() in text
    assert NOTE in text
    assert "does not fit the choice" in text
    # Ratings by rater kind and the one still missing (Blue, by peer team Red).
    assert "Instructor mean" in text and "Peer mean" in text
    assert "Ratings still missing" in text
    # The level descriptors of the scorecard (from four.yaml) and the divergence mark.
    assert "x4" in text and "y4" in text
    assert "The paths diverge here" in text


def test_corrections_are_honoured(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    source = source_of(store, session.session_id)
    blue = next(t for t in source.result.teams if t.team == "Blue")
    # The voided `cold` is not Blue's first step; the voided slip rating does not count.
    assert blue.steps[0].choice == "warm"
    red = next(t for t in source.result.teams if t.team == "Red")
    assert red.human_percent == pytest.approx(HUMAN["Red"])
    assert f"{HUMAN['Red']:.1f}" in outline(render_report(source, "html")).plain


def test_self_contained_no_script_no_network(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    html = render_report(source_of(store, session.session_id), "html")
    page = outline(html)
    assert "script" not in page.tags
    assert not {"link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert "svg" in page.tags and "rect" in page.tags and "style" in page.tags
    for name, value in page.attrs:
        assert not name.startswith("on"), name
        if name in ("src", "href"):
            raise AssertionError(f"external reference {name}={value}")
    # Only the SVG namespace names a URL, and nothing is fetched from it.
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    assert "@page { size: A4" in html and "@media print" in html


def test_chart_bars_are_proportional_to_the_scores(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    html = render_report(source_of(store, session.session_id), "html")
    widths = [float(w) for w in re.findall(r'<rect [^>]*\swidth="([\d.]+)"', html)]
    totals = [HUMAN[t] for t in PATHS]  # the course formula
    # The last group of bars is the total, one bar per team, on a 640-unit axis.
    assert widths[-3:] == pytest.approx([640 * t / 100 for t in totals], abs=0.1)


def test_hostile_team_name_is_escaped_and_stripped(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    html = render_report(source_of(store, session.session_id), "html")
    assert "<script>" not in html
    assert "=1+2&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html and "[31m" not in html and "[2J" not in html
    assert HOSTILE_SHOWN in outline(html).plain


def test_hostile_case_text_stays_text(store: SqliteStore) -> None:
    case = load_case(HOSTILE_CASE)
    session = record(store, case, "Solo", [("kind", None)])
    html = render_report(source_of(store, session), "html")
    page = outline(html)
    assert "script" not in page.tags and "img" not in page.tags and "u" not in page.tags
    assert all(not name.startswith("on") for name, _ in page.attrs)
    assert "javascript:" not in [value for _, value in page.attrs]
    assert "\x1b" not in html and "\x07" not in html
    text = page.plain
    # Author text is data, never a template: the braces arrive as typed. (The session's
    # time, `2026-12-02 00:49`, is left out of the look for a 49: the test failed at
    # minute 49 of every hour.)
    assert "{{ 7*7 }}" in text
    assert "49" not in re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "", text)
    assert "<img src=x onerror=alert(1)>" in text
    assert "Really <script>alert('outcome')</script>" in text
    assert "Why {{ config }}?" in text
    # The only formatting kept from author Markdown is the safe subset, built by us.
    assert "<strong>kind</strong>" in html


def test_recorded_run_report_in_the_case_language(store: SqliteStore) -> None:
    case = load_case("airline-ba008")
    path = [("listen", "understand-first"), ("check-record", None)]
    session = record(store, case, "Solo", path)
    source = source_of(store, session)
    html = render_report(source, "html")
    lang = case.scenario.default_language
    assert f'<html lang="{lang}">' in html
    text = outline(html).plain
    scenario = case.scenario
    assert localize(scenario.title, lang, lang) in text
    choice = scenario.scenes[scenario.start].choices[0]
    assert localize(choice.text, lang, lang) in text
    assert scenario.debrief is not None
    for question in scenario.debrief.questions:
        assert " ".join(localize(question, lang, lang).split()) in text
    overall = source.result.teams[0].auto.overall
    assert overall is not None and f"{overall:.1f}" in text
    # --lang switches both the case text and the report's own words.
    english = outline(render_report(source, "html", "en")).plain
    assert localize(scenario.title, "en", lang) in english
    assert "Debrief report" in english and "Debrief report" not in text


def test_handout_html() -> None:
    from sim.report import render_handout

    case = load_case("airline-ba008")
    text = outline(render_handout(case, "html", "en")).plain
    scenario = case.scenario
    lang = scenario.default_language
    for role in scenario.roles:
        assert localize(role.name, "en", lang) in text
    for rubric in [*case.rubrics.values(), *case.classroom_rubrics.values()]:
        assert localize(rubric.title, "en", lang) in text
        for criterion in rubric.criteria:
            for descriptor in criterion.descriptors.values():
                assert " ".join(localize(descriptor, "en", lang).split()) in text
    hostile = render_handout(load_case(HOSTILE_CASE), "html")
    page = outline(hostile)
    assert not {"script", "img", "b", "i"} & set(page.tags)
    assert "\x1b" not in hostile and "\x07" not in hostile
    assert "Agent <b>Smith</b>" in page.plain and "| table | breaker |" in page.plain
