"""A run as transcript entries: the scenes seen, the team's choices, reasons and notes.

Shared by the practice and classroom play screens, so a transcript reads the same wherever it
appears.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from rich.text import Text

from sim.debrief import path_feedback
from sim.engine import Run, Step, start, take, view
from sim.i18n import tr
from sim.model import Choice, Scenario
from sim.tui.text import clean, local
from sim.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from sim.classroom import Classroom
    from sim.session import Event


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
    entered: Collection[int] = (),
) -> None:
    """Fill `transcript` with `run` from the start; `you` labels the team's own moves.
    `entered`: the steps whose justification the instructor entered for the team."""
    notes = notes or {}

    def note_label(index: int) -> str:
        return tr("class.note_instructor" if index in entered else "class.note", lang)
    default = scenario.default_language
    colon = tr("colon", lang)
    transcript.clear()

    def add(kind: str, text: str, label: str = "") -> None:
        transcript.add(kind, text, label, colon)

    def scene(at: Run) -> None:
        seen = view(scenario, at)
        add("narration", local(seen.text, lang, default))
        if seen.line is not None:
            speaker = next((r for r in scenario.roles if r.id == seen.speaker), None)
            name = local(speaker.name, lang, default) if speaker else ""
            add("line", local(seen.line, lang, default), name)

    def step(index: int, taken: Step) -> None:
        choice = choice_of(scenario, taken.scene, taken.choice)
        add("you", local(choice.text, lang, default), you)
        if index in notes:
            add("note", notes[index], note_label(index))
        reason = next(
            (r for r in scenario.scenes[taken.scene].reasons if r.id == taken.reason), None
        )
        if reason is not None:
            add("reason", local(reason.text, lang, default), tr("play.because", lang))
        if index == len(run.steps) - 1:
            # The reader knows what they chose; the feedback and the next scene are new.
            transcript.mark_unseen()
        if not feedback:
            return
        if choice.feedback is not None:
            add("feedback", local(choice.feedback, lang, default), tr("play.feedback", lang))
        if reason is not None:
            if taken.choice not in reason.supports:
                add("feedback mismatch", tr("play.mismatch", lang))
            if reason.feedback is not None:
                add("feedback", local(reason.feedback, lang, default))

    current = start(scenario)
    if not run.steps:
        transcript.mark_unseen()  # the first scene opens at its first line
    for index, taken in enumerate(run.steps):
        scene(current)
        step(index, taken)
        current = take(scenario, current, taken)
    if run.finished:
        # Close the story: the ending scene if the run arrived at one, then the ending.
        if not run.steps or run.steps[-1].scene != run.scene:
            scene(run)
        ending = scenario.ending(run.ending or "")
        if ending is not None:
            title = local(ending.title, lang, default) or ending.id
            text = local(ending.text, lang, default)
            add("ending", f"{title}\n{text}" if text else title, tr("end.ending", lang))
        return
    scene(current if run.pending is not None else run)
    if run.pending is not None:
        choice = choice_of(scenario, run.scene, run.pending)
        add("you", local(choice.text, lang, default), you)
        transcript.mark_unseen()  # nothing new: the choice being justified stays in view
        if len(run.steps) in notes:
            add("note", notes[len(run.steps)], note_label(len(run.steps)))


def path_text(
    scenario: Scenario, run: Run, lang: str, notes: Mapping[int, str] | None = None
) -> Text:
    """A team's path as the raters need it: each choice, its reason, the team's own
    justification, then the ending. No feedback: the debrief reveals that, after rating."""
    notes = notes or {}
    default = scenario.default_language
    out = Text()
    for index, taken in enumerate(run.steps):
        choice = choice_of(scenario, taken.scene, taken.choice)
        out.append(f"{index + 1}. ", style="bold")
        out.append(local(choice.text, lang, default) + "\n")
        reason = next(
            (r for r in scenario.scenes[taken.scene].reasons if r.id == taken.reason), None
        )
        if reason is not None:
            out.append(
                f"   {tr('play.because', lang)}: {local(reason.text, lang, default)}\n",
                style="italic",
            )
        if notes.get(index):
            out.append(f"   “{clean(notes[index])}”\n", style="bold")
    ending = scenario.ending(run.ending or "")
    if ending is not None:
        out.append(tr("end.ending", lang) + tr("colon", lang), style="bold")
        out.append(local(ending.title, lang, default) or ending.id, style="bold")
        out.append(f" ({tr('outcome.' + ending.outcome, lang)})\n", style="dim")
    elif run.steps:
        out.append(tr("rate.unfinished", lang) + "\n", style="dim")
    return out


def feedback_text(
    scenario: Scenario,
    steps: tuple[Step, ...],
    lang: str,
    notes: Mapping[int, str] | None = None,
) -> Text:
    """A path step by step with what each choice and reason earned and why (held feedback).

    Used where feedback was held back: the practice end screen and the class debrief. Each
    step: the choice and its feedback, the reason, a warning when the reason does not fit
    the choice, the reason's feedback, and the team's justification if it typed one.
    """
    notes = notes or {}
    colon = tr("colon", lang)
    default = scenario.default_language
    out = Text()
    for item in path_feedback(scenario, steps):
        out.append(f"{item.number}. {local(item.choice.text, lang, default)}\n", style="bold")
        if item.choice.feedback is not None:
            out.append(f"   {local(item.choice.feedback, lang, default)}\n")
        if item.reason is not None:
            out.append(
                f"   {tr('play.because', lang)}{colon}{local(item.reason.text, lang, default)}\n",
                style="italic",
            )
            if item.mismatched:
                out.append(f"   ⚠ {tr('play.mismatch', lang)}\n", style="bold red")
            if item.reason.feedback is not None:
                out.append(f"   {local(item.reason.feedback, lang, default)}\n")
        said = notes.get(item.number - 1)
        if said:
            out.append(f"   {tr('class.note', lang)}{colon}“{clean(said)}”\n", style="dim")
    return out


def describe_event(event: Event, room: Classroom, lang: str) -> str:
    """An event in the instructor's words (for "Undone: …"), never an internal name."""
    scenario = room.case.scenario
    default = scenario.default_language
    team = event.team or ""
    data = event.data
    if event.type == "choice":
        choice = choice_of(scenario, str(data["scene"]), str(data["choice"]))
        return tr("undo.choice", lang, team=team, text=local(choice.text, lang, default))
    if event.type == "reason":
        scene = scenario.scenes[str(data["scene"])]
        reason = next((r for r in scene.reasons if r.id == data["reason"]), None)
        text = local(reason.text, lang, default) if reason else str(data["reason"])
        return tr("undo.reason", lang, team=team, text=text)
    if event.type == "note":
        return tr("undo.note", lang, team=team)
    if event.type == "summary":
        if event.team:
            return tr("undo.summary", lang, team=team)
        return tr("undo.class_summary", lang)
    if event.type == "rating":
        kind, rater = str(data["rater_kind"]), str(data["rater"])
        who = tr("rate.instructor", lang) if kind == "instructor" else rater
        return tr("undo.rating", lang, team=team, rater=who)
    if event.type == "setting" and "advance" in data:
        advance = data["advance"]
        if advance.get("round") is not None:
            return tr("undo.round", lang, n=int(advance["round"]) + 1)
        return tr("undo.rated", lang, teams=", ".join(advance.get("rated", [])))
    if event.type == "finished":
        return tr("undo.finished", lang)
    if event.type == "setting" and "skipped" in data:
        return tr("undo.skip", lang, teams=", ".join(str(t) for t in data["skipped"]))
    return tr("undo.setting", lang)
