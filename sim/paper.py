"""Paper teams: a team that played on paper joins an existing class or recorded session (pure).

The course method has 3–4 teams in one class; when some of them play on paper (no laptop, a
power cut, a room without a projector) their answer sheets are typed in with
`sim run CASE --choices … --record --team NAME --session ID`, so the whole class ends up in
one session: one debrief, one report, one grade sheet. This module says whether a team may
join, and why not; the store writes it in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.classroom import MAX_TEAMS, clean_name
from sim.session import Event
from sim.store.protocol import SessionInfo
from sim.textsafe import clean_line


class PaperRefused(Exception):
    """The team cannot join that session; the message says why and what to do instead."""


def paper_team_name(raw: str) -> str:
    """The team's name as the session will store it (as a class's own team names are)."""
    name = clean_name(clean_line(raw))  # escape sequences go whole, not just their ESC
    if not name:
        raise PaperRefused("the team needs a name: --team NAME")
    return name


def check_paper_team(
    info: SessionInfo | None, session_id: int, scenario_id: str, team: str, events: Iterable[Event]
) -> str | None:
    """Refuse (PaperRefused) unless `team` may join session `session_id` with a run of
    `scenario_id`: the session exists, is a class or a recorded session (not one student's
    practice), plays the same case, is not a class whose debrief has closed it, and has no team
    of that name yet, and no more than MAX_TEAMS teams once it joins.

    A class's own team that has not played yet may be filled in too (it was named at set-up
    and then played on paper): its name as the class spells it is returned; None means a new
    team joins."""
    events = list(events)
    if info is None:
        raise PaperRefused(f"there is no session {session_id} (`sim sessions` lists them)")
    if info.kind == "practice":
        raise PaperRefused(
            f"session {session_id} is one student's practice, not a class; add the team to a "
            "class or a recorded session (`sim sessions` lists them), or leave out --session"
        )
    if info.scenario != scenario_id:
        raise PaperRefused(
            f"session {session_id} plays `{info.scenario}`, not `{scenario_id}`; a session "
            "holds one case"
        )
    if info.kind == "classroom" and _class_closed(events):
        raise PaperRefused(
            f"class {session_id} is finished (its debrief has been held), so its ratings and "
            "totals are closed; enter paper teams before the debrief, or record this team in a "
            "session of its own (leave out --session)"
        )
    teams = list(info.teams)
    # Case-blind, as a roster matches teams: "red" beside "Red" would be one team to a sheet.
    same = next((t for t in teams if " ".join(t.split()).casefold() == team.casefold()), None)
    if same is not None:
        if info.kind == "classroom" and not _has_played(events, same):
            return same
        raise PaperRefused(
            f"team `{same}` is already in session {session_id} and has played there (teams: "
            + ", ".join(teams)
            + "); give the paper team its own name, or undo that team's moves in class first"
        )
    if len(teams) >= MAX_TEAMS:
        raise PaperRefused(
            f"session {session_id} already has {len(teams)} teams, the most a class holds"
        )
    return None


def _has_played(events: Iterable[Event], team: str) -> bool:
    """Whether a team has a move (or an ending) that still counts in the log."""
    from sim.session import live_events

    live, _ = live_events(events)
    return any(e.team == team and e.type in ("choice", "reason", "finished") for e in live)


def _class_closed(events: Iterable[Event]) -> bool:
    """Whether the class's own `finished` (no team: the debrief closed it) still counts."""
    from sim.session import live_events

    live, _ = live_events(events)
    return any(e.type == "finished" and e.team is None for e in live)
