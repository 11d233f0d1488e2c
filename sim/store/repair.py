"""`sim repair`: copy what is still readable of a damaged session database into a new one.

A truncated file, a damaged page or an event whose data is no longer JSON makes the store
refuse to open (the check at open names it). Rather than ask a teacher for SQLite's own tools,
this reads the old file row by row, skips what cannot be read, writes every readable session,
team, event and stored case or rubric text into a fresh database with the current schema, and
swaps the two files: the damaged one is kept beside it, renamed, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sim.store.protocol import StoreError

TABLES = {
    "sessions": ("id", "scenario", "scenario_path", "kind", "created", "settings"),
    "teams": ("session_id", "position", "name"),
    "events": ("session_id", "seq", "at", "type", "team", "data"),
    "blobs": ("sha256", "data"),
    "session_files": ("session_id", "since", "role", "key", "path", "sha256"),
    "store_meta": ("key", "value"),
    "origins": ("origin", "session_id"),
}
"""What is copied, column by column, in an order the foreign keys accept (a text before the
sessions' records of it). A database older than a table simply has none of its rows."""

PROBE_LIMIT = 1_000_000
"""Past a damaged stretch, rows are looked up one rowid at a time up to this many."""


@dataclass
class Repair:
    """What a repair kept and skipped, and where the damaged file now is."""

    kept: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    """Rows read but unusable (data that is not JSON, a team of a lost session)."""
    unreadable: set[str] = field(default_factory=set)
    """Tables with pages that could not be read at all: rows stored there are lost."""
    damaged: Path | None = None

    def summary(self) -> str:
        kept = ", ".join(f"{self.kept.get(t, 0):,} {t}" for t in ("sessions", "teams", "events"))
        kept += f", {self.kept.get('blobs', 0):,} case and rubric text(s)"
        lost = sum(self.skipped.values())
        pages = (
            f"; parts of {', '.join(sorted(self.unreadable))} could not be read at all"
            if self.unreadable
            else ""
        )
        where = f"; the damaged file is kept as {self.damaged}" if self.damaged else ""
        if not any(self.kept.values()) and not lost and self.unreadable:
            # Nothing at all could be read: say so plainly rather than list zeros.
            return (
                "nothing could be recovered: the old file is not a readable session database "
                f"(or holds no sessions); a new, empty database is ready{where}"
            )
        return f"kept {kept}; skipped {lost:,} unusable row(s){pages}{where}"


def _rows(db: sqlite3.Connection, table: str, repair: Repair) -> Iterator[tuple[object, ...]]:
    """Every readable row of a table: in one scan while it works, then rowid by rowid."""
    columns = ", ".join(TABLES[table])
    last = 0
    try:
        present = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    except sqlite3.DatabaseError:
        present = True  # the schema itself is damaged: try the table anyway
    if not present:  # made before this table existed (an older schema): nothing to copy
        return
    try:
        for row in db.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid"):
            last = int(row[0])
            yield row[1:]
        return
    except sqlite3.DatabaseError:
        repair.unreadable.add(table)
    misses = 0
    rowid = last
    while misses < 1000 and rowid < last + PROBE_LIMIT:
        rowid += 1
        try:
            found = db.execute(
                f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError:
            misses += 1
            continue
        if found is None:
            misses += 1
            continue
        misses = 0
        yield tuple(found)


def _readable(table: str, row: tuple[object, ...]) -> bool:
    """A row the store can use: its JSON columns hold JSON objects, its text is text, and a
    stored case or rubric text still matches the hash it is kept under."""
    if table == "blobs":
        digest, data = row
        return isinstance(data, bytes) and hashlib.sha256(data).hexdigest() == digest
    if any(isinstance(value, bytes) for value in row):
        return False
    json_at = {"sessions": 5, "events": 5}.get(table)
    if json_at is None:
        return True
    try:
        return isinstance(json.loads(str(row[json_at])), dict)
    except ValueError:
        return False


def repair_database(path: Path) -> Repair:
    """Copy the readable rows of `path` into a new database, then swap the files."""
    if not path.is_file():
        raise StoreError(f"there is no session database at {path}: nothing to repair")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    fresh = path.with_name(f"{path.stem}.repaired-{stamp}{path.suffix}")
    repair = Repair()
    with tempfile.TemporaryDirectory(prefix="sim-repair-") as scratch:
        copy = _readable_copy(path, Path(scratch))
        try:
            source = sqlite3.connect(copy)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{path} cannot be read at all ({exc}); nothing could be copied"
            ) from None
        try:
            _copy_rows(source, fresh, repair)
        finally:
            source.close()
    damaged = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    _swap(path, fresh, damaged)
    repair.damaged = damaged
    return repair


def _readable_copy(path: Path, scratch: Path) -> Path:
    """A scratch copy of the file (and its WAL) that SQLite reads as far as it goes.

    The header's page count (bytes 28-31) is cleared: a truncated file then counts as the
    pages it still has, instead of every query failing as "malformed". The original file is
    never written.
    """
    copy = scratch / "damaged.sqlite3"
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    with copy.open("r+b") as handle:
        header = handle.read(100)
        if len(header) == 100 and header.startswith(b"SQLite format 3\0"):
            handle.seek(28)
            handle.write(b"\0\0\0\0")
    return copy


def _copy_rows(source: sqlite3.Connection, fresh: Path, repair: Repair) -> None:
    from sim.store.sqlite import SqliteStore

    target = SqliteStore(fresh)
    incomplete: set[tuple[object, object]] = set()
    """Versions of a session's texts with a file lost (its text damaged): dropped whole, so
    the session falls back to an earlier version, or to its case's path, not half a case."""
    try:
        with target._transaction() as db:
            for table, columns in TABLES.items():
                marks = ", ".join("?" for _ in columns)
                insert = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for row in _rows(source, table, repair):
                    if not _readable(table, row):
                        repair.skipped[table] = repair.skipped.get(table, 0) + 1
                        continue
                    try:
                        db.execute(insert, row)
                    except sqlite3.Error:  # a row that breaks a constraint of the schema
                        repair.skipped[table] = repair.skipped.get(table, 0) + 1
                        if table == "session_files":
                            incomplete.add((row[0], row[1]))
                        continue
                    repair.kept[table] = repair.kept.get(table, 0) + 1
            for session_id, since in incomplete:
                dropped = db.execute(
                    "DELETE FROM session_files WHERE session_id = ? AND since = ?",
                    (session_id, since),
                ).rowcount
                repair.kept["session_files"] = repair.kept.get("session_files", 0) - dropped
                repair.skipped["session_files"] = repair.skipped.get("session_files", 0) + dropped
    finally:
        target.close()


def _swap(path: Path, fresh: Path, damaged: Path) -> None:
    """The damaged file (and its WAL) renamed aside, the repaired one in its place."""
    path.replace(damaged)
    for extra in ("-wal", "-shm"):
        leftover = path.with_name(path.name + extra)
        if leftover.exists():
            leftover.replace(damaged.with_name(damaged.name + extra))
    fresh.replace(path)
    for extra in ("-wal", "-shm", ".writers"):
        leftover = fresh.with_name(fresh.name + extra)
        if leftover.exists():
            leftover.unlink()
