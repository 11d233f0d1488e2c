"""The start-up and memory baseline: the smallest Textual app that shows one list.

`benchmarks/run.py` starts it as a whole process beside `sim`, so the ratio says what `sim`
adds on top of Textual itself on the same machine (PRODUCT.md's quality bars).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import OptionList

MARKER = "Baseline list item 1"
"""Text of the first option: its appearance on the terminal is the first frame."""


class MinimalApp(App[None]):
    """One focused option list, nothing else."""

    def compose(self) -> ComposeResult:
        yield OptionList(*(f"Baseline list item {n}" for n in range(1, 7)))


if __name__ == "__main__":
    MinimalApp().run()
