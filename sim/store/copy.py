"""`sim store copy`: every session of one store into another (a data folder's SQLite file, a
PostgreSQL database), verified, and never twice.

Each session is written in one transaction with its origin (`<source store id>#<id>`, kept
across further copies); a session whose origin the target already holds, or that came from the
target in the first place, is skipped. So a copy that stopped half-way is simply run again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sim.store.location import is_postgres_url, mask_url
from sim.store.protocol import SessionCopy, Store, StoreError


@dataclass
class Copied:
    copied: int = 0
    skipped: int = 0
    events: int = 0
    teams: int = 0
    texts: int = 0
    ids: dict[int, int] = field(default_factory=dict)
    """Source session id → its id in the target."""

    def summary(self, source: str, target: str) -> str:
        return (
            f"copied {self.copied} session(s) from {source} to {target} ({self.teams} team(s), "
            f"{self.events} event(s), {self.texts} stored text version(s)), counts verified; "
            f"{self.skipped} already there, skipped"
        )


def open_location(where: str, *, must_exist: bool) -> Store:
    """A store named on the command line: a postgresql:// URL, a SQLite file, or a data folder
    (its `sessions.sqlite3`)."""
    from sim.store.sqlite import SqliteStore, open_postgres

    if "://" in where:
        if not is_postgres_url(where):
            raise StoreError(
                f"{mask_url(where)} is neither a postgresql:// URL nor a folder or file; name a "
                "data folder, its sessions.sqlite3, or postgresql://USER:PASSWORD@HOST/DATABASE"
            )
        return open_postgres(where)
    path = Path(where).expanduser()
    if path.is_dir() or (not path.suffix and not path.exists()):
        path = path / "sessions.sqlite3"
    if must_exist and not path.is_file():
        raise StoreError(f"there is no session database at {path}: nothing to copy from")
    return SqliteStore(path)


def _counts(copy: SessionCopy) -> tuple[int, int, int]:
    return len(copy.teams), len(copy.events), len(copy.files)


def copy_sessions(source: Store, target: Store) -> Copied:
    """Copy every session of `source` that `target` does not hold yet; verify each."""
    if source.store_id() == target.store_id():
        raise StoreError(f"{source.where} and {target.where} are the same store: nothing to copy")
    mine = target.store_id() + "#"
    present = target.copied_origins()
    done = Copied()
    for info in source.sessions():
        session = source.export_session(info.id)
        if session.origin in present or session.origin.startswith(mine):
            done.skipped += 1
            continue
        new_id = target.import_session(session)
        written = target.export_session(new_id)
        if _counts(written) != _counts(session) or written.origin != session.origin:
            raise StoreError(
                f"session {info.id} of {source.where} was copied as {new_id} into {target.where} "
                f"but the counts differ (teams, events, texts: {_counts(session)} there, "
                f"{_counts(written)} here); nothing was deleted, run the copy again"
            )
        present.add(session.origin)
        done.ids[info.id] = new_id
        done.copied += 1
        teams, events, texts = _counts(session)
        done.teams += teams
        done.events += events
        done.texts += texts
    return done
