"""The catalogue: every bundled and local case, loaded or with the reason it cannot be.

Home imports this module before its first frame, so it imports nothing heavy itself: the
models, the YAML reader and the checks are imported by `load_catalogue`, which Home runs in
a worker after the screen is up, and cases come from the cache when they are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.findings import Finding
from sim.library import bundled_scenarios, local_scenarios

if TYPE_CHECKING:
    from sim.cases import Case


@dataclass
class Entry:
    """A case in the catalogue: loaded, or refused with its findings."""

    path: Path
    case: Case | None
    problems: list[Finding]
    local: bool

    @property
    def id(self) -> str:
        return self.case.scenario.id if self.case else self.path.stem


def load_catalogue(extra: list[Path] | None = None) -> list[Entry]:
    """Local cases first (the user's own), then the bundled ones; a broken case is listed too."""
    from sim.case_cache import load_case_cached
    from sim.cases import CaseError

    entries: list[Entry] = []
    seen: set[Path] = set()
    sources = [(p, True) for p in [*(extra or []), *local_scenarios()]]
    sources += [(p, False) for p in bundled_scenarios()]
    for path, local in sources:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        try:
            entries.append(Entry(path, load_case_cached(path), [], local))
        except CaseError as problem:
            errors = [f for f in problem.findings if f.severity == "error"]
            entries.append(Entry(path, None, errors, local))
    return entries
