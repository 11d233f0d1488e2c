"""A run as transcript entries: the scenes seen, the team's choices, reasons and notes.

Shared by the classroom screens (and usable by any screen that shows a run), so a transcript
reads the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.engine import Run, Step, start, take, view
from sim.i18n import tr
from sim.model import Choice, Scenario
from sim.tui.text import local
from sim.tui.widgets.transcript import Transcript


def choice_of(scenario: Scenario, scene_id: str, choice_id: str) -> Choice:
    return next(c for c in scenario.scenes[scene_id].choices if c.id == choice_id)


def show_run(
    transcript: Transcript,
    scenario: Scenario,
    run: Run,
    lang: str,
    *,
    you: str,
    feedback: bool,
    notes: Mapping[int, str] | None = None,
) -> None:
    """Fill `transcript` with `run` from the start; `you` labels the team's own moves."""
    notes = notes or {}
    default = scenario.default_language
    transcript.clear()

    def scene(at: Run) -> None:
        seen = view(scenario, at)
        transcript.add("narration", local(seen.text, lang, default))
        if seen.line is not None:
            speaker = next((r for r in scenario.roles if r.id == seen.speaker), None)
            name = local(speaker.name, lang, default) if speaker else ""
            transcript.add("line", local(seen.line, lang, default), name)

    def step(index: int, taken: Step) -> None:
        choice = choice_of(scenario, taken.scene, taken.choice)
        transcript.add("you", local(choice.text, lang, default), you)
        if index in notes:
            transcript.add("note", notes[index], tr("class.note", lang))
        reason = next(
            (r for r in scenario.scenes[taken.scene].reasons if r.id == taken.reason), None
        )
        if reason is not None:
            transcript.add("reason", local(reason.text, lang, default), tr("play.because", lang))
        if not feedback:
            return
        if choice.feedback is not None:
            transcript.add(
                "feedback", local(choice.feedback, lang, default), tr("play.feedback", lang)
            )
        if reason is not None:
            if taken.choice not in reason.supports:
                transcript.add("feedback mismatch", tr("play.mismatch", lang))
            if reason.feedback is not None:
                transcript.add("feedback", local(reason.feedback, lang, default))

    current = start(scenario)
    for index, taken in enumerate(run.steps):
        scene(current)
        step(index, taken)
        current = take(scenario, current, taken)
    if run.finished:
        ending = scenario.ending(run.ending or "")
        if ending is not None:
            title = local(ending.title, lang, default) or ending.id
            transcript.add("ending", local(ending.text, lang, default), title)
        return
    scene(current if run.pending is not None else run)
    if run.pending is not None:
        choice = choice_of(scenario, run.scene, run.pending)
        transcript.add("you", local(choice.text, lang, default), you)
        if len(run.steps) in notes:
            transcript.add("note", notes[len(run.steps)], tr("class.note", lang))
