"""The store's one error type, in a module of its own: `sim.store.sqlite_file` raises it
before the app starts without loading the store's protocol (see there)."""


class StoreError(Exception):
    """The session database cannot be opened, read or written: one line that names it, says
    what is wrong and what to do. Never a driver's traceback."""
