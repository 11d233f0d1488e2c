"""The class's capability links: one unguessable token per team and one for the instructor.

Kept in the session's own event log (a `links` event, and a `served` event for the address
it was last served at) rather than in a table, so links survive a restart, `sim links` can
print them at any time and a backup of the database carries them; no schema change needed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sim.session import Event
from sim.store import Store

TOKEN_BYTES = 24
"""192 random bits per link (PRODUCT.md asks at least 128): unguessable, so the URL is the key."""


@dataclass(frozen=True)
class Links:
    """Who each token belongs to. `form_key` signs the per-link form tokens (CSRF)."""

    instructor: str
    teams: dict[str, str]
    form_key: str

    def holder(self, token: str) -> tuple[str, str | None] | None:
        """`("instructor", None)`, `("team", name)`, or None for a token that is nobody's.

        Every token is compared in constant time, so response timing tells nothing about
        how much of a guessed token was right.
        """
        found: tuple[str, str | None] | None = None
        if hmac.compare_digest(token.encode(), self.instructor.encode()):
            found = ("instructor", None)
        for team, known in self.teams.items():
            if hmac.compare_digest(token.encode(), known.encode()):
                found = ("team", team)
        return found

    def form_token(self, token: str) -> str:
        """The hidden field every HTML form of this link carries (see `app.check_form`)."""
        return hmac.new(self.form_key.encode(), token.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def url(self, path: str = "") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/{path}"


def links_of(events: list[Event]) -> Links | None:
    """The class's links (the first `links` event: tokens are never replaced once handed out)."""
    for event in events:
        if event.type == "links":
            data = event.data
            return Links(
                str(data["instructor"]),
                {str(k): str(v) for k, v in dict(data["teams"]).items()},
                str(data["form_key"]),
            )
    return None


def last_address(events: list[Event]) -> Address | None:
    """Where the class was last served (`sim links` builds its URLs from it)."""
    for event in reversed(events):
        if event.type == "served":
            return Address(str(event.data["host"]), int(event.data["port"]))
    return None


def ensure_links(store: Store, session_id: int, teams: list[str]) -> Links:
    """The class's links, made (and committed) the first time they are asked for."""
    existing = links_of(store.events(session_id))
    if existing is not None:
        return existing
    made = Links(
        secrets.token_urlsafe(TOKEN_BYTES),
        {team: secrets.token_urlsafe(TOKEN_BYTES) for team in teams},
        secrets.token_urlsafe(TOKEN_BYTES),
    )
    store.append(
        session_id,
        "links",
        None,
        {"instructor": made.instructor, "teams": made.teams, "form_key": made.form_key},
    )
    return made


def record_address(store: Store, session_id: int, address: Address) -> None:
    if last_address(store.events(session_id)) != address:
        store.append(session_id, "served", None, {"host": address.host, "port": address.port})


def links_json(links: Links, address: Address) -> dict[str, object]:
    """`sim links --json`: `{"instructor": URL, "teams": {"A": URL, …}}` (PRODUCT.md)."""
    return {
        "instructor": address.url(f"{links.instructor}/"),
        "teams": {team: address.url(f"{token}/") for team, token in links.teams.items()},
    }
