"""Finding and loading cases with their rubrics; validating files and folders from disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sim.bulk import collector_paused
from sim.findings import Finding, has_errors
from sim.library import bundled_rubric, bundled_scenarios, local_scenarios, rubric_path
from sim.loader import Document, read_document
from sim.model import Rubric, Scenario
from sim.validate import EndingReachability, check_rubric, check_scenario

if TYPE_CHECKING:
    from sim.store.protocol import SessionInfo

CLASSROOM_RUBRIC = "classroom-performance"


@dataclass
class Case:
    """A scenario ready to play: the model, its rubrics by id, and where it came from."""

    scenario: Scenario
    rubrics: dict[str, Rubric]
    path: Path
    findings: list[Finding] = field(default_factory=list)
    """Warnings found while loading (errors make loading fail)."""
    classroom_rubrics: dict[str, Rubric] = field(default_factory=dict)
    """Rubrics rated by the instructor and peers in class: the scenario's own, or else the
    bundled `classroom-performance` (FORMAT.md)."""

    @property
    def stored_path(self) -> str:
        """The case file as a session records it: absolute, so `sim report` and a resumed
        class find it from any folder (a relative path only worked from where it was played)."""
        return str(self.path.absolute())


class CaseError(Exception):
    """A case could not be loaded; `findings` say why, with positions."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings or []


class _RubricCache:
    """Reads each rubric file once per validation or load."""

    def __init__(self) -> None:
        self.documents: dict[Path, Document] = {}

    def read(self, path: Path) -> Document:
        key = path.resolve()
        if key not in self.documents:
            self.documents[key] = read_document(path, "rubric")
        return self.documents[key]

    def rubrics_for(self, scenario_path: Path, scenario: Scenario) -> dict[str, Rubric | None]:
        found: dict[str, Rubric | None] = {}
        for rubric_id in scenario.rubrics:
            located = rubric_path(scenario_path, rubric_id)
            document = self.read(located) if located else None
            model = document.model if document else None
            found[rubric_id] = model if isinstance(model, Rubric) else None
        return found


def _default_reachability() -> EndingReachability:
    from sim.analyze import ending_reachability

    return ending_reachability


def _classroom_fallback(
    rubrics: Mapping[str, Rubric | None], cache: _RubricCache
) -> dict[str, Rubric]:
    """The bundled classroom rubric when the case lists none rated by people (FORMAT.md)."""
    if any(r is not None and {"instructor", "peer"} & set(r.rated_by) for r in rubrics.values()):
        return {}
    fallback = bundled_rubric(CLASSROOM_RUBRIC)
    rated = cache.read(fallback).model if fallback else None
    return {CLASSROOM_RUBRIC: rated} if isinstance(rated, Rubric) else {}


def _check_document(document: Document, cache: _RubricCache, deep: bool = False) -> list[Finding]:
    """The document's findings; `deep` (for `sim validate`) also looks at the worst path,
    within a small budget, which loading a case to play never waits for."""
    with collector_paused():  # see sim.bulk
        return _checked(document, cache, deep)


def _checked(document: Document, cache: _RubricCache, deep: bool) -> list[Finding]:
    findings = list(document.findings)
    model = document.model or document.salvaged
    # A salvaged file gets the checks of its structure (references, scenes reachable, a way
    # out), not those that depend on values a placeholder may now hold (which endings the
    # state can reach, what the worst path scores).
    whole = document.model is not None
    found: list[Finding] = []
    if isinstance(model, Rubric):
        found = check_rubric(model, document.places, document.path)
    elif isinstance(model, Scenario):
        rubrics = cache.rubrics_for(Path(document.path), model)
        from sim.analyze import unobserved_on_worst

        found = check_scenario(
            model,
            document.places,
            document.path,
            rubrics,
            _default_reachability() if whole else None,
            unobserved_on_worst if deep and whole else None,
            classroom=_classroom_fallback(rubrics, cache),
        )
    if not whole:
        # Checks of a salvaged file: what they say on a line the models already refused is
        # about the placeholder that stands there, not about the author's text.
        refused = {f.line for f in findings}
        found = [f for f in found if f.line not in refused]
    return findings + found


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Finding]]:
    """The YAML files named or inside the folders named; missing paths become findings."""
    files: list[Path] = []
    problems: list[Finding] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Finding(str(path), 1, 1, "error", "no such file or folder"))
    return files, problems


def validate_paths(paths: list[Path]) -> list[Finding]:
    """Every finding for the files and folders given, scenarios and rubrics alike."""
    files, findings = yaml_files(paths)
    cache = _RubricCache()
    first: dict[tuple[str, str], str] = {}
    for path in files:
        document = read_document(path)
        findings += _check_document(document, cache, deep=True)
        findings += _same_id(document, first)
    return findings


def _same_id(document: Document, first: dict[tuple[str, str], str]) -> list[Finding]:
    """Two files checked together must not share an id: cases and rubrics are found by it.

    (A copied case that keeps its original's id would be listed, played and stored as the
    original.)
    """
    model = document.model
    if model is None:
        return []
    kind = "scenario" if isinstance(model, Scenario) else "rubric"
    place = document.places.get(("id",))
    mark = place.value if place is not None else None
    line, column = (mark.line, mark.column) if mark is not None else (1, 1)
    earlier = first.setdefault((kind, model.id), document.path)
    if earlier != document.path:
        message = f"{kind} id `{model.id}` is already used by {earlier}: give this copy its own id"
        return [Finding(document.path, line, column, "error", message)]
    bundled = {p.stem: p for p in bundled_scenarios()} if kind == "scenario" else {}
    twin = bundled.get(model.id)
    if twin is not None and twin.resolve() != Path(document.path).resolve():
        message = (
            f"scenario id `{model.id}` is a bundled case's id: the catalogue, `sim play "
            f"{model.id}` and the sessions would mix the two; give this case its own id"
        )
        return [Finding(document.path, line, column, "warning", message)]
    return []


def find_case_path(name: str) -> Path:
    """A case by path, or by scenario id among the local and bundled cases."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") or as_path.exists():
        if not as_path.is_file():
            raise CaseError(f"{name}: no such case file")
        return as_path
    candidates = [*local_scenarios(), *bundled_scenarios()]
    for path in candidates:
        if path.stem == name:
            return path
    for path in candidates:
        document = read_document(path, "scenario")
        if isinstance(document.model, Scenario) and document.model.id == name:
            return path
    known = sorted(p.stem for p in candidates)
    from sim.loader.errors import suggest

    raise CaseError(
        f"no case `{name}`{suggest(name, known)}; known cases: {', '.join(known) or 'none'}"
    )


def load_case(name: str | Path) -> Case:
    """Load a case and its rubrics, refusing it (CaseError with findings) if it has errors."""
    path = name if isinstance(name, Path) else find_case_path(name)
    if any("\udc80" <= ch <= "\udcff" for ch in str(path)):
        # Python keeps such bytes as lone surrogates, which the store cannot hold as text.
        raise CaseError(
            f"{path}: the file's name is not UTF-8 text; rename it (sessions remember the "
            "case by its file name)"
        )
    document = read_document(path, "scenario")
    cache = _RubricCache()
    findings = _check_document(document, cache)
    scenario = document.model
    if has_errors(findings) or not isinstance(scenario, Scenario):
        # Rubric files with their own errors are reported too, so the author sees why.
        for rubric_doc in cache.documents.values():
            findings += rubric_doc.findings
        errors = [f for f in findings if f.severity == "error"]
        raise CaseError(f"{path}: the case has {len(errors)} error(s)", findings)
    rubrics = {k: v for k, v in cache.rubrics_for(path, scenario).items() if v is not None}
    human = {k: r for k, r in rubrics.items() if {"instructor", "peer"} & set(r.rated_by)}
    if not human:
        human = _classroom_fallback(rubrics, cache)
    return Case(scenario, rubrics, path, findings, human)


def session_case(info: SessionInfo) -> Case:
    """The case a session was played on: the file it was loaded from, else its scenario id."""
    if info.scenario_path and Path(info.scenario_path).is_file():
        return load_case(Path(info.scenario_path))
    try:
        return load_case(info.scenario)
    except CaseError as problem:
        where = f" (it was loaded from {info.scenario_path})" if info.scenario_path else ""
        raise CaseError(
            f"session {info.id} plays case `{info.scenario}`{where}, which cannot be found "
            f"or loaded: {problem.message}",
            problem.findings,
        ) from None
