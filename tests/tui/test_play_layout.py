"""Play at 80×24: every option in full, the story scrollable from the keyboard while choosing,
and the feedback of the last move in view."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Footer, OptionList, Static
from textual.widgets._footer import FooterKey

from sim.tui.app import SimApp
from sim.tui.screens.end import EndScreen
from sim.tui.screens.play import PlayScreen
from sim.tui.widgets.transcript import Transcript
from tests.tui.helpers import (
    BEST_PATH,
    make_app,
    options,
    pick,
    plain_of,
    screen_text,
    sync,
    until,
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_option_of_the_best_path_is_shown_whole_at_80x24(lang: str) -> None:
    @sync
    async def run() -> None:
        app = make_app(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PlayScreen))
            for step in BEST_PATH:
                for item in (step.choice, step.reason):
                    if item is None:
                        continue
                    await pilot.pause()
                    choices = app.screen.query_one("#choices", OptionList)
                    # Nothing of the list is scrolled out of sight: no option is cut.
                    assert choices.max_scroll_y == 0, (step, choices.virtual_size)
                    frame = screen_text(app)
                    for _, text in options(app):
                        last = text.split()[-1] if lang == "en" else text[-2:]
                        assert last in frame, (item, text)
                    await pick(pilot, item)

    run()


@sync
async def test_page_keys_scroll_the_story_while_the_choices_keep_the_keyboard() -> None:
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PlayScreen))
        for step in BEST_PATH[:3]:
            await pick(pilot, step.choice)
            if step.reason:
                await pick(pilot, step.reason)
        await pilot.pause()
        story = app.screen.query_one("#transcript", Transcript)
        choices = app.screen.query_one("#choices", OptionList)
        assert story.max_scroll_y > 0  # more story than room: the test means something
        await pilot.press("2")
        assert choices.highlighted == 1
        await pilot.press("end")
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert story.scroll_y < story.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert story.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert story.scroll_y > 0
        # The keys scrolled the story, not the list: the highlight and focus stayed.
        assert choices.highlighted == 1 and app.focused is choices


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_after_each_move_its_feedback_is_in_view(lang: str) -> None:
    @sync
    async def run() -> None:
        app = make_app(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PlayScreen))
            for step in BEST_PATH[:-1]:
                await pick(pilot, step.choice)
                if step.reason:
                    await pick(pilot, step.reason)
                await pilot.pause()
                await pilot.pause()
                story = app.screen.query_one("#transcript", Transcript)
                shown = list(story.query(".entry"))
                last_move = max(i for i, e in enumerate(shown) if e.has_class("you"))
                feedback = next(e for e in shown[last_move:] if e.has_class("feedback"))
                top = story.scroll_y
                bottom = top + story.scrollable_content_region.height
                assert top <= feedback.virtual_region.y < bottom, step

    run()


def footer_fits(app: SimApp) -> bool:
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    used = sum(key.outer_size.width for key in keys)
    return bool(keys) and used <= footer.size.width


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_titles_and_footers_fit_80_columns_through_a_whole_attempt(lang: str) -> None:
    @sync
    async def run() -> None:
        app = make_app(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            seen = []
            await pilot.pause()
            seen.append(type(app.screen).__name__)
            assert footer_fits(app), seen
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PlayScreen))
            for step in BEST_PATH:
                assert footer_fits(app)
                await pick(pilot, step.choice)
                if step.reason:
                    await pick(pilot, step.reason)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, EndScreen))
            assert footer_fits(app)
            if lang == "zh":  # Chinese labels end in `：`, asides sit in `（）`
                assert not re.search(r"[\u4e00-\u9fff](: |, | \()", screen_text(app))
            title = app.screen.query_one("#title", Static)
            assert title.size.height <= 2 and not title.content_size.height > title.size.height

    run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_class_screens_footers_fit_80_columns(lang: str) -> None:
    from tests.tui.test_classroom_snapshots import app_for, ba008_class

    @sync
    async def run() -> None:
        for room, keys in ((ba008_class(3), []), (ba008_class(99, finish=True), ["enter"])):
            app = app_for(room, lang)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                assert footer_fits(app), type(app.screen).__name__

    run()


@sync
async def test_the_catalogue_lays_out_its_titles_at_the_width_left_by_its_scrollbar() -> None:
    app = make_app("en", with_case=False)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await until(pilot, lambda: bool(getattr(home, "entries", None)))
        await pilot.pause()
        cases = home.query_one("#cases", OptionList)
        assert cases.show_vertical_scrollbar  # more cases than rows: the case in point
        for index in range(cases.option_count):
            cases.highlighted = index
            await pilot.pause()
            title = plain_of(cases.get_option_at_index(index).prompt)
            # The list is the left half of the screen; the detail pane repeats the title.
            listed = "\n".join(line[:38] for line in screen_text(app).splitlines())
            assert title.split()[-1] in listed, title
