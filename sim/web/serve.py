"""`sim serve`: run a class's app with uvicorn and say, in one JSON line, where it listens.

The socket is bound here, before uvicorn starts, so port 0 becomes a real free port that we
know; the line is printed only once uvicorn reports it is serving, so a script that reads the
line can connect at once.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from collections.abc import Callable
from typing import TextIO

import uvicorn

from sim.classroom import Classroom
from sim.store import Store
from sim.web.app import ClassApp
from sim.web.links import Address, record_address

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(RuntimeError):
    """The address cannot be used (taken, not this machine's, not allowed): one line."""


def lan_address() -> str:
    """This machine's address on the network its default route leaves by (no packet is sent:
    connecting a UDP socket only picks the route)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run_until_stopped(
    app: object, sock: socket.socket, started_line: dict[str, object], out: TextIO
) -> None:
    """Run `app` with uvicorn on `sock` until Ctrl+C or SIGTERM; print `started_line` once
    it is serving. uvicorn stops on either signal and then raises it again for the handler
    it found; ours turns SIGTERM into the same orderly end as Ctrl+C, so `kill` exits 0 with
    the store closed instead of dying by the signal."""
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_level="warning",
        access_log=False,
        lifespan="on",
        # Server-sent event streams never end by themselves: give them a second, then close.
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:
            print(json.dumps(started_line, ensure_ascii=False), file=out, flush=True)
        await task

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _listening(host: str, port: int, err: TextIO) -> tuple[socket.socket, Address]:
    sock = bind(host, port)
    real_port = int(sock.getsockname()[1])
    shown = lan_address() if host in ("0.0.0.0", "::", "") else host
    address = Address(shown, real_port)
    if host not in LOOPBACK:
        print(
            f"sim serve: listening on {host}:{real_port}, reachable from other machines on "
            f"this network (not only this one); devices join at {address.url()}",
            file=err,
        )
    return sock, address


def serve_all(
    open_store: Callable[[], Store],
    host: str,
    port: int,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> None:
    """`sim serve --all`: every open class of the store (`sim.web.department`), until
    interrupted. Prints `{"url": …, "classes": [ids]}` once listening."""
    from sim.web.department import DepartmentApp

    out = out or sys.stdout
    err = err or sys.stderr
    sock, address = _listening(host, port, err)
    app = DepartmentApp(open_store, public_url=address.url(), err=err)
    with open_store() as store:  # the classes served at start, for the line
        classes = sorted(
            info.id for info in store.sessions() if info.kind == "classroom" and not info.finished
        )
    _run_until_stopped(app, sock, {"url": address.url(), "classes": classes}, out)


def serve(
    room: Classroom, host: str, port: int, out: TextIO | None = None, err: TextIO | None = None
) -> None:
    """Serve the class until interrupted (Ctrl+C or SIGTERM), then return normally.

    uvicorn stops on either signal and then raises it again for the handler it found; ours
    turns SIGTERM into the same orderly end as Ctrl+C, so `kill` exits 0 with the store
    closed instead of dying by the signal."""
    out = out or sys.stdout
    err = err or sys.stderr
    sock, address = _listening(host, port, err)
    record_address(room.store, room.session_id, address)
    app = ClassApp(room, public_url=address.url())
    _run_until_stopped(app.app, sock, {"session": room.session_id, "url": address.url()}, out)
