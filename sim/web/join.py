"""Short join codes: six characters a phone without a camera types at `/join` to reach its
team's link (the projector shows them beside the QR codes).

A capability link is unguessable because it is long (192 bits); a code people can type is
not, so a code is safe only by what surrounds it:

- it is made when the class is served and kept in this process's memory only (never in the
  log): it works while this server serves the class, a restart makes new ones, and every
  code stops when the class ends (as the links do). Under `sim serve --all`, where several
  processes serve one store's classes, a code is derived instead from the class's form key
  (a secret in its log) so that every process shows and accepts the same code; it then lasts
  as long as the class, and each process limits wrong codes on its own;
- it leads to a team's link only, never the instructor's;
- guessing is limited: after `PER_CLIENT` wrong codes from one address within `WINDOW`
  seconds that address gets 429 (a right code too, until the window has passed), and after
  `OVERALL` wrong codes from all addresses together, everyone does — the QR codes and links
  keep working. With 32 characters a code is one of 32**6 ≈ 1.07e9; at most `OVERALL` guesses
  a minute against 8 teams' codes find one with a chance of about 3e-5 in a two-hour class.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""32 characters, without I, O, 0 and 1, which are read for each other off a projector."""
LENGTH = 6
PER_CLIENT = 5
"""Wrong codes one address may send per window: a fumbling team has several tries."""
OVERALL = 30
"""Wrong codes all addresses together may send per window: a guesser with many addresses
is held to this too."""
WINDOW = 60.0
MAX_INPUT = 20
"""A longer entry is wrong unread."""


class TooMany(Exception):
    """Too many wrong codes lately: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many wrong codes; try again in {retry_after} s")
        self.retry_after = retry_after


def normalize(raw: str) -> str:
    """What was typed, as a code: capitals, without spaces or dashes (`k7m-q2p` → `K7MQ2P`)."""
    return "".join(raw.split()).replace("-", "").replace("－", "").upper()


def shown(code: str) -> str:
    """A code as projected: two halves, easier to read out and type (`K7M-Q2P`)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


class JoinCodes:
    """One code per team of a served class, and the count of wrong codes lately."""

    def __init__(
        self,
        teams: Iterable[str],
        clock: Callable[[], float] = time.monotonic,
        per_client: int = PER_CLIENT,
        overall: int = OVERALL,
        window: float = WINDOW,
        codes: Mapping[str, str] | None = None,
    ) -> None:
        self.by_team: dict[str, str] = {}
        taken: set[str] = set()
        for team in teams:
            code = codes[team] if codes is not None else _new_code()
            while code in taken:
                code = _new_code()
            taken.add(code)
            self.by_team[team] = code
        self.clock = clock
        self.per_client = per_client
        self.overall = overall
        self.window = window
        self._wrong: deque[tuple[float, str]] = deque()
        """(when, address) of each wrong code within the window, oldest first."""

    def _forget_old(self, now: float) -> None:
        while self._wrong and self._wrong[0][0] <= now - self.window:
            self._wrong.popleft()

    def _limited(self, client: str, now: float) -> int | None:
        """Seconds until this client may try again, or None when it may now."""
        mine = [when for when, who in self._wrong if who == client]
        if len(mine) >= self.per_client:
            return max(1, int(mine[-self.per_client] + self.window - now + 0.999))
        if len(self._wrong) >= self.overall:
            return max(1, int(self._wrong[-self.overall][0] + self.window - now + 0.999))
        return None

    def team_of(
        self, raw: str, client: str, known: Mapping[str, str] | None = None
    ) -> str | None:
        """The team whose code `raw` is, or None (counted as a wrong code); TooMany while
        this client, or everyone, has sent too many wrong codes lately. `known`: look among
        these codes (by key) instead of this class's (`sim serve --all`: every class's)."""
        now = self.clock()
        self._forget_old(now)
        wait = self._limited(client, now)
        if wait is not None:
            raise TooMany(wait)
        code = normalize(raw) if len(raw) <= MAX_INPUT else ""
        found = None
        codes = self.by_team if known is None else known
        for team, kept in codes.items():  # every code compared, in constant time
            if hmac.compare_digest(code.encode(), kept.encode()):
                found = team
        if found is None:
            self._wrong.append((now, client))
        return found


def derive_codes(teams: Iterable[str], key: str) -> dict[str, str]:
    """Each team's code as an HMAC of its name under the class's secret `key`: the same in
    every process that reads the class's log, unguessable without the key. 256 is a multiple
    of 32, so every character is uniform. (Two teams of one class drawing the same code, a
    chance of about 1 in 10^8, is settled by `JoinCodes`, which then draws a new one.)"""
    codes: dict[str, str] = {}
    for team in teams:
        digest = hmac.new(key.encode(), f"join:{team}".encode(), hashlib.sha256).digest()
        codes[team] = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])
    return codes


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
