"""The catalogue: every bundled and local case, summarised, or with the reason it cannot load.

Home imports this module before its first frame, so it imports nothing heavy itself. What a
user waits for at launch is the list, so the list is built from plain summaries kept in the
case cache (`read_catalogue`, `json` alone: no pydantic, no models); the models are built
only for the case that is opened (`Entry.open`). `load_catalogue` reads the cases that have
no usable summary (a first start, an edited file) and keeps their summaries for next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.library import bundled_scenarios, local_scenarios

if TYPE_CHECKING:
    from sim.cases import Case
    from sim.findings import Finding


@dataclass(frozen=True)
class Summary:
    """What Home shows of a case that loads: plain data, no models."""

    id: str
    title: str | dict[str, str]
    summary: str | dict[str, str] | None
    languages: tuple[str, ...]
    minutes: int | None

    @property
    def default_language(self) -> str:
        """As `Scenario.default_language`: the first declared language."""
        return self.languages[0] if self.languages else "en"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(
            id=data["id"],
            title=data["title"],
            summary=data["summary"],
            languages=tuple(data["languages"]),
            minutes=data["minutes"],
        )


@dataclass
class Entry:
    """A case in the catalogue: summarised, or refused with its findings (`summary` None)."""

    path: Path
    summary: Summary | None
    problems: list[Finding]
    local: bool

    @property
    def id(self) -> str:
        return self.summary.id if self.summary else self.path.stem

    def open(self) -> Case:
        """The whole case (models, rubrics, files), built now, from the cache when unchanged.

        Raises `CaseError` when the file no longer loads (it was edited since it was listed).
        """
        from sim.case_cache import load_case_cached

        return load_case_cached(self.path)


def _sources(extra: list[Path] | None) -> list[tuple[Path, bool]]:
    """Local cases first (the user's own), then the bundled ones, each file once."""
    listed = [(p, True) for p in [*(extra or []), *local_scenarios()]]
    listed += [(p, False) for p in bundled_scenarios()]
    seen: set[Path] = set()
    sources = []
    for path, local in listed:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            sources.append((path, local))
    return sources


def _from_cache(path: Path, local: bool, memo: dict[Any, Any]) -> Entry | None:
    from sim.case_cache import summary

    cached = summary(path, memo)
    if cached is None:
        return None
    if "problems" in cached:
        from sim.findings import Finding  # only for a broken case: Home starts without it

        return Entry(path, None, [Finding(*item) for item in cached["problems"]], local)
    return Entry(path, Summary.from_json(cached["summary"]), [], local)


def read_catalogue(extra: list[Path] | None = None) -> list[Entry] | None:
    """The catalogue from the cache alone, or None if any case must be read (`load_catalogue`).

    All or nothing, so the list never shows with a case missing from its place.
    """
    entries = []
    memo: dict[Any, Any] = {}
    for path, local in _sources(extra):
        entry = _from_cache(path, local, memo)
        if entry is None:
            return None
        entries.append(entry)
    return entries


def load_catalogue(extra: list[Path] | None = None) -> list[Entry]:
    """Every case summarised, reading (and caching) those the cache cannot answer for.

    A broken case is listed too, with its errors. The models built here are not kept: the
    catalogue holds summaries, so its memory does not grow with the cases' size.
    """
    from sim.case_cache import load_case_cached, summary_of
    from sim.cases import CaseError

    entries: list[Entry] = []
    for path, local in _sources(extra):
        entry = _from_cache(path, local, {})
        if entry is None:
            try:
                case = load_case_cached(path)
                entry = Entry(path, Summary.from_json(summary_of(case)), [], local)
            except CaseError as problem:
                errors = [f for f in problem.findings if f.severity == "error"]
                entry = Entry(path, None, errors, local)
        entries.append(entry)
    return entries
