"""A session as xAPI 1.0.3 statements, for a learning record store.

Each choice a team made is an `answered` statement whose object is that choice as an
activity; each finished run is a `completed` statement on the case with the team's score.
Statement ids and the registration are name-based UUIDs (uuid5), so exporting the same
session twice gives the same statements and an LRS can deduplicate them. IRIs live under
`https://sim.invalid`, a domain reserved never to resolve (RFC 2606).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import quote

from sim.cases import Case
from sim.debrief import TeamResult
from sim.model.text import Text
from sim.report.context import members_of
from sim.report.sanitize import clean, clean_line
from sim.report.source import ReportError, SessionSource
from sim.session import Event, live_events
from sim.store import SessionInfo

HOME = "https://sim.invalid"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"{HOME}/xapi")
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
ACTIVITY_TYPES = {
    "case": "http://adlnet.gov/expapi/activities/simulation",
    "choice": "http://adlnet.gov/expapi/activities/interaction",
}
EXTENSION = f"{HOME}/xapi/extensions"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

Json = dict[str, Any]


def _segment(text: str) -> str:
    return quote(text, safe="")


def case_iri(scenario_id: str) -> str:
    return f"{HOME}/cases/{_segment(scenario_id)}"


def choice_iri(scenario_id: str, scene: str, choice: str) -> str:
    return f"{case_iri(scenario_id)}/scenes/{_segment(scene)}/choices/{_segment(choice)}"


def _session_key(info: SessionInfo) -> str:
    # The creation time keeps two databases' session 1 from sharing a registration.
    return f"session/{info.id}/{info.created}"


def registration(info: SessionInfo) -> str:
    return str(uuid.uuid5(NAMESPACE, _session_key(info)))


def statement_id(info: SessionInfo, seq: int, verb: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{_session_key(info)}/{seq}/{verb}"))


def language_tag(code: str) -> str | None:
    tag = code.replace("_", "-")
    return tag if _LANGUAGE_TAG.match(tag) else None


def language_map(text: Text | None, default: str) -> dict[str, str]:
    """An xAPI language map: every translation the author wrote, keyed by language tag."""
    if text is None:
        return {}
    items = {default: text} if isinstance(text, str) else text
    out = {}
    for code, value in items.items():
        tag = language_tag(code)
        if tag is not None:
            out[tag] = clean(value).strip()
    return out


def actor(team: str, members: list[str], group: bool) -> Json:
    """The team as an identified Group (classroom) or Agent (one learner's run)."""
    account = {"homePage": HOME, "name": team}
    if not group:
        return {"objectType": "Agent", "name": team, "account": account}
    found: Json = {"objectType": "Group", "name": team, "account": account}
    if members:
        found["member"] = [
            {
                "objectType": "Agent",
                "name": member,
                "account": {"homePage": HOME, "name": f"{team}/{member}"},
            }
            for member in members
        ]
    return found


def _verb(name: str) -> Json:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _with_time(statement: Json, event: Event | None) -> Json:
    if event is not None and event.at:
        statement["timestamp"] = event.at
    return statement


def case_activity(case: Case) -> Json:
    scenario = case.scenario
    definition: Json = {
        "type": ACTIVITY_TYPES["case"],
        "name": language_map(scenario.title, scenario.default_language),
    }
    description = language_map(scenario.summary, scenario.default_language)
    if description:
        definition["description"] = description
    return {"objectType": "Activity", "id": case_iri(scenario.id), "definition": definition}


def _context(info: SessionInfo, lang: str, parent: Json | None) -> Json:
    context: Json = {
        "registration": registration(info),
        "platform": "sim",
        "extensions": {f"{EXTENSION}/session": info.id},
    }
    tag = language_tag(lang)
    if tag:
        context["language"] = tag
    if parent is not None:
        context["contextActivities"] = {"parent": [parent]}
    return context


def _answered(
    info: SessionInfo, case: Case, tr: TeamResult, who: Json, lang: str, live: list[Event]
) -> list[tuple[int, Json]]:
    scenario = case.scenario
    default = scenario.default_language
    choices = [e for e in live if e.team == tr.team and e.type == "choice"]
    found: list[tuple[int, Json]] = []
    for index, (step, event) in enumerate(zip(tr.steps, choices, strict=False)):
        scene = scenario.scenes[step.scene]
        choice = scene.choice_by_id[step.choice]
        result: Json = {"response": step.choice}
        extensions: Json = {f"{EXTENSION}/scene": step.scene}
        reason = scene.reason_by_id.get(step.reason) if step.reason else None
        if reason is not None:
            extensions[f"{EXTENSION}/reason"] = {
                "id": reason.id,
                "text": language_map(reason.text, default),
                "supports-choice": step.choice in reason.supports,
            }
        note = tr.notes.get(index)
        if note and clean(note).strip():
            extensions[f"{EXTENSION}/justification"] = clean(note).strip()
        result["extensions"] = extensions
        statement: Json = {
            "id": statement_id(info, event.seq, "answered"),
            "actor": who,
            "verb": _verb("answered"),
            "object": {
                "objectType": "Activity",
                "id": choice_iri(scenario.id, step.scene, step.choice),
                "definition": {
                    "type": ACTIVITY_TYPES["choice"],
                    "name": language_map(choice.text, default),
                },
            },
            "result": result,
            "context": _context(info, lang, case_activity(case)),
        }
        found.append((event.seq, _with_time(statement, event)))
    return found


def _completed(
    info: SessionInfo, case: Case, tr: TeamResult, who: Json, lang: str, live: list[Event]
) -> tuple[int, Json] | None:
    if not tr.finished:
        return None
    mine = [e for e in live if e.team == tr.team]
    finished = [e for e in mine if e.type == "finished"]
    event = finished[-1] if finished else (mine[-1] if mine else None)
    result: Json = {"completion": True}
    if tr.total is not None:
        raw = min(max(tr.total, 0.0), 100.0)
        result["score"] = {
            "scaled": round(raw / 100, 6),
            "raw": round(raw, 4),
            "min": 0,
            "max": 100,
        }
    result["extensions"] = {
        f"{EXTENSION}/ending": tr.ending,
        f"{EXTENSION}/auto": tr.auto.overall,
        f"{EXTENSION}/human": tr.human_percent,
        f"{EXTENSION}/rubrics": {k: r.percent for k, r in tr.auto.rubrics.items()},
    }
    seq = event.seq if event is not None else 0
    statement: Json = {
        "id": statement_id(info, seq, f"completed/{tr.team}"),
        "actor": who,
        "verb": _verb("completed"),
        "object": case_activity(case),
        "result": result,
        "context": _context(info, lang, None),
    }
    return seq, _with_time(statement, event)


def statements(source: SessionSource, lang: str) -> list[Json]:
    """Every statement of the session, in the order things happened."""
    info, case, result = source.info, source.case, source.result
    live = [e for e in live_events(source.events)[0] if e.seq not in source.skipped]
    group = info.kind == "classroom"
    out: list[tuple[int, Json]] = []
    for tr in result.teams:
        team = clean_line(tr.team)
        who = actor(team, members_of(result.settings, tr.team), group)
        out += _answered(info, case, tr, who, lang, live)
        completed = _completed(info, case, tr, who, lang, live)
        if completed is not None:
            out.append(completed)
    return [statement for _, statement in sorted(out, key=lambda pair: pair[0])]


def statements_json(source: SessionSource, lang: str) -> str:
    """The statements as a JSON array (UTF-8 text)."""
    try:
        text = json.dumps(statements(source, lang), ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:
        raise ReportError(
            "a score is not a finite number (NaN or infinity), which xAPI's JSON cannot carry; "
            "`sim validate` the case and check its weights and points"
        ) from None
    return text + "\n"
