"""How the server learns that the class moved, and wakes the pages that wait for it.

Two sources, neither a busy loop: a move made through this server publishes at once (in
process), and a move another process stored (the app on the projector, `sim run --record`)
shows up in SQLite's `PRAGMA data_version`, which changes only when another connection
commits. Reading it is one cheap pragma, done before each request and every `interval`
seconds by one watcher task; the class's events are re-read only when it changed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from sim.classroom import Classroom

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
        """Re-read the class if another process wrote since the last look, then publish."""
        now = self._read_data_version()
        if now != self._data_version:
            self._data_version = now
            self.room.refresh()
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
        """The watcher task: look at data_version every `interval` seconds until cancelled."""
        while True:
            await asyncio.sleep(interval)
            self.sync()
