"""xAPI 1.0.3 statements: one `answered` per choice, one `completed` per finished run."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

import pytest

from sim.cases import load_case
from sim.report import render_report
from sim.store import SqliteStore, open_store
from tests.report.helpers import (
    HOSTILE,
    HOSTILE_SHOWN,
    HUMAN,
    MEMBERS,
    PATHS,
    classroom,
    record,
    scale_case,
    source_of,
)

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s]+$")


@pytest.fixture
def store() -> SqliteStore:
    return open_store()


def language_map(value: Any) -> None:
    assert isinstance(value, dict) and value
    for tag, text in value.items():
        assert LANGUAGE_TAG.match(tag), tag
        assert isinstance(text, str)


def identified(actor: dict[str, Any]) -> None:
    """An Agent or identified Group has exactly one inverse functional identifier."""
    assert actor["objectType"] in ("Agent", "Group")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    assert ifis == ["account"]
    account = actor["account"]
    assert IRI.match(account["homePage"]) and account["name"]
    for member in actor.get("member", []):
        assert member["objectType"] == "Agent"
        identified(member)


def check_statement(statement: dict[str, Any]) -> None:
    """The statement rules of xAPI 1.0.3 that an exporter must follow."""
    assert uuid.UUID(statement["id"]).version == 5
    identified(statement["actor"])
    assert IRI.match(statement["verb"]["id"])
    language_map(statement["verb"]["display"])
    activity = statement["object"]
    assert activity["objectType"] == "Activity" and IRI.match(activity["id"])
    language_map(activity["definition"]["name"])
    assert IRI.match(activity["definition"]["type"])
    score = statement.get("result", {}).get("score")
    if score is not None:
        assert -1 <= score["scaled"] <= 1
        assert score["min"] <= score["raw"] <= score["max"]
    context = statement["context"]
    uuid.UUID(context["registration"])
    assert all(IRI.match(key) for key in context.get("extensions", {}))
    assert all(IRI.match(key) for key in statement.get("result", {}).get("extensions", {}))
    stamp = datetime.fromisoformat(statement["timestamp"])
    assert stamp.tzinfo is not None


def test_classroom_statements(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    source = source_of(store, session.session_id)
    text = render_report(source, "xapi")
    assert "\x1b" not in text
    statements = json.loads(text)
    for statement in statements:
        check_statement(statement)
    answered = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    completed = [s for s in statements if s["verb"]["id"].endswith("/completed")]
    # The voided `cold` of Blue is not a statement: one per live choice only.
    assert len(answered) == sum(len(path) for path in PATHS.values())
    assert len(completed) == len(PATHS)
    # In time order, with one registration for the whole session.
    stamps = [datetime.fromisoformat(s["timestamp"]) for s in statements]
    assert stamps == sorted(stamps)
    assert len({s["context"]["registration"] for s in statements}) == 1
    assert len({s["id"] for s in statements}) == len(statements)
    for team in PATHS:
        name = HOSTILE_SHOWN if team == HOSTILE else team
        mine = [s for s in completed if s["actor"]["name"] == name]
        assert len(mine) == 1
        actor = mine[0]["actor"]
        assert actor["objectType"] == "Group"
        assert len(actor.get("member", [])) == len(MEMBERS.get(team, []))
        total = HUMAN[team]  # the course formula: the rated score is the grade
        assert mine[0]["result"]["score"]["scaled"] == pytest.approx(total / 100, abs=1e-4)
        responses = [s["result"]["response"] for s in answered if s["actor"]["name"] == name]
        assert responses == [choice for choice, _ in PATHS[team]]


def test_exports_are_deterministic(store: SqliteStore) -> None:
    case = scale_case()
    session = classroom(store, case)
    first = render_report(source_of(store, session.session_id), "xapi")
    assert render_report(source_of(store, session.session_id), "xapi") == first
    other = classroom(store, case)
    second = json.loads(render_report(source_of(store, other.session_id), "xapi"))
    registrations = {s["context"]["registration"] for s in json.loads(first)}
    assert registrations.isdisjoint({s["context"]["registration"] for s in second})


def test_recorded_run_statements(store: SqliteStore) -> None:
    case = load_case("airline-ba008")
    path = [("listen", "understand-first"), ("check-record", None)]
    session = record(store, case, "Solo", path)
    source = source_of(store, session)
    statements = json.loads(render_report(source, "xapi"))
    for statement in statements:
        check_statement(statement)
        assert statement["actor"]["objectType"] == "Agent"
    # An unfinished run has its choices but no `completed` statement.
    assert [s["result"]["response"] for s in statements] == ["listen", "check-record"]
    reason = statements[0]["result"]["extensions"]
    assert any(v.get("id") == "understand-first" for v in reason.values() if isinstance(v, dict))
