"""Bulk work without Python's cycle collector: reading, checking and analysing a case.

These steps allocate an object per key, value, place, state and edge and free almost none of
them until they finish: the collector's worst case, in which it re-walks the growing heap again
and again. For a 100,000-choice file that was more than half the time of `sim validate`
(29 s -> 12 s without it). Nothing built in these steps forms a reference cycle, and the
collector is back on (if it was on) the moment the step ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the duration (nesting is fine)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
