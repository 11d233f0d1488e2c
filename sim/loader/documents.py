"""Reading scenario and rubric files into models, with every problem as a positioned finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from sim.bulk import collector_paused
from sim.findings import Finding
from sim.loader.errors import findings_from
from sim.loader.yaml_nodes import MAX_BYTES, Places, YamlProblem, read_yaml
from sim.model import Rubric, Scenario

Kind = Literal["scenario", "rubric"]


@dataclass
class Document:
    """One file as read: its model when it is valid, the places of its nodes, its findings."""

    path: str
    kind: Kind | None
    model: Scenario | Rubric | None = None
    salvaged: Scenario | Rubric | None = None
    """When the models refused the file: the rest of it, for the reference and graph checks
    only (never played; see sim.loader.salvage)."""
    places: Places = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    raw: bytes | None = None
    """The bytes the model was read from (None when they could not be read): a session keeps
    them, so it plays what was played whatever happens to the file afterwards."""


def _kind_of(data: dict[Any, Any], path: Path) -> Kind | None:
    if "scenes" in data or "start" in data:
        return "scenario"
    if "levels" in data or "criteria" in data:
        return "rubric"
    folder = path.parent.name
    if folder == "scenarios":
        return "scenario"
    if folder == "rubrics":
        return "rubric"
    return None


def read_document(path: Path, expect: Kind | None = None) -> Document:
    """Read one file. Never raises for bad content: problems come back as findings."""
    with collector_paused():  # see sim.bulk: most of a huge file's time was the collector's
        return _read_document(path, expect)


def _read_document(path: Path, expect: Kind | None) -> Document:
    shown = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            # Refuse before reading a huge file into memory.
            message = f"the file is over {MAX_BYTES // (1024 * 1024)} MB; case files are smaller"
            return Document(shown, expect, findings=[Finding(shown, 1, 1, "error", message)])
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Document(shown, expect, findings=[Finding(shown, 1, 1, "error", reason)])
    return _parse(raw, path, expect)


def parse_document(raw: bytes, path: Path, expect: Kind) -> Document:
    """Read bytes kept elsewhere (a session's stored copy of a file) exactly as the file at
    `path` would be read: the same limits, checks and findings, named by that path."""
    with collector_paused():
        return _parse(raw, path, expect)


def _parse(raw: bytes, path: Path, expect: Kind | None) -> Document:
    shown = str(path)
    if len(raw) > MAX_BYTES:
        message = f"the file is over {MAX_BYTES // (1024 * 1024)} MB; case files are smaller"
        return Document(shown, expect, findings=[Finding(shown, 1, 1, "error", message)])
    document = _parsed(raw, path, expect)
    document.raw = raw
    return document


def _parsed(raw: bytes, path: Path, expect: Kind | None) -> Document:
    shown = str(path)
    try:
        data, places = read_yaml(raw)
    except YamlProblem as problem:
        finding = Finding(shown, problem.mark.line, problem.mark.column, "error", problem.message)
        return Document(shown, expect, findings=[finding])
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        finding = Finding(
            shown,
            1,
            1,
            "error",
            f"the file holds {what}; expected a mapping of keys such as `format: 1`",
        )
        return Document(shown, expect, places=places, findings=[finding])
    kind = expect or _kind_of(data, path)
    if kind is None:
        finding = Finding(
            shown,
            1,
            1,
            "error",
            "cannot tell whether this is a scenario (it would have `scenes:`) or a rubric "
            "(it would have `levels:` and `criteria:`)",
        )
        return Document(shown, None, places=places, findings=[finding])
    model_class: type[BaseModel] = Scenario if kind == "scenario" else Rubric
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        from sim.loader.salvage import salvage

        findings = findings_from(exc, model_class, places, shown)  # before any renaming
        rest = salvage(data, exc, model_class, places)
        return Document(
            shown,
            kind,
            salvaged=rest if isinstance(rest, Scenario | Rubric) else None,
            places=places,
            findings=findings,
        )
    assert isinstance(model, Scenario | Rubric)
    return Document(shown, kind, model=model, places=places)
