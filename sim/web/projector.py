"""`sim class --serve`: the class served to devices from inside the app, on Textual's own loop.

Why a task on the app's event loop and not uvicorn in a thread of its own: the keyboard and the
devices must never both store a move for one turn. On one loop, one thread, one `Classroom`
and one SQLite connection, a request's "check, then store" runs between two awaits, so it
cannot interleave with a key's move or with another request, and the projector's room is the
very object the requests change (nothing to re-read, no second connection racing the first).
A thread would need a second connection and a compare-and-append in the store to give the
same promise. The cost is that a slow request would freeze the screen for its duration; a
request here is one short SQLite transaction (about a millisecond), so it never shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Generator

import segno
import uvicorn

from sim.classroom import Classroom
from sim.web.app import ClassApp
from sim.web.join import shown
from sim.web.links import Address, Links, record_address
from sim.web.serve import LOOPBACK, bind, lan_address

STOP_WAIT = 3.0
"""Seconds the app waits for the server to close its connections when the class is left."""


class _AppOwnsSignals(uvicorn.Server):
    """uvicorn, minus its signal handlers: in the app, Ctrl+C is a key and the app quits."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class _Forward(logging.Handler):
    """uvicorn's error lines go to the app (a toast), never onto the terminal it draws on."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.ERROR)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.say(record.getMessage().splitlines()[0][:200])


class InAppServer:
    """The class's web face, bound now (so a taken port is said before the app opens) and run
    later as a task on the app's loop (`start`, `stop`)."""

    def __init__(
        self, room: Classroom, host: str, port: int, watch_interval: float | None = None
    ) -> None:
        self.sock = bind(host, port)  # ServeError: one line, before the screen is taken over
        real_port = int(self.sock.getsockname()[1])
        shown = lan_address() if host in ("0.0.0.0", "::", "") else host
        self.address = Address(shown, real_port)
        self.lan = host not in LOOPBACK
        """Reachable from other machines: the projector says so."""
        record_address(room.store, room.session_id, self.address)
        self.web = ClassApp(
            room,
            public_url=self.address.url(),
            shared=True,
            watch_interval=watch_interval,
            debrief_open=True,  # the phones show the debrief page while the projector holds it
        )
        self._task: asyncio.Task[None] | None = None
        self._server: uvicorn.Server | None = None
        self._on_error: Callable[[str], None] = lambda _: None

    @property
    def links(self) -> Links:
        return self.web.links

    @property
    def url(self) -> str:
        return self.address.url()

    def team_urls(self) -> dict[str, str]:
        return {team: self.address.url(f"{tok}/") for team, tok in self.links.teams.items()}

    def join_codes(self) -> dict[str, str]:
        """Each team's short join code, as projected (`K7M-Q2P`): valid while this serves."""
        return {team: shown(code) for team, code in self.web.join_codes.by_team.items()}

    def join_url(self) -> str:
        return self.address.url("join")

    def instructor_url(self) -> str:
        return self.address.url(f"{self.links.instructor}/")

    def listen(self, changed: Callable[[int], None]) -> None:
        """`changed(version)` after every change the server sees (a device's move, or another
        process's found by the data_version watcher)."""
        self.web.hub.listen(changed)

    def publish(self) -> None:
        """The projector moved the class: wake the devices' waiting pages now."""
        self.web.hub.publish()

    def start(self, on_error: Callable[[str], None], on_stopped: Callable[[str], None]) -> None:
        """Serve on the running loop. `on_error` hears uvicorn's error lines; `on_stopped` is
        told if the server ends by itself (it should not)."""
        self._on_error = on_error
        logger = logging.getLogger("uvicorn")
        logger.handlers = [_Forward(on_error)]
        logger.propagate = False
        config = uvicorn.Config(
            self.web.app,
            log_config=None,  # no handlers on the real stderr: the app owns the terminal
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        self._server = _AppOwnsSignals(config)
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[self.sock]))

        def ended(task: asyncio.Task[None]) -> None:
            if self._server is not None and self._server.should_exit:
                return  # stopped on purpose
            problem = "stopped"
            if not task.cancelled() and task.exception() is not None:
                problem = str(task.exception())[:200]
            on_stopped(problem)

        self._task.add_done_callback(ended)

    @property
    def started(self) -> bool:
        return self._server is not None and self._server.started

    async def stop(self) -> None:
        """Close the server (open event streams get a second) before the store is closed."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), STOP_WAIT)
            if not self._task.done():
                self._task.cancel()
        self.sock.close()


def qr_rows(url: str) -> list[list[tuple[bool, bool]]]:
    """A QR code as rows of (upper, lower) module pairs, for half-block characters: two
    modules per character cell keep a code of 33 modules about 18 lines high."""
    code = segno.make(url, error="m")
    matrix = [list(row) for row in code.matrix_iter(scale=1, border=2)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return [
        [(bool(a), bool(b)) for a, b in zip(matrix[i], matrix[i + 1], strict=True)]
        for i in range(0, len(matrix), 2)
    ]
