"""Solo practice by keyboard: a whole play-through, the reason step, replay, language, gauges."""

from __future__ import annotations

from textual.widgets import OptionList

from sim.engine import Step, replay, view
from sim.i18n import tr
from sim.model import localize
from sim.practice import attempts_of
from sim.prose import flow
from sim.scoring import score_path
from sim.store import open_store
from sim.tui.screens.briefing import BriefingScreen
from sim.tui.screens.end import EndScreen, PickStep
from sim.tui.screens.home import HomeScreen
from sim.tui.screens.play import PlayScreen
from tests.tui.helpers import (
    BA008,
    BEST_PATH,
    ba008,
    entries,
    make_app,
    options,
    pick,
    play,
    screen_text,
    shown,
    sync,
    until,
)


def zh(text: object) -> str:
    """Author text as the screen shows it: soft line breaks joined."""
    return flow(localize(text, "zh", "zh"))  # type: ignore[arg-type]


def en(text: object) -> str:
    return flow(localize(text, "en", "zh"))  # type: ignore[arg-type]


@sync
async def test_a_whole_play_through_from_the_catalogue_to_the_scorecard() -> None:
    case = ba008()
    sc = case.scenario
    app = make_app(with_case=False)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await until(pilot, lambda: bool(home.entries))
        while (current := home.current()) is None or current.id != BA008:
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        assert zh(sc.title) in screen_text(app)
        # The case text brings its own "## 案例" heading; the briefing adds no second one.
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        briefing = screen.markdown()
        assert briefing.count(f"## {tr('briefing.case', 'zh')}\n") == 1
        assert localize(sc.case, "zh", "zh") in briefing

        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        first = view(sc, replay(sc, ()))
        assert zh(first.text) in entries(app)[0]
        assert [i for i, _ in options(app)] == [c.id for c in sc.scenes[sc.start].choices]

        await play(pilot, BEST_PATH)
        assert shown(app.screen.query_one("#prompt")) == tr("play.ended", "zh")
        # The story closes with the ending, and the last scene is not told twice.
        run = replay(sc, BEST_PATH)
        ending = sc.ending(run.ending or "")
        assert ending is not None
        told = entries(app)
        assert zh(ending.title) in told[-1] and zh(ending.text) in told[-1]
        last_scene = zh(sc.scenes[BEST_PATH[-1].scene].text)
        assert sum(last_scene in entry for entry in told) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)

        assert zh(ending.title) in shown(app.screen.query_one("#ending"))
        card = score_path(sc, case.rubrics, run.steps, run.ending)
        assert card.overall is not None
        scorecard = shown(app.screen.query_one("#scorecard"))
        assert f"{tr('end.overall', 'zh')}{tr('colon', 'zh')}{card.overall:.1f}" in scorecard
        for result in card.rubrics.values():
            assert zh(result.rubric.title) in scorecard
            assert f"{result.percent:.1f}%" in scorecard
        # The scorecard is on screen, not only in the widget.
        frame = screen_text(app)
        assert zh(ending.title) in frame
        assert f"{card.overall:.1f}" in frame

    # What the screens showed is what the store holds.
    store = open_store()
    (session_id,) = attempts_of(store, BA008)
    events = store.events(session_id)
    chosen = [(e.data["scene"], e.data["choice"]) for e in events if e.type == "choice"]
    assert chosen == [(s.scene, s.choice) for s in BEST_PATH]
    info = store.session(session_id)
    assert info is not None and info.finished
    store.close()


@sync
async def test_digits_pick_a_reason_and_enter_confirms_it() -> None:
    sc = ba008().scenario
    gate = sc.scenes["gate"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pick(pilot, "listen")
        # The choice waits for its reason: the list now holds the scene's reasons.
        assert shown(app.screen.query_one("#prompt")) == tr("play.why", "zh")
        assert [i for i, _ in options(app)] == [r.id for r in gate.reasons]
        choice = next(c for c in gate.choices if c.id == "listen")
        assert entries(app)[-1].endswith(zh(choice.text))

        # A digit only moves the highlight; nothing is stored until Enter.
        await pilot.press("3")
        assert app.screen.query_one("#choices", OptionList).highlighted == 2
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.pending == "listen"
        await pilot.press("enter")
        await pilot.pause()
        third = gate.reasons[2]
        assert screen.attempt.run.steps == (Step("gate", "listen", third.id),)
        assert any(zh(third.text) in entry for entry in entries(app))
        assert [i for i, _ in options(app)] == [c.id for c in sc.scenes["needs"].choices]


@sync
async def test_escape_at_the_reason_step_takes_the_choice_back() -> None:
    sc = ba008().scenario
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pick(pilot, "policy")
        assert shown(app.screen.query_one("#prompt")) == tr("play.why", "zh")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.attempt.run.pending is None
        assert [i for i, _ in options(app)] == [c.id for c in sc.scenes["gate"].choices]
        await play(pilot, BEST_PATH[:1])
        assert app.screen.attempt.run.steps == BEST_PATH[:1]


@sync
async def test_replay_from_a_chosen_decision_keeps_the_earlier_steps() -> None:
    sc = ba008().scenario
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play(pilot, BEST_PATH)
        await pilot.press("enter")
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen)
        first_id = end.attempt.session_id

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PickStep)
        picked = options(app, "#steps")
        assert len(picked) == len(BEST_PATH)
        await pilot.press("3", "enter")
        await pilot.pause()

        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.session_id != first_id
        assert screen.attempt.settings["replayed_from"] == first_id
        assert screen.attempt.run.steps == BEST_PATH[:2]
        assert screen.attempt.run.scene == BEST_PATH[2].scene
        assert [i for i, _ in options(app)] == [c.id for c in sc.scenes["profile"].choices]
        transcript = "\n".join(entries(app))
        for step in BEST_PATH[:2]:
            choice = next(c for c in sc.scenes[step.scene].choices if c.id == step.choice)
            assert zh(choice.text) in transcript
        third = next(c for c in sc.scenes["profile"].choices if c.id == BEST_PATH[2].choice)
        assert zh(third.text) not in transcript

        # Another branch from there: the replay is an attempt of its own.
        await pick(pilot, "propose-fly")
        assert screen.attempt.run.pending == "propose-fly"


@sync
async def test_the_language_switch_changes_the_visible_text_and_back() -> None:
    sc = ba008().scenario
    gate = sc.scenes["gate"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play(pilot, BEST_PATH[:1])
        zh_entries = entries(app)
        needs = sc.scenes["needs"]
        assert shown(app.screen.query_one("#title")) == zh(sc.title)
        assert any(zh(needs.text) in e for e in zh_entries)

        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en"
        assert shown(app.screen.query_one("#title")) == en(sc.title)
        assert shown(app.screen.query_one("#prompt")) == tr("play.choose", "en")
        en_entries = entries(app)
        assert len(en_entries) == len(zh_entries)
        listen = next(c for c in gate.choices if c.id == "listen")
        assert any(en(listen.text) in e for e in en_entries)
        assert not any(zh(listen.text) in e for e in en_entries)
        assert options(app)[0][1].endswith(en(needs.choices[0].text))
        frame = screen_text(app)
        assert en(sc.title) in frame and tr("play.choose", "en") in frame

        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "zh"
        assert entries(app) == zh_entries
        assert shown(app.screen.query_one("#prompt")) == tr("play.choose", "zh")


@sync
async def test_realistic_mode_hides_the_gauges_in_play() -> None:
    sc = ba008().scenario
    labels = [zh(var.label) for var in sc.state.values() if var.visible]
    assert labels
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert tr("play.gauges_hidden", "zh") in shown(app.screen.query_one("#status"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        gauges = shown(app.screen.query_one("#gauges"))
        assert gauges == tr("play.gauges_hidden", "zh")
        await play(pilot, BEST_PATH[:2])
        gauges = shown(app.screen.query_one("#gauges"))
        frame = screen_text(app)
        for label in labels:
            assert label not in gauges
            assert label not in frame.splitlines()[1]

        # `g` in play shows them again, with the values the moves produced.
        await pilot.press("g")
        await pilot.pause()
        gauges = shown(app.screen.query_one("#gauges"))
        values = replay(sc, BEST_PATH[:2]).values
        for name, var in sc.state.items():
            if var.visible:
                assert f"{zh(var.label)} " in gauges
                assert f"{values[name]:g}" in gauges


@sync
async def test_a_second_quick_enter_does_not_reuse_the_replaced_list() -> None:
    """Two Enters queued before the first is handled select twice from the old list."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        choices = app.screen.query_one("#choices", OptionList)
        stale = choices.get_option_at_index(0)
        await pick(pilot, "listen")
        choices.post_message(OptionList.OptionSelected(choices, stale, 0))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.attempt.run.pending == "listen"
        assert not app._notifications
        assert shown(screen.query_one("#prompt")) == tr("play.why", "zh")


@sync
async def test_question_mark_lists_the_screens_keys_in_the_ui_language() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        keys = shown(app.screen.query_one("#keys"))
        for label in ("key.gauges", "key.back", "key.help", "key.quit", "help.digits_do"):
            assert tr(label, "zh") in keys
        # where to turn when something is not right, by the name that starts this sim
        from sim.doctor import command_name

        assert f"{command_name()} doctor" in keys.replace("\u00a0", " ")
        assert "Scroll Left" not in keys  # the list's own hidden bindings stay out
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
