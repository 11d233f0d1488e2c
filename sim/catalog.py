"""The catalogue: every bundled and local case, loaded or with the reason it cannot be."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.cases import Case, CaseError, load_case
from sim.findings import Finding
from sim.library import bundled_scenarios, local_scenarios


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
            entries.append(Entry(path, load_case(path), [], local))
        except CaseError as problem:
            errors = [f for f in problem.findings if f.severity == "error"]
            entries.append(Entry(path, None, errors, local))
    return entries
