"""Finding and loading cases with their rubrics; validating files and folders from disk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sim.bulk import collector_paused
from sim.findings import Finding, Severity, has_errors
from sim.library import bundled_rubric, bundled_scenarios, local_scenarios, rubric_path
from sim.loader import Document, parse_document, read_document
from sim.model import Rubric, Scenario
from sim.validate import EndingReachability, WorstUnobserved, check_rubric, check_scenario

if TYPE_CHECKING:
    # The store is imported where a case's files are kept, not by `sim validate`.
    from sim.store.protocol import CaseFile, SessionInfo, Store

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
    files: tuple[CaseFile, ...] = ()
    """The exact bytes the case and its rubrics were read from; a new session stores them, so
    it plays (and reports) what was played, whatever happens to the files afterwards."""

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
    """Reads each rubric file once per validation or load.

    With `stored` (a session's kept texts, by rubric id) rubrics come from those bytes instead
    of the library, read by the same loader and checked by the same validator as files.
    """

    def __init__(self, stored: Mapping[str, CaseFile] | None = None) -> None:
        self.documents: dict[Path, Document] = {}
        self.stored = stored
        self.by_id: dict[str, Document] = {}
        """The document each rubric id was resolved to (what a session keeps)."""

    def read(self, path: Path) -> Document:
        key = path.resolve()
        if key not in self.documents:
            self.documents[key] = read_document(path, "rubric")
        return self.documents[key]

    def _stored(self, rubric_id: str) -> Document | None:
        kept = self.stored.get(rubric_id) if self.stored is not None else None
        if kept is None:
            return None
        key = Path(kept.path)
        if key not in self.documents:
            self.documents[key] = parse_document(kept.data, key, "rubric")
        return self.documents[key]

    def _located(self, scenario_path: Path, rubric_id: str) -> Document | None:
        if self.stored is not None:
            return self._stored(rubric_id)
        located = rubric_path(scenario_path, rubric_id)
        return self.read(located) if located else None

    def classroom(self) -> Document | None:
        """The bundled classroom rubric (or, for a stored case, the copy it was played with)."""
        if self.stored is not None:
            document = self._stored(CLASSROOM_RUBRIC)
        else:
            fallback = bundled_rubric(CLASSROOM_RUBRIC)
            document = self.read(fallback) if fallback else None
        if document is not None:
            self.by_id.setdefault(CLASSROOM_RUBRIC, document)
        return document

    def rubrics_for(self, scenario_path: Path, scenario: Scenario) -> dict[str, Rubric | None]:
        found: dict[str, Rubric | None] = {}
        for rubric_id in scenario.rubrics:
            document = self._located(scenario_path, rubric_id)
            if document is not None:
                self.by_id[rubric_id] = document
            model = document.model if document else None
            found[rubric_id] = model if isinstance(model, Rubric) else None
        return found


def _analyses(scenario: Scenario) -> tuple[EndingReachability, WorstUnobserved]:
    """The analyser's two looks for the validator, sharing one state graph of `scenario`:
    the worst-path check walks the very edges the reachability check has just found."""
    from sim.analyze import StateGraph, ending_reachability, unobserved_on_worst

    graph = StateGraph(scenario)

    def reachability(sc: Scenario) -> dict[str, bool] | None:
        return ending_reachability(sc, graph if sc is scenario else None)

    def worst(sc: Scenario, rubrics: Mapping[str, Rubric]) -> tuple[str, list[str]] | None:
        return unobserved_on_worst(sc, rubrics, graph if sc is scenario else None)

    return reachability, worst


def _classroom_fallback(
    rubrics: Mapping[str, Rubric | None], cache: _RubricCache
) -> dict[str, Rubric]:
    """The bundled classroom rubric when the case lists none rated by people (FORMAT.md)."""
    if any(r is not None and {"instructor", "peer"} & set(r.rated_by) for r in rubrics.values()):
        return {}
    fallback = cache.classroom()
    rated = fallback.model if fallback else None
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
        reachability, worst = _analyses(model) if whole else (None, None)
        found = check_scenario(
            model,
            document.places,
            document.path,
            rubrics,
            reachability,
            worst if deep else None,
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
        elif path.suffix == "" and len(path.parts) == 1:
            # A case id, as `sim play` and `sim analyze` take: its file, if there is one.
            try:
                files.append(find_case_path(str(path)))
            except CaseError:
                problems.append(
                    Finding(
                        str(path), 1, 1, "error", "no such file or folder, nor a case with that id"
                    )
                )
        else:
            problems.append(Finding(str(path), 1, 1, "error", "no such file or folder"))
    return files, problems


def validate_paths(paths: list[Path]) -> list[Finding]:
    """Every finding for the files and folders given, scenarios and rubrics alike."""
    files, findings = yaml_files(paths)
    cache = _RubricCache()
    first: dict[tuple[str, str], str] = {}
    for path in files:
        findings += _validate_file(path, cache, first)
    return findings


def _validate_file(
    path: Path, cache: _RubricCache, first: dict[tuple[str, str], str]
) -> list[Finding]:
    """One file's findings, the collector paused until its document is freed: resumed while
    the document lived, its first pass would walk every node of it (~15% of `sim validate`
    on a 2,000-scene case) to find nothing (see sim.bulk)."""
    with collector_paused():
        document = read_document(path)
        found = _check_document(document, cache, deep=True) + _same_id(document, first)
        del document
    return found


def _same_id(document: Document, first: dict[tuple[str, str], str]) -> list[Finding]:
    """Two files checked together must not share an id: cases and rubrics are found by it.

    (A copied case that keeps its original's id would be listed, played and stored as the
    original.)
    """
    model = document.model
    if model is None:
        return []
    kind = "scenario" if isinstance(model, Scenario) else "rubric"

    def at_id(severity: Severity, message: str) -> list[Finding]:
        # Looked up only for a finding: a clean file's places are never made (NotedPlaces).
        place = document.places.get(("id",))
        line, column = (place.value.line, place.value.column) if place is not None else (1, 1)
        return [Finding(document.path, line, column, severity, message)]

    earlier = first.setdefault((kind, model.id), document.path)
    if earlier != document.path:
        return at_id(
            "error",
            f"{kind} id `{model.id}` is already used by {earlier}: give this copy its own id",
        )
    bundled = {p.stem: p for p in bundled_scenarios()} if kind == "scenario" else {}
    twin = bundled.get(model.id)
    if twin is not None and twin.resolve() != Path(document.path).resolve():
        return at_id(
            "warning",
            f"scenario id `{model.id}` is a bundled case's id: the catalogue, `sim play "
            f"{model.id}` and the sessions would mix the two; give this case its own id",
        )
    return []


def find_case_path(name: str) -> Path:
    """A case by path, or by scenario id among the local and bundled cases."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") or as_path.exists():
        if not as_path.is_file():
            raise CaseError(f"{name}: no such case file")
        return as_path
    # The library the author works in (the current folder's `scenarios/`), then the data
    # folder's, then the bundled one: `sim play my-case` from inside a library finds it.
    here = Path("scenarios")
    own = sorted(here.glob("*.yaml")) if here.is_dir() else []
    candidates = [*own, *local_scenarios(), *bundled_scenarios()]
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
    return _loaded(path, read_document(path, "scenario"), _RubricCache(), str(path))


def _loaded(path: Path, document: Document, cache: _RubricCache, named: str) -> Case:
    """The case from its read document, checked as `sim validate` checks it (errors refuse)."""
    from sim.store.protocol import CaseFile

    findings = _check_document(document, cache)
    scenario = document.model
    if has_errors(findings) or not isinstance(scenario, Scenario):
        # Rubric files with their own errors are reported too, so the author sees why.
        for rubric_doc in cache.documents.values():
            findings += rubric_doc.findings
        errors = [f for f in findings if f.severity == "error"]
        raise CaseError(f"{named}: the case has {len(errors)} error(s)", findings)
    rubrics = {k: v for k, v in cache.rubrics_for(path, scenario).items() if v is not None}
    human = {k: r for k, r in rubrics.items() if {"instructor", "peer"} & set(r.rated_by)}
    if not human:
        human = _classroom_fallback(rubrics, cache)
    files: list[CaseFile] = []
    if document.raw is not None:
        files.append(CaseFile("case", scenario.id, str(path.absolute()), document.raw))
    for rubric_id in {**rubrics, **human}:
        kept = cache.by_id.get(rubric_id)
        if kept is not None and kept.raw is not None:
            files.append(CaseFile("rubric", rubric_id, kept.path, kept.raw))
    return Case(scenario, rubrics, path, findings, human, tuple(files))


def texts_of(files: Iterable[CaseFile]) -> frozenset[tuple[str, str, str]]:
    """What identifies a version of a case: each file's role, id and content hash."""
    return frozenset((f.role, f.key, f.sha256) for f in files)


_PLAYED: dict[frozenset[tuple[str, str, str, str]], Case] = {}
"""Stored cases already read in this process (history lists many attempts at one case)."""


def load_played(files: list[CaseFile], session_id: int) -> Case:
    """A session's case from the texts it stored, through the same loader and validator as a
    file (the stored bytes are untrusted too); findings name the original files."""
    main = next((f for f in files if f.role == "case"), None)
    if main is None:
        raise CaseError(f"session {session_id} keeps rubric texts but not its case's text")
    memo = frozenset((f.role, f.key, f.path, f.sha256) for f in files)
    if memo in _PLAYED:
        return _PLAYED[memo]
    path = Path(main.path)
    cache = _RubricCache({f.key: f for f in files if f.role == "rubric"})
    document = parse_document(main.data, path, "scenario")
    case = _loaded(path, document, cache, f"{path} (as played in session {session_id})")
    if len(_PLAYED) >= 16:
        _PLAYED.pop(next(iter(_PLAYED)))
    _PLAYED[memo] = case
    return case


def session_case(
    info: SessionInfo, store: Store | None = None, current: Case | None = None
) -> Case:
    """The case a session was played on: the texts it stored (whatever became of the files),
    else, for a session stored before sessions kept them, the file it was loaded from or its
    scenario id. `current` is used as it is when it holds the very same texts (or, for a session
    stored before, when it is the same case)."""
    files = store.case_files(info.id) if store is not None else []
    if files:
        if current is not None and texts_of(current.files) == texts_of(files):
            return current
        return load_played(files, info.id)
    if current is not None and current.scenario.id == info.scenario:
        return current  # stored before texts were kept: the case in hand, as before
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


def edited_since(played: Case, candidate: Case | None = None) -> Case | None:
    """The case as it is now, when it is no longer the version a session played.

    `candidate` is a case already loaded (from the catalogue, or named on the command line);
    without one, the file the session was played from is read again. None when nothing
    changed, when the session kept no texts (it already plays the file), when the file is
    gone, when it no longer loads, or when it now holds another case.
    """
    if not played.files:
        return None
    if candidate is None:
        main = next((f for f in played.files if f.role == "case"), None)
        path = Path(main.path) if main is not None else None
        if path is None or not path.is_file():
            return None
        if _unchanged_on_disk(path, played):
            return None
        from sim.case_cache import load_case_cached

        try:
            candidate = load_case_cached(path)
        except CaseError:
            return None
    if candidate.scenario.id != played.scenario.id or not candidate.files:
        return None
    return None if texts_of(candidate.files) == texts_of(played.files) else candidate


def _unchanged_on_disk(path: Path, played: Case) -> bool:
    """Whether the case file and the rubric files its lookup finds now hold the played bytes
    (no parsing: resuming an unchanged case costs a few hashes)."""
    from sim.store.protocol import CaseFile

    try:
        now = [CaseFile("case", played.scenario.id, "", path.read_bytes())]
        for kept in played.files:
            if kept.role != "rubric":
                continue
            located = (
                rubric_path(path, kept.key)
                if kept.key in played.scenario.rubrics
                else bundled_rubric(kept.key)
            )
            if located is None:
                return False
            now.append(CaseFile("rubric", kept.key, "", located.read_bytes()))
    except OSError:
        return False
    return texts_of(now) == texts_of(played.files)
