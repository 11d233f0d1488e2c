"""Sessions for the report tests, made through the store API as the app and `sim run` make them.

The scale-check case's automatic scores are hand-computed in test_scoring_hand_computed.py:
warm:care,gift 85.4167; cold:cheap,refund 28.125; warm:cheap,plain 70.8333.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.cases import Case, load_case
from sim.headless import play_headless
from sim.report import SessionSource, load_session
from sim.session import choice_events
from sim.store import SqliteStore
from tests.conftest import CASES

SCALE = CASES / "scenarios" / "scale-check.yaml"
HOSTILE_CASE = Path(__file__).parent / "cases" / "scenarios" / "hostile-text.yaml"

# A team name that tries a spreadsheet formula, HTML and a terminal colour escape at once.
HOSTILE = "=1+2<script>alert(1)</script>\x1b[31m"
HOSTILE_SHOWN = "=1+2<script>alert(1)</script>"
"""What is left of it once control and escape sequences are stripped."""

PATHS: dict[str, list[tuple[str, str | None]]] = {
    "Red": [("warm", "care"), ("gift", None)],
    HOSTILE: [("cold", "cheap"), ("refund", None)],
    "Blue": [("warm", "cheap"), ("plain", None)],
}
AUTO = {"Red": 85.4167, HOSTILE: 28.125, "Blue": 70.8333}
MEMBERS = {"Red": ["Li Wei", "@Wang Fang"], HOSTILE: ["-Zhao\x1b[2J"]}
# Level points each rater gives a team on every classroom-performance criterion (1–4).
RATINGS: dict[str, dict[tuple[str, str], int]] = {
    "Red": {("instructor", "instructor"): 4, ("peer", HOSTILE): 3, ("peer", "Blue"): 2},
    HOSTILE: {("instructor", "instructor"): 2, ("peer", "Red"): 1, ("peer", "Blue"): 1},
    # Blue's rating by Red is missing on purpose: the report lists it as still to come.
    "Blue": {("instructor", "instructor"): 3, ("peer", HOSTILE): 2},
}
# course policy: final = mean(mean(peers), instructor); percent by the classroom rubric's
# declared mapping {1: 40, 2: 60, 3: 80, 4: 100}, pro rata between levels:
# Red 3.25 -> 85, the hostile team 1.5 -> 50, Blue 2.5 -> 70.
HUMAN = {"Red": 85.0, HOSTILE: 50.0, "Blue": 70.0}
NOTE = "Red chose warmth | because *she* matters <em>"


def record(store: SqliteStore, case: Case, team: str, path: list[tuple[str, str | None]]) -> int:
    """A finished run stored as `sim run --record` stores it."""
    outcome = play_headless(case, path)
    return store.record_run(case.scenario.id, str(case.path), team, outcome.run)


@dataclass(frozen=True)
class Classroom:
    session_id: int
    voided_choice: int
    """The seq of a choice that a correction took back."""


def classroom(store: SqliteStore, case: Case, lang: str = "en") -> Classroom:
    """A finished three-team class: paths, a justification, ratings and two corrections."""
    teams = list(PATHS)
    session_id = store.create_session(
        case.scenario.id,
        "classroom",
        teams,
        str(case.path),
        {"members": MEMBERS, "lang": lang},
    )
    for team in teams:
        store.append(session_id, "joined", team, {})
    # Blue first picks `cold`, then the instructor corrects it.
    wrong = store.append(session_id, "choice", "Blue", {"scene": "s1", "choice": "cold"})
    store.append(session_id, "correction", None, {"undo": wrong.seq})
    for team, path in PATHS.items():
        run = play_headless(case, path).run
        for number, (type_, data) in enumerate(choice_events(run.steps)):
            if team == "Red" and number == 0:
                data = {**data, "note": NOTE}
            store.append(session_id, type_, team, data)
        store.append(session_id, "finished", team, {"ending": run.ending})
    rubric = case.classroom_rubrics["classroom-performance"]
    for team, given in RATINGS.items():
        for (kind, rater), points in given.items():
            for criterion in rubric.criteria:
                data = {
                    "rater_kind": kind,
                    "rater": rater,
                    "rubric": rubric.id,
                    "criterion": criterion.id,
                    "points": points,
                }
                store.append(session_id, "rating", team, data)
                if team == "Red" and kind == "instructor" and criterion.id == "teamwork":
                    # A slip of the key that would replace the rating, voided by a correction.
                    slip = store.append(session_id, "rating", team, {**data, "points": 1})
                    store.append(session_id, "correction", None, {"undo": slip.seq})
    store.append(session_id, "finished", None, {})
    return Classroom(session_id, wrong.seq)


def source_of(store: SqliteStore, session_id: int) -> SessionSource:
    return load_session(store, session_id)


def scale_case() -> Case:
    return load_case(SCALE)


BA008_PATHS: dict[str, list[tuple[str, str | None]]] = {
    "Red": [
        ("listen", "understand-first"),
        ("check-record", None),
        ("tailor-alt", "delivered-value-reason"),
        ("tailored-package", "raise-value-cut-cost"),
        ("escort", None),
        ("personal-follow-up", None),
    ],
    # The same path with a reason that does not support its first choice.
    "Blue": [
        ("listen", "fair-to-all"),
        ("check-record", None),
        ("tailor-alt", "delivered-value-reason"),
        ("tailored-package", "raise-value-cut-cost"),
        ("escort", None),
        ("personal-follow-up", None),
    ],
}
"""Two BA008 teams for the held-feedback tests: Blue's first reason does not fit its choice."""


def ba008_class(store: SqliteStore, lang: str = "en") -> tuple[Case, int]:
    """A finished two-team BA008 class played through the classroom, feedback held (default)."""
    from sim.classroom import Classroom

    case = load_case("airline-ba008")
    room = Classroom.begin(case, store, list(BA008_PATHS), settings={"lang": lang})
    for team, path in BA008_PATHS.items():
        for choice, reason in path:
            room.choose(team, choice, "we asked her first" if choice == "listen" else "")
            if reason is not None:
                room.give_reason(team, reason)
        room.advance()  # closes the (empty) rating
    room.advance()  # the debrief closes the class
    assert room.finished
    return case, room.session_id
