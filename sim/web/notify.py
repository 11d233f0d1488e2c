"""How the server learns that the class moved, and wakes the pages that wait for it.

Two sources, neither a busy loop: a move made through this server publishes at once (in
process), and a move another process stored (the app on the projector, `sim run --record`,
another `sim serve` on the same PostgreSQL database) is seen through the store:

- PostgreSQL pushes it: every event's commit sends `NOTIFY sim_events, '<session id>'`, and
  `follow` LISTENs (`Store.change_feed`), so a page waiting on one server wakes within
  milliseconds of a move stored through another;
- SQLite cannot push, so `follow` looks every `interval` seconds; `PRAGMA data_version`
  changes only when another connection commits, so a look is one cheap pragma.

Either way each request also looks (`Hub.sync`: the store's `change_marker`) before it
answers, so no answer is ever made from a class older than the store; the class's events are
re-read only when the marker moved.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from sim.classroom import Classroom
from sim.store import Store, StoreError

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

    def listen(self, listener: Callable[[int], None]) -> None:
        """Call `listener(version)` on every change (the projector in the same process; it
        must only schedule work, as it runs inside the request that made the change)."""
        self._listeners.append(listener)

    def _read_data_version(self) -> int:
        return int(self.room.store.change_marker(self.room.session_id))

    def sync(self) -> None:
        """Take in what another process wrote since the last look, then publish."""
        now = self._read_data_version()
        if now != self._data_version:
            self._data_version = now
            self.room.catch_up()
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
        mine = self.room.session_id

        def changed(session_id: int | None) -> None:
            if session_id is None or session_id == mine:
                self.sync()

        await follow(self.room.store, changed, interval)


RELISTEN_DELAY = 2.0
"""Seconds between a lost LISTEN connection and the next try (polling meanwhile)."""


async def follow(
    store: Store, changed: Callable[[int | None], None], interval: float = WATCH_INTERVAL
) -> None:
    """Call `changed(session_id)` as the store pushes each session's new events, or
    `changed(None)` every `interval` seconds when it cannot push (or while its push
    connection is lost): the caller then looks at each class's `change_marker`. Runs until
    cancelled."""
    while True:
        feed = store.change_feed()
        if feed is not None:
            try:
                async for session_id in feed:
                    changed(session_id)
            except StoreError:
                pass  # the database went away: poll until it is back, then listen again
            changed(None)  # whatever came while nobody listened
            delay = asyncio.get_running_loop().time() + RELISTEN_DELAY
            while asyncio.get_running_loop().time() < delay:
                await asyncio.sleep(interval)
                changed(None)
            continue
        await asyncio.sleep(interval)
        changed(None)
