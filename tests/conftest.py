"""Shared fixtures: an isolated data folder for every test, and paths to the test cases."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

from tests.pg_server import NoServer, Server, fresh_schema, running_server

if TYPE_CHECKING:
    from sim.store import Store

# Property tests run the same examples every time, so a green main stays green; set
# HYPOTHESIS_PROFILE=explore to search fresh examples while working on the engine.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

POSTGRES_MODE = os.environ.get("SIM_TEST_STORE") == "postgres"
SQLITE_FILE = pytest.mark.skipif(
    POSTGRES_MODE,
    reason="about the data folder's SQLite file (its damage, repair, schema or place); "
    "SIM_TEST_STORE=postgres keeps the sessions on the server, and the SQLite run covers it",
)
"""For a test of the SQLite file itself, which the PostgreSQL run has nothing to say about."""

TESTS = Path(__file__).parent
BROKEN = TESTS / "broken"
CASES = TESTS / "cases"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def file_order(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """New attempts and classes show options in file order, so a test's digit presses pick
    known options; tests marked `shuffled` get the real, random order (tests/test_order.py)."""
    if request.node.get_closest_marker("shuffled") is None:
        monkeypatch.setattr("sim.order.new_seed", lambda: None)


@pytest.fixture(autouse=True)
def sim_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """Every test writes its sessions into its own folder, never the user's.

    A SIM_DATABASE_URL of the user's never leaks in; SIM_TEST_STORE=postgres runs every test
    that opens the default store against a schema of its own on the throwaway server."""
    home = tmp_path / "sim-home"
    monkeypatch.setenv("SIM_HOME", str(home))
    monkeypatch.delenv("SIM_DATABASE_URL", raising=False)
    if POSTGRES_MODE:
        monkeypatch.setenv("SIM_DATABASE_URL", request.getfixturevalue("pg_url"))
    yield home


@pytest.fixture(autouse=True)
def _postgres_stores_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In postgres mode, close at the end of each test every store it opened: many tests
    open the default store for one look and never close it, which SQLite shrugs off but
    leaves a PostgreSQL pool to be closed by the garbage collector, with a warning."""
    if os.environ.get("SIM_TEST_STORE") != "postgres":
        yield
        return
    from sim.store.postgres import PostgresStore

    opened: list[PostgresStore] = []
    made = PostgresStore.__init__

    def init(self: PostgresStore, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(PostgresStore, "__init__", init)
    yield
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server | str]:
    """One throwaway PostgreSQL server for the whole run (tests/pg_server.py), or the reason
    there is none."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        yield "psycopg and psycopg-pool are not installed (pip install -e '.[test]')"
        return
    try:
        with running_server() as server:
            yield server
    except NoServer as reason:
        yield str(reason)


@pytest.fixture
def pg_url(pg_server: Server | str, request: pytest.FixtureRequest) -> str:
    """A URL to an empty schema of this test's own; the test is skipped, with the reason,
    when no PostgreSQL server can be found or started."""
    if isinstance(pg_server, str):
        pytest.skip(f"no PostgreSQL server: {pg_server}")
    name = "t_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    return fresh_schema(pg_server, name)


@pytest.fixture(params=["sqlite", "postgres"])
def open_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens this test's store, on each backend in turn: SQLite in a file, PostgreSQL in a
    schema of the throwaway server. Every call opens the same store anew."""
    opened: list[Store] = []

    def open_store() -> Store:
        if request.param == "sqlite":
            from sim.store import SqliteStore

            store: Store = SqliteStore(tmp_path / "s.db")
        else:
            from sim.store.postgres import PostgresStore

            store = PostgresStore(url)
        opened.append(store)
        return store

    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    yield open_store
    for store in opened:
        store.close()
