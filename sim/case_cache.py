"""Parsed and validated cases kept in the data folder, so Home does not re-read YAML each start.

Reading a case (YAML with positions, the models, every check, the ending analysis) takes
~0.1–0.2 s per bundled case; the catalogue reads them all at every start. A cached case is
one small JSON file re-validated by pydantic in about a millisecond.

An entry is used only when everything that went into it is unchanged: the case file's bytes,
the rubric files it was checked against (and which files the rubric lookup finds now), the
sim version, this cache's format and the code that reads cases. Anything else — a missing,
corrupt, stale or unreadable entry, a read-only folder — silently falls back to reading the
case; the cache can only make loading faster, never different.

Beside each entry, in `cache/catalogue/`, a small file keeps the case's summary (titles,
minutes, languages; or, for a case that cannot be loaded, its errors) as plain JSON under the
same key, so Home lists the catalogue with `json` alone and builds the models only for the
case that is opened (`summary`).

JSON rather than pickle: an entry is data, so a tampered cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sim
from sim.library import PACKAGE_DIR, bundled_rubric, data_home, rubric_path

if TYPE_CHECKING:
    from sim.cases import Case
    from sim.findings import Finding
    from sim.model import Rubric, Scenario

CACHE_FORMAT = 2
"""Bump when the shape of an entry changes."""

CLASSROOM_RUBRIC = "classroom-performance"
"""The bundled fallback a case is rated with in class (kept equal to `sim.cases`')."""


def cache_folder() -> Path:
    """`cache/cases/` in the data folder (`SIM_HOME`, else the platform's)."""
    return data_home() / "cache" / "cases"


@cache
def code_fingerprint() -> str:
    """Size and time of every module of the package: a changed validator invalidates entries.

    An installed release never changes, so this only matters while sim itself is edited; it
    costs one `stat` per module, once per process.
    """
    # `os.walk` rather than `Path.rglob`: the same files for a fifth of the time, and Home
    # waits for this before its first frame.
    base = str(PACKAGE_DIR)
    lines = []
    for folder, subfolders, files in os.walk(base):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        inside = folder[len(base) + 1 :].replace(os.sep, "/")
        for name in files:
            if not name.endswith(".py"):
                continue
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(folder, name))
                relative = f"{inside}/{name}" if inside else name
                lines.append(f"{relative}:{info.st_size}:{info.st_mtime_ns}\n")
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode())
    return digest.hexdigest()


def _file_digest(path: Path | None, memo: dict[Any, Any] | None = None) -> list[str] | None:
    """The file's path and content hash; `memo` shares them across one catalogue read (seven
    cases name the same three rubrics)."""
    if path is None:
        return None
    if memo is not None and ("digest", path) in memo:
        found: list[str] | None = memo[("digest", path)]
        return found
    try:
        found = [str(path), hashlib.sha256(path.read_bytes()).hexdigest()]
    except OSError:
        found = None
    if memo is not None:
        memo[("digest", path)] = found
    return found


def _dependencies(
    path: Path, rubric_ids: list[str], memo: dict[Any, Any] | None = None
) -> list[Any]:
    """Which rubric files the lookup finds for this case now, with their content hashes."""
    memo = {} if memo is None else memo
    folder = path.parent
    found: list[Any] = []
    for rubric_id in rubric_ids:
        if ("rubric", folder, rubric_id) not in memo:
            memo[("rubric", folder, rubric_id)] = rubric_path(path, rubric_id)
        found.append([rubric_id, _file_digest(memo[("rubric", folder, rubric_id)], memo)])
    if "classroom" not in memo:
        memo["classroom"] = bundled_rubric(CLASSROOM_RUBRIC)
    found.append([f"bundled:{CLASSROOM_RUBRIC}", _file_digest(memo["classroom"], memo)])
    return found


def _rubric_folders(path: Path, memo: dict[Any, Any] | None = None) -> list[Any]:
    """Every rubric file either lookup folder holds, with its hash: what a broken case's
    reading may have depended on (its rubric ids are not known when it does not load)."""
    from sim.library import bundled_root

    folders = [path.resolve().parent.parent / "rubrics", bundled_root() / "rubrics"]
    found: list[Any] = []
    for folder in folders:
        with contextlib.suppress(OSError):
            found += [_file_digest(file, memo) for file in sorted(folder.glob("*.yaml"))]
    return found


def content_key(path: Path, raw: bytes) -> str:
    """The case's content hash together with everything else its reading depends on."""
    digest = hashlib.sha256()
    header = f"sim-case-cache/{CACHE_FORMAT}/{sim.__version__}/{code_fingerprint()}/{path}\0"
    digest.update(header.encode())
    digest.update(raw)
    return digest.hexdigest()


def _slot(path: Path) -> str:
    """One slot per case file, so an edited case replaces its old entry instead of piling up."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]


def _entry_file(path: Path) -> Path:
    return cache_folder() / f"{_slot(path)}.json"


def _summary_file(path: Path) -> Path:
    """The case's summary beside its entry, in its own small file: Home reads only these."""
    return cache_folder().parent / "catalogue" / f"{_slot(path)}.json"


def _to_json(case: Case, key: str) -> dict[str, Any]:
    def dump(model: Scenario | Rubric) -> str:
        # Pydantic's own JSON, read back in JSON mode: number-keyed mappings (a rubric's
        # descriptors) survive, which plain `json` would turn into strict-failing strings.
        return model.model_dump_json(by_alias=True)

    return {
        "key": key,
        "rubric_ids": list(case.scenario.rubrics),
        "dependencies": _dependencies(case.path, list(case.scenario.rubrics)),
        "scenario": dump(case.scenario),
        "rubrics": {k: dump(r) for k, r in case.rubrics.items()},
        "classroom_rubrics": {k: dump(r) for k, r in case.classroom_rubrics.items()},
        "findings": [[f.path, f.line, f.column, f.severity, f.message] for f in case.findings],
    }


def summary_of(case: Case) -> dict[str, Any]:
    """What Home shows of a case, as plain JSON data (see `sim.catalog.Summary`)."""
    sc = case.scenario
    return {
        "id": sc.id,
        "title": sc.title,
        "summary": sc.summary,
        "languages": list(sc.languages),
        "minutes": sc.minutes,
    }


def summary(path: Path, memo: dict[Any, Any] | None = None) -> dict[str, Any] | None:
    """The cached summary of the case at `path` if it is still valid, with `json` alone.

    `{"summary": {...}}` for a case that loads, `{"problems": [[path, line, column, severity,
    message], ...]}` for one that does not; None when there is no usable entry. `memo` shares
    the rubrics' hashes across the cases of one catalogue.
    """
    try:
        raw = path.read_bytes()
        entry = json.loads(_summary_file(path).read_text(encoding="utf-8"))
        if entry["key"] != content_key(path, raw):
            return None
        if "problems" in entry:
            if entry["dependencies"] != _rubric_folders(path, memo):
                return None
            return {"problems": entry["problems"]}
        if entry["dependencies"] != _dependencies(path, list(entry["rubric_ids"]), memo):
            return None
        return {"summary": entry["summary"]}
    except Exception:
        # Missing, unreadable, corrupt, or written by another version: read the case instead.
        return None


def _from_json(path: Path, entry: dict[str, Any]) -> Case:
    from sim.cases import Case
    from sim.findings import Finding
    from sim.model import Rubric, Scenario

    return Case(
        scenario=Scenario.model_validate_json(entry["scenario"]),
        rubrics={k: Rubric.model_validate_json(v) for k, v in entry["rubrics"].items()},
        path=path,
        findings=[Finding(*item) for item in entry["findings"]],
        classroom_rubrics={
            k: Rubric.model_validate_json(v) for k, v in entry["classroom_rubrics"].items()
        },
    )


def _with_files(case: Case, path: Path, raw: bytes, dependencies: list[Any]) -> Case | None:
    """The cached case with the bytes it stands for (a session stores them), read again and
    checked against the hashes just compared; None if a rubric changed in between."""
    from dataclasses import replace

    from sim.store.protocol import CaseFile

    expected = {str(name): digest[1] for name, digest in dependencies if digest}
    files = [CaseFile("case", case.scenario.id, str(path.absolute()), raw)]
    for rubric_id in {**case.rubrics, **case.classroom_rubrics}:
        listed = rubric_id in case.scenario.rubrics
        located = rubric_path(path, rubric_id) if listed else bundled_rubric(rubric_id)
        if located is None:
            return None
        kept = CaseFile("rubric", rubric_id, str(located), located.read_bytes())
        if kept.sha256 != expected.get(rubric_id if listed else f"bundled:{rubric_id}"):
            return None
        files.append(kept)
    return replace(case, files=tuple(files))


def _same(a: Case, b: Case) -> bool:
    return (
        a.scenario == b.scenario
        and a.rubrics == b.rubrics
        and a.classroom_rubrics == b.classroom_rubrics
        and a.findings == b.findings
    )


def lookup(path: Path, raw: bytes) -> Case | None:
    """The cached case for these bytes at this path, or None when there is no usable entry."""
    try:
        entry = json.loads(_entry_file(path).read_text(encoding="utf-8"))
        if entry["key"] != content_key(path, raw):
            return None
        if entry["dependencies"] != _dependencies(path, list(entry["rubric_ids"])):
            return None
        return _with_files(_from_json(path, entry), path, raw, entry["dependencies"])
    except Exception:
        # Missing, unreadable, corrupt, or written by another version: read the case instead.
        return None


def store(case: Case, raw: bytes) -> None:
    """Keep a loaded case; silently does nothing if the folder cannot be written."""
    key = content_key(case.path, raw)
    try:
        entry = _to_json(case, key)
        # Only data that reads back to the very same case is kept.
        if not _same(_from_json(case.path, json.loads(json.dumps(entry))), case):
            return
        _write(_entry_file(case.path), entry)
        _write(
            _summary_file(case.path),
            {
                "key": key,
                "rubric_ids": entry["rubric_ids"],
                "dependencies": entry["dependencies"],
                "summary": summary_of(case),
            },
        )
    except Exception:
        return


def store_problems(path: Path, raw: bytes, problems: list[Finding]) -> None:
    """Keep why a case does not load, so Home lists it with its errors without reading it."""
    with contextlib.suppress(Exception):
        _write(
            _summary_file(path),
            {
                "key": content_key(path, raw),
                "dependencies": _rubric_folders(path),
                "problems": [[f.path, f.line, f.column, f.severity, f.message] for f in problems],
            },
        )


def _write(target: Path, entry: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, target)  # atomic: readers see the old entry or the new one
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load_case_cached(path: Path) -> Case:
    """`load_case(path)`, served from the cache when the case and its rubrics are unchanged.

    A case with errors is never cached as a case: it raises `CaseError` exactly as
    `load_case` does, and only its errors are kept, for Home's listing (`summary`).
    """
    from sim.cases import CaseError, load_case

    try:
        raw = path.read_bytes()
    except OSError:
        return load_case(path)  # reports the problem as load_case always does
    cached = lookup(path, raw)
    if cached is not None:
        return cached
    try:
        case = load_case(path)
    except CaseError as problem:
        with contextlib.suppress(OSError):
            if path.read_bytes() == raw:
                store_problems(path, raw, [f for f in problem.findings if f.severity == "error"])
        raise
    with contextlib.suppress(OSError):
        if path.read_bytes() == raw:  # not edited while it was being read
            store(case, raw)
    return case
