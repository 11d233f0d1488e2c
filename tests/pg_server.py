"""A throwaway PostgreSQL server for the tests and the benchmarks: initdb into a temporary
folder, pg_ctl start on a free loopback port, stopped and deleted at the end.

initdb refuses to run as root, so as root the server runs as the `postgres` user (Debian's
package makes it) in a folder given to that user. `SIM_TEST_POSTGRES_URL` points the tests at
a server of your own instead (each test then works in a schema of its own).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class NoServer(Exception):
    """Why no PostgreSQL server could be found or started (the reason a test is skipped)."""


@dataclass
class Server:
    url: str
    """A URL to the server's `postgres` database as the superuser `sim`."""
    folder: Path | None = None
    """The data folder of a server started here (None: one given by SIM_TEST_POSTGRES_URL)."""

    def url_for(self, database: str) -> str:
        base = self.url.rsplit("/", 1)[0]
        return f"{base}/{database}"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    candidates += sorted(glob.glob(f"/usr/local/pgsql/bin/{name}"))
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(*, fsync: bool = False) -> Iterator[Server]:
    """A server for the duration of the block; NoServer says why there is none."""
    given = os.environ.get("SIM_TEST_POSTGRES_URL", "").strip()
    if given:
        yield Server(given)
        return
    with made_server(fsync=fsync) as made:
        made.start()
        yield Server(made.url, made.folder)


@dataclass
class MadeServer:
    """A server's data folder made by initdb, on a port of its own: started and stopped at
    will (a test of what a client does while the server is down or starting)."""

    url: str
    folder: Path
    port: int
    pg_ctl: str
    user: str | None
    options: str
    running: bool = False

    def start(self) -> None:
        if self.running:
            return
        log = self.folder / "server.log"
        started = subprocess.run(
            [self.pg_ctl, "-D", str(self.folder / "data"), "-o", self.options, "-l", str(log),
             "-w", "-t", "60", "start"],
            user=self.user, capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        if started.returncode != 0:
            tail = log.read_text(errors="replace")[-300:] if log.exists() else started.stderr
            raise NoServer(f"pg_ctl could not start a server: {tail.strip()}")
        self.running = True

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        subprocess.run(
            [self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
            user=self.user, capture_output=True, timeout=60,
        )  # fmt: skip


@contextlib.contextmanager
def made_server(*, fsync: bool = False, password: str | None = None) -> Iterator[MadeServer]:
    """A server made here (initdb on a free loopback port), not yet started; stopped and
    deleted at the end. With `password`, TCP connections must give it (scram-sha-256)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise NoServer(
            "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in "
            "/usr/lib/postgresql/*/bin; install PostgreSQL (Debian: apt-get install postgresql) "
            "or set SIM_TEST_POSTGRES_URL"
        )
    user: str | None = None
    if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise NoServer(
                "running as root and there is no `postgres` user to run initdb as"
            ) from None
        user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="sim-pg-"))
    if user is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    auth = ["-A", "trust"]
    if password is not None:
        secret = folder / "password"
        secret.write_text(password + "\n")
        if user is not None:
            os.chown(secret, owner.pw_uid, owner.pw_gid)
        auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={secret}"]
    login = "sim" if password is None else f"sim:{password}"
    made = MadeServer(
        url=f"postgresql://{login}@127.0.0.1:{port}/postgres",
        folder=folder,
        port=port,
        pg_ctl=pg_ctl,
        user=user,
        options=f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        + ("" if fsync else " -c fsync=off -c synchronous_commit=off"),
    )
    try:
        done = subprocess.run(
            [initdb, "-D", str(folder / "data"), *auth, "-U", "sim", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            user=user, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if done.returncode != 0:
            raise NoServer(f"initdb failed: {(done.stderr or done.stdout).strip()[-300:]}")
        try:
            yield made
        finally:
            made.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_schema(server: Server, name: str) -> str:
    """A URL whose tables live in a new, empty schema `name` (cheaper than a database)."""
    import psycopg

    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')  # type: ignore[arg-type]
        conn.execute(f'CREATE SCHEMA "{name}"')  # type: ignore[arg-type]
    joiner = "&" if "?" in server.url else "?"
    return f"{server.url}{joiner}options=-csearch_path%3D{name}"
