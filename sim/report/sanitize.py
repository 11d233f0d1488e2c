"""Strips control and escape characters from author and team text before any output sees it.

The definition lives in `sim.textsafe`, shared with the command line and the app, so a report,
a screen and a terminal agree on what is unsafe.
"""

from __future__ import annotations

from sim.textsafe import clean, clean_line

__all__ = ["clean", "clean_line"]
