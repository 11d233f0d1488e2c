"""The debrief that teaches (issue 13), by keys: held feedback step by step, the teacher's
notes, leaving a class only when asked, and the round comparison aligned by scene."""

from __future__ import annotations

import io

from rich.console import Console

from sim.cases import load_case
from sim.classroom import Classroom, Reveal
from sim.engine import Step
from sim.model import localize
from sim.store import open_store
from sim.tui.app import SimApp
from sim.tui.screens.class_play import ClassScreen
from sim.tui.screens.debrief import SECTIONS, DebriefScreen
from sim.tui.screens.end import EndScreen
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.leave_class import ConfirmLeave
from sim.tui.screens.play import PlayScreen
from sim.tui.screens.summary import PickSummary, SummaryScreen
from tests.report.helpers import ba008_class
from tests.report.test_held_feedback import expected_feedback
from tests.tui.helpers import entries, plain_of, play, sync, until

BLUE_STEPS = [
    ("gate", "listen", "fair-to-all"),  # a reason that does not support the choice
    ("needs", "check-record", None),
    ("profile", "tailor-alt", "delivered-value-reason"),
    ("alt-offer", "tailored-package", "raise-value-cut-cost"),
    ("her-answer", "escort", None),
    ("follow-up", "personal-follow-up", None),
]
"""Blue's path of tests.report.helpers.BA008_PATHS, with its scenes."""


def debrief_app(lang: str = "en") -> tuple[SimApp, Classroom]:
    store = open_store()
    case, session_id = ba008_class(store, lang)
    room = Classroom.resume(case, store, session_id)
    return SimApp(lang=lang, store=store, classroom=room), room


def body(app: SimApp) -> str:
    return plain_of(app.screen.query_one("#body").content)  # type: ignore[attr-defined]


@sync
async def test_the_debrief_shows_every_held_feedback_step_by_step() -> None:
    app, room = debrief_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press(str(SECTIONS.index("feedback") + 1))
        await pilot.pause()
        text = body(app)
        for feedback in expected_feedback("en"):
            assert feedback in text
        red, blue = text.split(" Blue ")
        mismatch = "does not support your choice"
        assert mismatch in blue and mismatch not in red
        assert "we asked her first" in red
        # Step by step: the numbers run in order for each team.
        assert red.index("1. ") < red.index("2. ") < red.index("6. ")
        sc = room.case.scenario
        ending = sc.ending(room.run_of("Red").ending or "")
        assert ending is not None
        assert localize(ending.title, "en", sc.default_language) in red


@sync
async def test_the_teacher_writes_corrects_and_shows_summaries_at_the_debrief() -> None:
    app, room = debrief_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickSummary)
        await pilot.press("1", "enter")  # Red
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press(*"Red asked first.", "enter", *"[b]Then[/b] priced it.")
        await pilot.press("escape")  # unsaved words are not thrown away by one key
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert room.summary("Red") == "Red asked first.\n[b]Then[/b] priced it."
        assert SECTIONS[app.screen.section] == "summary"
        assert "[b]Then[/b] priced it." in body(app)  # shown as typed, never as markup
        # The class's summary, then an edit of Red's.
        await pilot.press("s", "3", "enter", *"Good work.", "ctrl+s")
        await pilot.pause()
        await pilot.press("s", "1", "enter", "f7", "backspace", *"Red: better.", "ctrl+s")
        await pilot.pause()
        text = body(app)
        assert "Good work." in text and "Red: better." in text and "priced" not in text
        assert room.summary(None) == "Good work."
        await pilot.press("escape")
        await pilot.pause()
    fresh = Classroom.resume(room.case, open_store(), room.session_id)
    assert fresh.result().teams[0].summary == "Red: better."
    assert len([e for e in fresh.events if e.type == "summary"]) == 3


@sync
async def test_esc_at_the_debrief_asks_before_leaving_the_class() -> None:
    app, _ = debrief_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeave)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape", "2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def rendered(widget: object) -> str:
    """What a Static shows, tables and groups included, as plain text (wide, no wrapping)."""
    console = Console(width=400, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.export_text()


@sync
async def test_round_mode_compares_each_decision_by_scene() -> None:
    case = load_case("airline-ba008")
    sc = case.scenario
    room = Classroom.begin(case, open_store(), ["Red", "Blue", "Green"], settings={"mode": "round"})
    first = {"Red": ("listen", "understand-first"), "Blue": ("policy", "fair-to-all")}
    first["Green"] = ("listen", "keep-vip")
    for team, (choice, reason) in first.items():
        room.choose(team, choice)
        room.give_reason(team, reason)
    room.advance()  # past decision 1's comparison
    # Decision 2: Red and Green answer at `needs`, Blue at `escalation` — different questions.
    room.choose("Red", "check-record", "her record first")
    room.choose("Blue", "apologise-reset")
    room.choose("Green", "promise-now")
    assert room.phase() == Reveal(1)

    def say(text: object) -> str:
        return localize(text, "en", sc.default_language)  # type: ignore[arg-type]

    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClassScreen)
        text = rendered(app.screen.query_one("#reveal-table"))
    needs, escalation = sc.scenes["needs"], sc.scenes["escalation"]
    # Each question named once, in the order the class reached it.
    lines = text.splitlines()
    asked = [i for i, line in enumerate(lines) if line.startswith("Question:")]
    assert len(asked) == 2
    assert say(needs.line)[:40] in " ".join(lines[asked[0] : asked[1]])
    assert say(escalation.line or escalation.text)[:40] in " ".join(lines[asked[1] :])
    # Red and Green share the first table; Blue's answer stands under its own question.
    first_table = "\n".join(lines[asked[0] : asked[1]])
    second_table = "\n".join(lines[asked[1] :])
    assert "Red" in first_table and "Green" in first_table and "Blue" not in first_table
    assert "Blue" in second_table and "Red" not in second_table
    assert "her record first" in first_table
    # The customer's reply: what she says at the scene each answer led to.
    reply = sc.scenes[next(c for c in needs.choices if c.id == "check-record").next]
    assert say(reply.line or reply.text)[:30] in " ".join(first_table.split())
    assert "Customer's" in first_table and "Customer's" in second_table  # the reply row


@sync
async def test_practice_with_feedback_held_shows_it_all_on_the_end_screen() -> None:
    path = tuple(Step(scene, choice, reason) for scene, choice, reason in BLUE_STEPS)
    app = SimApp(case=load_case("airline-ba008"), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")  # feedback at the end, not after each choice
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        await play(pilot, path)
        # Nothing of the feedback showed during play.
        assert not any(expected_feedback("en")[0] in e for e in entries(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EndScreen))
        text = plain_of(app.screen.query_one("#feedback").content)  # type: ignore[attr-defined]
    for feedback in expected_feedback("en")[len(path) :]:  # Blue's half: the same path
        assert feedback in text
    assert "does not support your choice" in text
    assert text.index("1. ") < text.index("6. ")


@sync
async def test_s_after_a_teams_run_sums_that_team_up_and_not_during_play() -> None:
    case = load_case("airline-ba008")
    room = Classroom.begin(case, open_store(), ["Red", "Blue"])
    app = SimApp(lang="en", store=room.store, classroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # past the projected briefing
        await pilot.press("s")  # Red is still playing: nothing to sum up yet
        await pilot.pause()
        assert isinstance(app.screen, ClassScreen)
        assert any("after its run" in n.message for n in app._notifications)
        for _, choice, reason in BLUE_STEPS:  # Red plays Blue's path
            room.choose("Red", choice)
            if reason is not None:
                room.give_reason("Red", reason)
        app.screen.redraw()  # type: ignore[attr-defined]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen.team == "Red"
        await pilot.press(*"Heard her out.", "ctrl+s")
        await pilot.pause()
    assert room.summary("Red") == "Heard her out."
