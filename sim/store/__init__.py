"""The session store: an append-only event log behind a small protocol (SQLite by default,
PostgreSQL when SIM_DATABASE_URL is set).

The names below load with their modules when first used, not with the package: `sim` alone
imports `sim.store.sqlite_file` to check the database before the app starts, and that must
not bring in the protocol and the SQLite store with it (see `sim.store.sqlite_file`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.store.protocol import SessionInfo, Stale, Store, StoreError
    from sim.store.sqlite import SqliteStore, open_store

__all__ = ["SessionInfo", "SqliteStore", "Stale", "Store", "StoreError", "open_store"]

_HOMES = {
    "SessionInfo": "sim.store.protocol",
    "Stale": "sim.store.protocol",
    "Store": "sim.store.protocol",
    "StoreError": "sim.store.protocol",
    "SqliteStore": "sim.store.sqlite",
    "open_store": "sim.store.sqlite",
}


def __getattr__(name: str) -> Any:
    """`from sim.store import Store` and the like: the name from the module that holds it."""
    if name not in _HOMES:
        raise AttributeError(f"module 'sim.store' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
