"""What each link sees and may do, as data: the JSON contract, and the pages' context.

No HTTP here (the routes in `app.py` turn a `Refusal` into a status), so every rule of who may
do what, and when, is checked in this one place before anything is stored, and the same
functions answer both `state.json` and the HTML pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.classroom import (
    MAX_NOTE,
    ClassError,
    ClassMoved,
    Classroom,
    Debrief,
    Phase,
    Rate,
    Reveal,
    Turn,
)
from sim.engine import start, take, view
from sim.model import Rubric
from sim.model.text import localize
from sim.report import richtext
from sim.scoring import RaterKind

MAX_ID = 200
"""No choice, reason, team or criterion id is longer; a longer one is refused unread."""


class Refusal(Exception):
    """A request the class refuses, with its HTTP status; nothing has been stored."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def refusal(refused: ClassError, code: str) -> Refusal:
    """A move the class refused, as a 409: `moved` when another server or device acted first
    and the move could not be decided again (`ClassMoved`), else `code`."""
    if isinstance(refused, ClassMoved):
        return Refusal(409, "moved", str(refused))
    return Refusal(409, code, str(refused))


@dataclass(frozen=True)
class Who:
    """The holder of a link: the instructor (`team` None) or one team."""

    team: str | None

    @property
    def instructor(self) -> bool:
        return self.team is None


@dataclass(frozen=True)
class CriterionRef:
    """One criterion of the classroom rubric(s), under the id the API uses for it."""

    id: str
    rubric: Rubric
    criterion: str


def criteria_of(room: Classroom) -> list[CriterionRef]:
    """Every criterion rated in class. Ids are the criterion's own, or `rubric.criterion`
    where two classroom rubrics share a criterion id."""
    refs = [(r, c.id) for r in room.case.classroom_rubrics.values() for c in r.criteria]
    seen = [cid for _, cid in refs]
    return [
        CriterionRef(cid if seen.count(cid) == 1 else f"{r.id}.{cid}", r, cid) for r, cid in refs
    ]


def localized(room: Classroom, value: Any, lang: str) -> str:
    """Case text in `lang`, else the case's own first language."""
    return localize(value, lang, room.case.scenario.default_language)


_text = localized


def criteria_detail(room: Classroom, lang: str) -> list[dict[str, Any]]:
    """The rating form's rows: each criterion with its levels' points, labels and descriptors."""
    rows = []
    for ref in criteria_of(room):
        found = ref.rubric.criterion(ref.criterion)
        levels = []
        for level in ref.rubric.levels:
            described = found.descriptors.get(level.points) if found else None
            levels.append(
                {
                    "points": level.points,
                    "label": _text(room, level.label, lang),
                    "descriptor": _text(room, described, lang),
                }
            )
        rows.append({"id": ref.id, "title": _criterion_title(room, ref, lang), "levels": levels})
    return rows


def rater_of(room: Classroom, who: Who) -> tuple[RaterKind, str]:
    """The rater's kind and name as stored: a team rates as a peer, the instructor as the
    class's first instructor."""
    if who.team is not None:
        return "peer", who.team
    return "instructor", str(room.settings["instructors"][0])


def ballot_done(room: Classroom, rated: str, kind: str, rater: str) -> bool:
    """Whether this rater has given every classroom criterion a level for `rated`."""
    return all(
        room.rating(rated, kind, rater, ref.rubric.id, ref.criterion) is not None
        for ref in criteria_of(room)
    )


def step_name(phase: Phase) -> str:
    """The fine-grained phase (`turn`, `reveal`, `rate`, `debrief`), an extra key."""
    if isinstance(phase, Turn):
        return "turn"
    if isinstance(phase, Reveal):
        return "reveal"
    if isinstance(phase, Rate):
        return "rate"
    return "debrief"


def _criterion_title(room: Classroom, ref: CriterionRef, lang: str) -> str:
    found = ref.rubric.criterion(ref.criterion)
    return _text(room, found.title, lang) if found else ref.criterion


def version_of(room: Classroom) -> int:
    return room.events[-1].seq if room.events else 0


def state(room: Classroom, who: Who, lang: str) -> dict[str, Any]:
    """`GET <link>/state.json`, exactly the keys PRODUCT.md names, plus `step`, `version`
    (the newest event's number: a client that saw it has seen everything), `paused` and
    `rated` (the teams this link has given a whole ballot in the rating now open: a ballot
    sent again for one of them corrects it)."""
    phase = room.phase()
    criteria = [
        {
            "id": ref.id,
            "title": _criterion_title(room, ref, lang),
            "levels": [level.points for level in ref.rubric.levels],
        }
        for ref in criteria_of(room)
    ]
    out: dict[str, Any] = {
        "team": who.team,
        "phase": "wait",
        "your_turn": False,
        "scene": None,
        "choices": [],
        "reasons": [],
        "to_rate": [],
        "criteria": criteria,
        "step": step_name(phase),
        "version": version_of(room),
        "paused": room.paused,
        "rated": [],
        "started": room.started,
    }
    kind, rater = rater_of(room, who)
    if not room.started:
        out["step"] = "briefing"  # the projector shows the case: nobody plays yet
        return out
    if room.paused and who.team is not None:
        return out  # a paused class shows every team "wait" (and `paused`) until resumed
    if isinstance(phase, Rate):
        out["to_rate"] = [
            t for t in phase.teams if t != who.team and not ballot_done(room, t, kind, rater)
        ]
        # Ballots given in this rating, which the rater may still correct until it closes.
        out["rated"] = [
            t for t in phase.teams if t != who.team and ballot_done(room, t, kind, rater)
        ]
        out["phase"] = "rate" if out["to_rate"] or who.instructor else "wait"
    elif isinstance(phase, Debrief):
        out["phase"] = "debrief"
    elif who.instructor:
        out["phase"] = "play"
    elif who.team is not None and room.may_move(who.team):
        team = who.team
        run = room.run_of(team)
        out.update(phase="play", your_turn=True, scene=run.scene)
        out["choices"] = [
            {"id": c.id, "text": _text(room, c.text, lang)} for c in room.choices(team)
        ]
        out["reasons"] = [
            {"id": r.id, "text": _text(room, r.text, lang)} for r in room.reasons(team)
        ]
    return out


# Moves -------------------------------------------------------------------------------------


def _string(body: dict[str, Any], key: str, limit: int = MAX_ID) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise Refusal(
            422, "malformed", f"`{key}` must be a non-empty text of at most {limit} characters"
        )
    return value


def _mover(room: Classroom, who: Who, body: dict[str, Any]) -> str:
    """The team a move is for: a team's own link moves for that team; the instructor's link
    enters a move for the team named in `team` (a team whose device dropped)."""
    team = who.team
    if not room.started:
        raise Refusal(409, "not_started", "the class has not started: the case is being briefed")
    if team is None:
        if "team" not in body:
            raise Refusal(403, "team_only", "only a team's own link makes its moves")
        team = _string(body, "team")
        if team not in room.order:
            raise Refusal(422, "unknown_team", f"there is no team `{team}` in this class")
    _same_question(room, team, body)
    if who.team is not None and room.paused:
        raise Refusal(409, "paused", "the class is paused")
    if room.finished or not room.may_move(team):
        raise Refusal(409, "not_your_turn", f"it is not team {team}'s turn")
    return team


def _same_question(room: Classroom, team: str, body: dict[str, Any]) -> None:
    """A move may say which scene it answers (`scene`, as `state.json` gave it; the pages'
    forms send it): sent again after the team has moved past it — a double tap, a form sent
    through two servers, a page left open — it is refused as already answered (409
    `answered`), not read as an answer to the next question."""
    asked = body.get("scene")
    if asked is None:
        return
    if not isinstance(asked, str) or len(asked) > MAX_ID:
        raise Refusal(422, "malformed", "`scene` must be the text `state.json` gave")
    if asked != room.run_of(team).scene:
        raise Refusal(
            409, "answered", f"team {team} has already answered that question; see where it is now"
        )


def choose(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    choice = _string(body, "choice")
    team = _mover(room, who, body)
    if room.run_of(team).pending is not None:
        raise Refusal(409, "reason_due", "the choice is made: give the reason first")
    if choice not in {c.id for c in room.choices(team)}:
        raise Refusal(422, "unknown_choice", f"`{choice}` is not one of the choices on offer")
    try:
        room.choose(team, choice)
    except ClassError as refused:  # the class moved on between the check and the move
        raise refusal(refused, "refused") from None


def give_reason(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    reason = _string(body, "reason")
    note = body.get("justification", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise Refusal(422, "malformed", "`justification` must be a text")
    if len(note) > MAX_NOTE:
        raise Refusal(422, "too_long", f"a justification holds at most {MAX_NOTE} characters")
    team = _mover(room, who, body)
    if room.run_of(team).pending is None:
        raise Refusal(409, "choice_due", "make a choice first")
    if reason not in {r.id for r in room.reasons(team)}:
        raise Refusal(422, "unknown_reason", f"`{reason}` is not one of the reasons on offer")
    try:
        room.give_reason(team, reason, note, by_instructor=who.instructor)
    except ClassError as refused:
        raise refusal(refused, "refused") from None


def _points(value: Any) -> float:
    """A level as sent: a JSON number (a form's text is read as a number before it gets here,
    see `form_level`); `"3"` in JSON is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refusal(422, "malformed", "a level is a number of points")
    return float(value)


def form_level(value: str) -> float | str:
    """A form's level field as a number (a form sends only text); text that is not a number
    stays text, and the ballot refuses it as JSON's `"3"` is refused."""
    try:
        number = float(value)
    except ValueError:
        return value
    return number if math.isfinite(number) else value


def given(room: Classroom, who: Who, rated: str) -> dict[str, float]:
    """The levels this link has given `rated`, by criterion id (for the correction form)."""
    kind, rater = rater_of(room, who)
    out: dict[str, float] = {}
    for ref in criteria_of(room):
        points = room.rating(rated, kind, rater, ref.rubric.id, ref.criterion)
        if points is not None:
            out[ref.id] = points
    return out


def rate(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    """One whole ballot: every classroom criterion's level for one team, checked in full
    before the first rating is stored. A ballot sent again by the same rater while the rating
    is open corrects the first, as a changed level does in the app: only the levels that
    differ are stored, as later ratings that supersede the earlier (kept in the log)."""
    rated = _string(body, "team")
    levels = body.get("levels")
    if not isinstance(levels, dict) or not levels:
        raise Refusal(422, "malformed", "`levels` must map each criterion to its points")
    if rated not in room.order:
        raise Refusal(422, "unknown_team", f"there is no team `{rated}` in this class")
    if who.team == rated:
        raise Refusal(403, "self", "a team never rates itself")
    if who.team is not None and room.paused:
        raise Refusal(409, "paused", "the class is paused")
    phase = room.phase()
    if room.finished or not isinstance(phase, Rate) or rated not in phase.teams:
        raise Refusal(409, "not_rating", f"team {rated} is not being rated now")
    refs = {ref.id: ref for ref in criteria_of(room)}
    unknown = sorted(str(k) for k in levels if k not in refs)
    if unknown:
        raise Refusal(422, "unknown_criterion", f"unknown criteria: {', '.join(unknown)[:200]}")
    missing = [cid for cid in refs if cid not in levels]
    if missing:
        raise Refusal(
            422,
            "incomplete",
            f"a ballot gives every criterion a level; missing: {', '.join(missing)}",
        )
    ballot: list[tuple[CriterionRef, float]] = []
    for cid, ref in refs.items():
        points = _points(levels[cid])
        if points not in [level.points for level in ref.rubric.levels]:
            raise Refusal(422, "unknown_level", f"{points:g} is not a level of `{cid}`")
        ballot.append((ref, points))
    kind, rater = rater_of(room, who)
    try:
        room.rate_ballot(rated, kind, rater, [(ref.rubric, ref.criterion, p) for ref, p in ballot])
    except ClassError as refused:
        raise refusal(refused, "refused") from None


def _instructor(room: Classroom, who: Who) -> None:
    if not who.instructor:
        raise Refusal(403, "instructor_only", "only the instructor's link controls the class")
    if room.finished:
        raise Refusal(410, "ended", "the class has ended")


def undo(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    """Take back the newest move, as `u` does in the app: stored as a correction."""
    _instructor(room, who)
    try:
        undone = room.undo()
    except ClassError as refused:
        raise refusal(refused, "refused") from None
    if undone is None:
        raise Refusal(409, "nothing_to_undo", "there is nothing to undo")


def skip(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    """Pass over a team whose device dropped; its run stays unfinished (undo brings it back)."""
    _instructor(room, who)
    team = _string(body, "team")
    if team not in room.order:
        raise Refusal(422, "unknown_team", f"there is no team `{team}` in this class")
    try:
        room.skip(team)
    except ClassError as refused:
        raise refusal(refused, "not_playing") from None


def pause(room: Classroom, who: Who, body: dict[str, Any]) -> None:
    """`{"paused": true|false}`; asking for what already is stores nothing and is no error.
    A form sends "1" or "0"."""
    _instructor(room, who)
    value = body.get("paused")
    if value in ("1", "true", "0", "false"):
        value = value in ("1", "true")
    if not isinstance(value, bool):
        raise Refusal(422, "malformed", "`paused` must be true or false")
    room.pause(value)


def advance(room: Classroom, who: Who) -> None:
    """Next: open play after the briefing, reveal a round, close a rating, end the class."""
    _instructor(room, who)
    if room.open_play():
        return
    if isinstance(room.phase(), Turn):
        raise Refusal(409, "teams_playing", "the teams are still answering")
    try:
        room.advance()
    except ClassError as refused:
        raise refusal(refused, "refused") from None


# What the pages show beyond the contract ----------------------------------------------------


def path_of(room: Classroom, team: str, lang: str) -> dict[str, Any]:
    """A team's play as others may see it (to rate it, or to watch it in sequential mode):
    each step's scene, choice, reason and justification, and the ending once reached."""
    scenario = room.case.scenario
    progress = room.state.teams[team]
    steps = []
    asked = start(scenario)
    for number, step in enumerate(progress.run.steps):
        scene = scenario.scenes[step.scene]
        choice = scene.choice_by_id.get(step.choice)
        reason = scene.reason_by_id.get(step.reason) if step.reason else None
        seen = view(scenario, asked)  # the line as this team heard it (variants applied)
        asked = take(scenario, asked, step)
        steps.append(
            {
                "line": _text(room, seen.line, lang),
                "choice": _text(room, choice.text, lang) if choice else step.choice,
                "reason": _text(room, reason.text, lang) if reason else "",
                "note": progress.notes.get(number, ""),
                "entered": number in progress.entered,
            }
        )
    ending = scenario.ending(progress.run.ending) if progress.run.ending else None
    return {
        "team": team,
        "steps": steps,
        "ending": _text(room, ending.title, lang) if ending and ending.title else "",
    }


def narration(room: Classroom, team: str, lang: str) -> dict[str, str]:
    """The scene a team is at: who speaks, the narration and the line, variants applied."""
    scenario = room.case.scenario
    seen = view(scenario, room.run_of(team))
    roles = {role.id: role for role in scenario.roles}
    speaker = roles.get(seen.speaker) if seen.speaker else None
    pending = room.run_of(team).pending
    choice = scenario.scenes[seen.scene_id].choice_by_id.get(pending) if pending else None
    return {
        "speaker": _text(room, speaker.name, lang) if speaker else "",
        "text": _text(room, seen.text, lang),
        "line": _text(room, seen.line, lang),
        "chosen": _text(room, choice.text, lang) if choice else "",
    }


def briefing(room: Classroom, lang: str) -> dict[str, Any]:
    """The case as the teams prepare it (method step 3): its summary, its text as HTML and the
    roles to play. The case's Markdown is rendered by the reports' renderer (the screen's
    parse): every character the author typed is escaped, raw HTML stays visible text."""
    scenario = room.case.scenario
    text = _text(room, scenario.case, lang) if scenario.case else ""
    return {
        "summary": _text(room, scenario.summary, lang) if scenario.summary else "",
        "html": richtext.to_html(text, top=3) if text.strip() else "",
        "roles": [
            {
                "name": _text(room, role.name, lang),
                "persona": _text(room, role.persona, lang) if role.persona else "",
            }
            for role in scenario.roles
        ],
    }


def reveal(room: Classroom, lang: str) -> dict[str, Any] | None:
    """Round mode, once every team has answered decision N: all the answers to it together.
    None at any other moment, so no page shows another team's answer before the reveal."""
    phase = room.phase()
    if not isinstance(phase, Reveal):
        return None
    rows = []
    for team in room.order:
        steps = path_of(room, team, lang)["steps"]
        if phase.round < len(steps):
            rows.append({"team": team, **steps[phase.round]})
    return {"round": phase.round + 1, "answers": rows}


def moves_for(room: Classroom, lang: str) -> list[dict[str, Any]]:
    """For the instructor's page: each team that may move now, with what it is offered, so
    the instructor can enter the move of a team whose device dropped."""
    if room.finished or not room.started or not isinstance(room.phase(), Turn):
        return []
    rows = []
    for team in room.order:
        if not room.may_move(team):
            continue
        rows.append(
            {
                "team": team,
                "choices": [
                    {"id": c.id, "text": _text(room, c.text, lang)} for c in room.choices(team)
                ],
                "reasons": [
                    {"id": r.id, "text": _text(room, r.text, lang)} for r in room.reasons(team)
                ],
            }
        )
    return rows


def progress(room: Classroom) -> list[dict[str, Any]]:
    """Who has answered and rated, for the instructor's page and its JSON."""
    phase = room.phase()
    rows = []
    for team in room.order:
        run = room.run_of(team)
        row: dict[str, Any] = {
            "team": team,
            "steps": len(run.steps),
            "ended": run.finished,
            "skipped": team in room.skipped,
            "moving": isinstance(phase, Turn) and room.may_move(team),
            "rated": [],
        }
        if isinstance(phase, Rate):
            row["rated"] = [
                t for t in phase.teams if t != team and ballot_done(room, t, "peer", team)
            ]
        rows.append(row)
    return rows
