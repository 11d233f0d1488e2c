"""How the server learns that the class moved, and wakes the pages that wait for it.

Two sources, neither a busy loop: a move made through this server publishes at once (in
process), and a move another process stored (the app on the projector, `sim run --record`,
another `sim serve` on the same PostgreSQL database) is seen through the store:

- PostgreSQL pushes it: every event's commit sends `NOTIFY sim_events, '<session id>
  <newest seq>'`, and `follow` LISTENs (`Store.change_feed`), so a page waiting on one server
  wakes within milliseconds of a move stored through another; while it listens, a request
  needs no look of its own (`Hub.sync`), and only the new events are read, once per burst;
- SQLite cannot push (nor PostgreSQL while its LISTEN connection is lost), so `follow` looks
  every `interval` seconds and each request looks before it answers (the store's
  `change_marker`: on SQLite `PRAGMA data_version`, which changes only when another
  connection commits, one cheap pragma); the class's events are read only when it moved.

A move decided on a view a few milliseconds old is still safe: its write is guarded by the
newest event the class had seen (`Classroom`), and decided again if another came first.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from sim.classroom import Classroom
from sim.store import Store, StoreError

STORE_RETRY_AFTER = 5
"""Seconds a device waits before it asks again while the store is not answering (503's
Retry-After), and between two lines on stderr that say so."""
_store_down_said = -float(STORE_RETRY_AFTER)


def say_store_problem(problem: Exception) -> None:
    """The store's line on stderr for the admin, once every few seconds while it lasts (every
    request and every look of the watcher meets it), not once per request."""
    global _store_down_said
    now = time.monotonic()
    if now - _store_down_said >= STORE_RETRY_AFTER:
        _store_down_said = now
        print(f"sim serve: {problem} (answering 503 until it is back)", file=sys.stderr)


WATCH_INTERVAL = 0.5
"""Seconds between two looks at data_version: a move from another process reaches the
pages within about this long."""


class Hub:
    """The served class, kept current, and the waiters for its next change."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self._data_version = self._read_data_version()
        self.version = room.events[-1].seq if room.events else 0
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[int], None]] = []
        self.pushed = False
        """True while the store pushes every change to this process (`follow`): a request
        then needs no look at the store of its own."""
        self._behind = 0
        """The newest event the store pushed that this room has not read yet."""
        self._catching_up = False

    def listen(self, listener: Callable[[int], None]) -> None:
        """Call `listener(version)` on every change (the projector in the same process; it
        must only schedule work, as it runs inside the request that made the change)."""
        self._listeners.append(listener)

    def _read_data_version(self) -> int:
        return int(self.room.store.change_marker(self.room.session_id))

    def sync(self) -> None:
        """Take in what another process wrote since the last look, then publish. While the
        store pushes changes, what it pushed is already taken in (`pushed_change`) and a
        move decided on a view a few milliseconds old is still refused or decided again by
        its guarded write (`Classroom`), so the look is spared."""
        if self.pushed:
            if self._behind > self.room.newest:
                self.room.catch_up()
            self.publish()
            return
        self.look()

    def look(self) -> None:
        """Ask the store whether the class changed (its `change_marker`); take it in."""
        now = self._read_data_version()
        if now != self._data_version:
            self._data_version = now
            self.room.catch_up()
        self.publish()

    def pushed_change(self, newest: int) -> None:
        """The store pushed that the class's newest event is now `newest` (0: unknown).

        Taken in once the notifications that arrived together are all in (a round's
        answers come in bursts: one read for the burst, not one per event), or at once by
        a request that comes first (`sync`)."""
        if newest == 0:
            newest = self.room.newest + 1
        if newest <= self.room.newest:
            return
        self._behind = max(self._behind, newest)
        if not self._catching_up:
            self._catching_up = True
            asyncio.get_running_loop().call_soon(self._catch_up_pushed)

    def _catch_up_pushed(self) -> None:
        self._catching_up = False
        if self._behind > self.room.newest:
            try:
                self.room.catch_up()
            except StoreError:
                return  # the next request or look tries again
        self.publish()

    def publish(self) -> None:
        """Wake every waiter if the newest event is not the one they last saw."""
        newest = self.room.events[-1].seq if self.room.events else 0
        if newest != self.version:
            self.version = newest
            self._changed.set()
            self._changed = asyncio.Event()
            for listener in self._listeners:
                listener(newest)

    async def wait(self, seen: int, timeout: float) -> int:
        """The version once it differs from `seen`, or the same after `timeout` seconds."""
        if self.version != seen:
            return self.version
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)
        return self.version

    async def watch(self, interval: float = WATCH_INTERVAL) -> None:
        """The watcher task: catch up whenever the store says this class (or, when it cannot
        say which, any class) may have changed, until cancelled."""
        await follow(self.room.store, self.followed, interval)

    def followed(self, change: Change) -> None:
        """What `follow` reports, for this class: take it in and wake its pages."""
        try:
            if change is LISTENING or change is LOST:
                self.pushed = change is LISTENING
                self.look()  # whatever came while nobody listened
            elif change is POLL:
                self.look()
            elif change[0] == self.room.session_id:
                self.pushed_change(change[1])
        except StoreError as problem:  # not answering: each request says so (503) too
            say_store_problem(problem)


RELISTEN_DELAY = 2.0
"""Seconds between a lost LISTEN connection and the next try (polling meanwhile)."""


Change = tuple[int, int]
"""What `follow` reports: `(session id, newest seq)` as the store pushed it, or one of the
three markers below (compare them by identity)."""
LISTENING: Change = (0, 0)
"""The store pushes every change from now on: no look of one's own is needed."""
LOST: Change = (-1, 0)
"""The push connection is lost: look for yourself (every request, and each POLL)."""
POLL: Change = (-2, 0)
"""The store cannot push (or its connection is lost): look at every class now."""


async def follow(
    store: Store, changed: Callable[[Change], None], interval: float = WATCH_INTERVAL
) -> None:
    """Report each change the store pushes (PostgreSQL's LISTEN/NOTIFY), after LISTENING;
    where it cannot push (SQLite), or while its connection is lost (after LOST), POLL every
    `interval` seconds instead, and listen again every RELISTEN_DELAY. Runs until
    cancelled."""
    while True:
        feed = store.change_feed()
        if feed is None:
            await asyncio.sleep(interval)
            changed(POLL)
            continue
        try:
            async for session_id, newest in feed:
                changed(LISTENING if (session_id, newest) == LISTENING else (session_id, newest))
        except StoreError:
            pass  # the database went away: poll until it is back, then listen again
        changed(LOST)
        loop = asyncio.get_running_loop()
        until = loop.time() + RELISTEN_DELAY
        while loop.time() < until:
            await asyncio.sleep(interval)
            changed(POLL)


@contextlib.asynccontextmanager
async def watching(watch: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run a watcher (`Hub.watch`, `follow`) for as long as the server serves."""
    task = asyncio.create_task(watch)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
