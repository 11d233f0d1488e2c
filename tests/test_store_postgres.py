"""The PostgreSQL store's own promises (issue 21): faults in one line, retries that never
double a write, nothing committed lost to a killed process, migrations, live notifications,
and `sim store copy` between stores (verified, never twice)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.cli import main
from sim.engine import Step, replay
from sim.store import SqliteStore, StoreError
from tests.conftest import CASES
from tests.pg_server import MadeServer, NoServer, made_server

pytest.importorskip("psycopg", reason="the postgres extra is not installed")

import psycopg

from sim.store.postgres import MIGRATIONS, PostgresStore


def _sim(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# Faults: one line, exit 1, the password masked ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://teacher:s3cret-pw@127.0.0.1:notaport/sim", "postgresql://USER:PASSWORD"),
        ("mysql://teacher:s3cret-pw@db/sim", "not a PostgreSQL URL"),
    ],
)
def test_an_unusable_database_url_is_one_line_with_the_password_masked(
    url: str, says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIM_DATABASE_URL", url)
    code, out, err = _sim(capsys, "sessions")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert says in err and "s3cret-pw" not in err and "teacher:***@" in err
    assert "SIM_DATABASE_URL" in err


def test_a_server_that_does_not_come_is_waited_for_then_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing listens on the port: sim says once that it waits, tries again until the
    deadline (shortened here from 30 s), then fails with the one line of any refusal."""
    monkeypatch.setattr("sim.store.postgres.DEADLINE_S", 1.5)
    monkeypatch.setenv("SIM_DATABASE_URL", "postgresql://teacher:s3cret-pw@127.0.0.1:1/sim")
    started = time.monotonic()
    code, out, err = _sim(capsys, "sessions")
    assert 1.4 < time.monotonic() - started < 15
    assert code == 1 and out == "" and "Traceback" not in err and "s3cret-pw" not in err
    waiting, failed = err.strip().splitlines()
    assert waiting.startswith("sim: waiting for the session database postgresql://teacher:***@")
    assert "(connection refused)" in waiting
    assert failed.startswith("sim sessions: the session database postgresql://teacher:***@")
    assert "cannot be reached after 2 s of trying" in failed and "SIM_DATABASE_URL" in failed


@pytest.fixture(scope="module")
def late_server() -> Iterator[MadeServer]:
    """A server of these tests' own, asking for a password; started and stopped by them."""
    try:
        with made_server(password="right-pw-123") as made:
            yield made
    except NoServer as reason:
        pytest.skip(f"no PostgreSQL server: {reason}")


def test_a_server_that_is_still_starting_is_waited_for(late_server: MadeServer) -> None:
    """The database container still starting, a restart, a failover: the open waits for the
    server (up to DEADLINE_S), says so once, and the store then works."""
    late_server.stop()
    said: list[str] = []
    waiting = threading.Event()
    opened: dict[str, Any] = {}

    def tell(line: str) -> None:
        said.append(line)
        waiting.set()

    def open_store() -> None:
        try:
            opened["store"] = PostgresStore(late_server.url, waiting=tell)
        except StoreError as problem:
            opened["problem"] = problem

    thread = threading.Thread(target=open_store)
    thread.start()
    try:
        assert waiting.wait(30), opened
    finally:
        late_server.start()  # the server comes up while the open is trying again
        thread.join(60)
    assert "problem" not in opened, opened["problem"]
    store = opened["store"]
    sid = store.create_session("x", "classroom", ["A"])
    assert [e.type for e in store.events(sid)] == ["started"]
    store.close()
    assert len(said) == 1 and "right-pw-123" not in said[0]
    assert said[0].startswith("sim: waiting for the session database postgresql://sim:***@")


def test_a_server_store_says_at_once_that_the_database_is_down_and_recovers(
    late_server: MadeServer,
) -> None:
    """A server's store (short patience) while the database is down: the first call gives
    up after its patience, the calls of the next DOWN_S seconds at once with the same line
    (a served class's event loop is never held for long), and once the database is back
    the store works again, with nothing lost."""
    from sim.store.postgres import DOWN_S

    late_server.start()
    store = PostgresStore(late_server.url)
    store.patience = 0.5
    sid = store.create_session("x", "classroom", ["A"])
    with psycopg.connect(late_server.url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")  # the test server commits asynchronously; stop is a crash
    late_server.stop()
    try:
        began = time.monotonic()
        with pytest.raises(StoreError) as first:
            store.append(sid, "note", "A", {"n": 1})
        assert time.monotonic() - began < 0.5 + 5  # its patience, and one connect's timeout
        assert "right-pw-123" not in str(first.value)
        began = time.monotonic()
        with pytest.raises(StoreError) as again:
            store.events(sid)
        assert time.monotonic() - began < 0.1 and str(again.value) == str(first.value)
    finally:
        late_server.start()
    time.sleep(DOWN_S)
    # At once, not after the pool's reconnect backoff: a call makes its own connection
    # while the pool has none to give.
    began = time.monotonic()
    store.append(sid, "note", "A", {"n": 2})
    assert time.monotonic() - began < 2
    assert [e.data.get("n") for e in store.events(sid)] == [None, 2]
    store.close()


def test_a_wrong_password_fails_at_once_in_one_line(
    late_server: MadeServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    late_server.start()
    wrong = late_server.url.replace(":right-pw-123@", ":wrong-pw-456@")
    assert wrong != late_server.url
    monkeypatch.setenv("SIM_DATABASE_URL", wrong)
    started = time.monotonic()
    code, out, err = _sim(capsys, "sessions")
    assert time.monotonic() - started < 5  # not a wait for something waiting cannot mend
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "password authentication failed" in err and "check the user and password" in err
    assert "wrong-pw-456" not in err and "sim:***@" in err and "waiting" not in err


def test_a_missing_driver_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIM_DATABASE_URL", "postgresql://u:pw-secret@127.0.0.1:1/sim")
    monkeypatch.setitem(sys.modules, "sim.store.postgres", None)
    code, _, err = _sim(capsys, "sessions")
    assert code == 1 and "sim[postgres]" in err and "pw-secret" not in err


def test_a_wrong_database_or_user_names_what_to_check(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = pg_url.split("?")[0].rsplit("/", 1)[0]
    monkeypatch.setenv("SIM_DATABASE_URL", f"{base}/no_such_database")
    code, _, err = _sim(capsys, "sessions")
    assert code == 1 and "createdb" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("SIM_DATABASE_URL", base.replace("sim@", "nobody:pw@") + "/postgres")
    code, _, err = _sim(capsys, "sessions")
    assert code == 1 and "user" in err and "pw@" not in err


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    assert store.pool is not None
    with store.pool.connection() as conn:
        conn.execute("UPDATE sim_schema SET version = 99")
    store.close()
    with pytest.raises(StoreError, match="newer sim"):
        PostgresStore(pg_url)


def test_migration_from_the_first_schema_keeps_every_session(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_store import CASE

    run = replay(CASE.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    monkeypatch.setattr("sim.store.postgres.MIGRATIONS", MIGRATIONS[:1])
    old = PostgresStore(pg_url)
    assert old.schema_version == 1
    for team in ("A", "B"):
        old.record_run(CASE.scenario.id, CASE.stored_path, team, run)
    old.close()
    monkeypatch.setattr("sim.store.postgres.MIGRATIONS", MIGRATIONS)
    new = PostgresStore(pg_url)
    assert new.schema_version == len(MIGRATIONS) == 3
    assert [info.teams for info in new.sessions()] == [["A"], ["B"]]
    assert [info.events for info in new.sessions()] == [6, 6]
    new.close()


# Dropped connections and unknown outcomes ------------------------------------------------


def _kill_connections(store: PostgresStore) -> int:
    """Terminate every server connection of this database but one of our own (an admin
    restarting the server, a network drop)."""
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_a_dropped_connection_is_retried_without_losing_or_doubling(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    sid = store.create_session("x", "classroom", ["A"])
    for n in range(3):
        assert _kill_connections(store) >= 1
        store.append(sid, "note", "A", {"n": n})
    assert [e.data.get("n") for e in store.events(sid)] == [None, 0, 1, 2]
    assert [e.seq for e in store.events(sid)] == [1, 2, 3, 4]
    store.close()


def test_a_write_whose_answer_was_lost_is_not_written_twice(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit reaches the server, the answer does not (the connection drops right after):
    the retry finds its request key and returns the stored event instead of a second one."""
    import psycopg

    store = PostgresStore(pg_url)
    sid = store.create_session("x", "classroom", ["A"])
    assert store.pool is not None
    real = store.pool.connection
    lost = {"append": 1}

    @contextlib.contextmanager
    def answer_lost(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real(*args, **kwargs) as conn:
            yield conn
        if lost["append"]:  # the transaction above has committed by now
            lost["append"] -= 1
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(store.pool, "connection", answer_lost)
    event = store.append(sid, "note", "A", {"n": 1})
    assert lost["append"] == 0 and event.seq == 2
    lost["append"] = 1
    made = store.record_run("x", "", "B", replay(_case().scenario, [Step("s1", "warm", "care")]))
    monkeypatch.setattr(store.pool, "connection", real)
    assert [e.type for e in store.events(sid)] == ["started", "note"]
    assert [info.id for info in store.sessions()] == [sid, made]
    store.close()


def _case() -> Any:
    from tests.test_store import CASE

    return CASE


def _appender(url: str, session_id: int, report: str) -> None:
    store = PostgresStore(url)
    with open(report, "a") as done:
        for n in range(100_000):
            store.append(session_id, "note", "A", {"n": n})
            done.write(f"{n}\n")  # written only once the event is committed
            done.flush()


def test_a_killed_process_loses_nothing_it_committed(pg_url: str, tmp_path: Path) -> None:
    store = PostgresStore(pg_url)
    sid = store.create_session("x", "classroom", ["A"])
    report = tmp_path / "committed.txt"
    report.touch()
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=_appender, args=(pg_url, sid, str(report)))
    process.start()
    deadline = time.monotonic() + 60
    while len(report.read_text().splitlines()) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join(30)
    committed = len(report.read_text().splitlines())
    events = store.events(sid)[1:]
    assert committed >= 30
    assert [e.data["n"] for e in events] == list(range(len(events)))  # in order, no gap
    assert len(events) in (committed, committed + 1)  # + the one whose answer died with it
    store.close()


# Live notifications for other processes --------------------------------------------------


def test_each_event_notifies_listeners_with_its_session(pg_url: str) -> None:
    import threading

    store = PostgresStore(pg_url)
    sid = store.create_session("x", "classroom", ["A"])
    heard: list[int] = []

    def listen() -> None:
        for n, session_id in enumerate(store.listen(timeout=5)):
            heard.append(session_id)
            if n == 1:
                return

    listener = threading.Thread(target=listen)
    listener.start()
    time.sleep(0.5)  # LISTEN is in place once the connection is open (no hook to wait on)
    store.append(sid, "note", "A", {"n": 1})
    store.append(sid, "note", "A", {"n": 2})
    listener.join(10)
    assert heard == [sid, sid]
    store.close()


# sim store copy ------------------------------------------------------------------------------


def _folder_with_sessions(home: Path) -> SqliteStore:
    case = _case()
    store = SqliteStore(home / "sessions.sqlite3")
    run = replay(case.scenario, [Step("s1", "warm", "care"), Step("s2", "gift")])
    store.record_run(case.scenario.id, case.stored_path, "Paper", run, case.files)
    sid = store.create_session(
        "scale-check", "classroom", ["Red", "Blue"], case.stored_path, {"mode": "round"},
        case.files,
    )  # fmt: skip
    store.append(sid, "choice", "Red", {"scene": "s1", "choice": "warm"})
    store.keep_files(sid, case.files)
    return store


def test_store_copy_into_postgres_and_back_copies_nothing_twice(
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "instructor"
    original = _folder_with_sessions(folder)
    before = [original.export_session(i.id) for i in original.sessions()]
    original.close()
    code, out, err = _sim(capsys, "store", "copy", "--from", str(folder), "--to", pg_url)
    assert (code, err) == (0, "") and "copied 2 session(s)" in out and "0 already" in out
    code, out, _ = _sim(capsys, "store", "copy", "--from", str(folder), "--to", pg_url)
    assert code == 0 and "copied 0 session(s)" in out and "2 already there" in out

    monkeypatch.setenv("SIM_DATABASE_URL", pg_url)
    code, out, _ = _sim(capsys, "sessions", "--json")
    assert code == 0 and [s["teams"] for s in __import__("json").loads(out)] == [
        ["Paper"],
        ["Red", "Blue"],
    ]
    server = PostgresStore(pg_url)
    after = [server.export_session(i.id) for i in server.sessions()]
    assert [(c.events, c.files, c.teams, c.settings, c.created) for c in after] == [
        (c.events, c.files, c.teams, c.settings, c.created) for c in before
    ]
    server.create_session("x", "practice", ["solo"])  # a session made on the server
    server.close()

    # Back to the folder: only the server's own new session is new there.
    code, out, _ = _sim(capsys, "store", "copy", "--to", str(folder))
    assert code == 0 and "copied 1 session(s)" in out and "2 already there" in out
    code, out, _ = _sim(capsys, "store", "copy", "--to", str(folder))
    assert code == 0 and "copied 0 session(s)" in out


def test_store_copy_refuses_one_store_into_itself_and_needs_a_direction(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sim_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SIM_DATABASE_URL", raising=False)  # the data folder is the store in use
    _folder_with_sessions(sim_home).close()
    code, _, err = _sim(capsys, "store", "copy", "--to", str(sim_home))
    assert code == 1 and "same store" in err
    code, _, err = _sim(capsys, "store", "copy")
    assert code == 2 and "--to" in err
    code, _, err = _sim(capsys, "store", "copy", "--from", str(tmp_path / "nothing"))
    assert code == 1 and "nothing to copy" in err


def test_recorded_runs_from_the_cli_land_in_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIM_DATABASE_URL", pg_url)
    case = str(CASES / "scenarios" / "scale-check.yaml")
    for team in ("Red", "Blue"):
        code, _, err = _sim(
            capsys, "run", case, "--choices", "warm:care,gift", "--record", "--team", team
        )
        assert code == 0, err
    code, out, _ = _sim(capsys, "sessions")
    assert code == 0 and "[Red]" in out and "[Blue]" in out
    code, out, _ = _sim(capsys, "report", "2", "--format", "md")
    assert code == 0 and "Blue" in out
