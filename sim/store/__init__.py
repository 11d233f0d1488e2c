"""The session store: an append-only event log behind a small protocol (SQLite by default,
PostgreSQL when SIM_DATABASE_URL is set)."""

from sim.store.protocol import SessionInfo, Stale, Store, StoreError
from sim.store.sqlite import SqliteStore, open_store

__all__ = ["SessionInfo", "SqliteStore", "Stale", "Store", "StoreError", "open_store"]
