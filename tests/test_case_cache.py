"""The case cache: served only while the case, its rubrics and sim are unchanged; never breaks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim import case_cache
from sim.case_cache import cache_folder, load_case_cached, lookup
from sim.cases import CLASSROOM_RUBRIC, Case, CaseError, load_case
from sim.catalog import Summary, load_catalogue, read_catalogue
from sim.library import bundled_scenarios
from tests.conftest import CASES


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    """The scale-check case with its own rubrics, in a folder the test may edit."""
    root = tmp_path / "library"
    shutil.copytree(CASES, root)
    return root / "scenarios" / "scale-check.yaml"


def entries() -> list[Path]:
    folder = cache_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def same(a: Case, b: Case) -> bool:
    return (
        a.scenario == b.scenario
        and a.rubrics == b.rubrics
        and a.classroom_rubrics == b.classroom_rubrics
        and a.findings == b.findings
        and a.path == b.path
    )


def retitle_entry(entry: Path, title: str) -> None:
    """Edit the cached scenario's title: only a cache hit can return this title."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    scenario = json.loads(data["scenario"])
    scenario["title"] = title
    data["scenario"] = json.dumps(scenario)
    entry.write_text(json.dumps(data), encoding="utf-8")


def test_the_cache_lives_in_the_data_folder(case_copy: Path, sim_home: Path) -> None:
    assert entries() == []
    load_case_cached(case_copy)
    [entry] = entries()
    assert entry.is_relative_to(sim_home)
    assert cache_folder() == sim_home / "cache" / "cases"


def test_a_cached_case_equals_the_freshly_read_one(case_copy: Path) -> None:
    first = load_case_cached(case_copy)
    second = load_case_cached(case_copy)
    assert same(first, load_case(case_copy))
    assert same(second, load_case(case_copy))


def test_an_unchanged_case_is_served_from_the_cache(case_copy: Path) -> None:
    load_case_cached(case_copy)
    [entry] = entries()
    retitle_entry(entry, "Served from the cache")
    assert load_case_cached(case_copy).scenario.title == "Served from the cache"


def test_an_edited_case_is_read_again_and_its_entry_replaced(case_copy: Path) -> None:
    load_case_cached(case_copy)
    [entry] = entries()
    retitle_entry(entry, "Stale")
    text = case_copy.read_text(encoding="utf-8")
    case_copy.write_text(text.replace("title: Scale check", "title: Edited"), encoding="utf-8")
    assert load_case_cached(case_copy).scenario.title == "Edited"
    assert entries() == [entry]  # one slot per case file, overwritten
    assert load_case_cached(case_copy).scenario.title == "Edited"


def test_an_edited_rubric_invalidates_the_cases_using_it(case_copy: Path) -> None:
    load_case_cached(case_copy)
    rubric = case_copy.parent.parent / "rubrics" / "four.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("title: Four levels", "title: Four, renamed"), "utf-8")
    assert load_case_cached(case_copy).rubrics["four"].title == "Four, renamed"


def test_a_rubric_appearing_beside_the_case_invalidates_it(tmp_path: Path) -> None:
    """The lookup now finds a local rubric instead of the bundled one: the entry is stale."""
    folder = tmp_path / "library" / "scenarios"
    folder.mkdir(parents=True)
    case = folder / "uses-bundled.yaml"
    case.write_text(
        "format: 1\nid: uses-bundled\ntitle: Uses bundled\nlanguages: [en]\n"
        "rubrics: [four]\nstart: s1\nscenes:\n  s1:\n    text: Go.\n    choices:\n"
        "      - {id: a, text: A, evidence: {four: 4}, next: end}\n"
        "endings:\n  - {id: done, title: Done}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError):
        load_case_cached(case)  # no rubric `four` is bundled: refused, and not cached
    assert lookup(case, case.read_bytes()) is None  # only its errors are kept, for Home
    assert "problems" in (case_cache.summary(case) or {})
    (folder.parent / "rubrics").mkdir()
    shutil.copy(CASES / "rubrics" / "four.yaml", folder.parent / "rubrics" / "four.yaml")
    assert load_case_cached(case).rubrics["four"].title == "Four levels"


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b"\xff\xfe\x00", b'{"key": 1}', b"[]", b'{"key": null, "scenario": 3}'],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(case_copy: Path, garbage: bytes) -> None:
    load_case_cached(case_copy)
    [entry] = entries()
    entry.write_bytes(garbage)
    assert same(load_case_cached(case_copy), load_case(case_copy))
    assert json.loads(entry.read_text(encoding="utf-8"))["key"]  # rebuilt


def test_an_entry_that_no_longer_validates_is_ignored(case_copy: Path) -> None:
    """A cache written by an older sim whose models have since changed reads the case."""
    load_case_cached(case_copy)
    [entry] = entries()
    data = json.loads(entry.read_text(encoding="utf-8"))
    scenario = json.loads(data["scenario"])
    scenario["no_such_field"] = True
    data["scenario"] = json.dumps(scenario)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert same(load_case_cached(case_copy), load_case(case_copy))


def test_another_sim_version_does_not_use_the_entry(
    case_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_case_cached(case_copy)
    raw = case_copy.read_bytes()
    assert lookup(case_copy, raw) is not None
    monkeypatch.setattr(sim, "__version__", "999.0")
    assert lookup(case_copy, raw) is None


def test_changed_code_does_not_use_the_entry(
    case_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_case_cached(case_copy)
    raw = case_copy.read_bytes()
    monkeypatch.setattr(case_cache, "code_fingerprint", lambda: "edited validator")
    assert lookup(case_copy, raw) is None


def test_an_unwritable_data_folder_still_loads(case_copy: Path, sim_home: Path) -> None:
    sim_home.mkdir(parents=True)
    (sim_home / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert same(load_case_cached(case_copy), load_case(case_copy))
    assert same(load_case_cached(case_copy), load_case(case_copy))


def test_a_missing_file_is_reported_as_load_case_does(tmp_path: Path) -> None:
    with pytest.raises(CaseError):
        load_case_cached(tmp_path / "scenarios" / "gone.yaml")


def test_the_catalogue_reads_unchanged_cases_from_the_cache() -> None:
    assert read_catalogue() is None  # nothing cached yet: the cases must be read
    first = load_catalogue()
    assert len(entries()) == len(bundled_scenarios())
    second = read_catalogue()
    assert second is not None
    assert first == second == load_catalogue()
    for entry in second:
        assert entry.summary is not None and not entry.problems
        case = entry.open()
        assert same(case, load_case(entry.path))
        assert entry.summary == Summary.from_json(case_cache.summary_of(case))


def test_the_catalogue_from_the_cache_imports_no_models() -> None:
    load_catalogue()
    code = (
        "import sys; from sim.catalog import read_catalogue; listed = read_catalogue(); "
        "assert listed and all(e.summary for e in listed), listed; "
        "heavy = [m for m in ('pydantic', 'sim.model', 'sim.cases', 'yaml') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_broken_case_is_listed_with_its_errors_from_the_cache(sim_home: Path) -> None:
    local = sim_home / "scenarios"
    local.mkdir(parents=True)
    broken = local / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    listed = load_catalogue()
    assert listed[0].path == broken and listed[0].summary is None and listed[0].problems
    again = read_catalogue()
    assert again is not None and again[0] == listed[0]  # local first, errors kept
    assert all(e.summary is not None for e in again[1:])
    broken.write_bytes(bundled_scenarios()[0].read_bytes())
    assert read_catalogue() is None  # edited: read again
    fixed = load_catalogue()[0]
    assert fixed.path == broken and fixed.problems == [] and fixed.summary is not None


def test_a_changed_rubric_reads_a_broken_case_again(case_copy: Path) -> None:
    text = case_copy.read_text(encoding="utf-8")
    case_copy.write_text(text + "\nnot: [valid\n", encoding="utf-8")
    with pytest.raises(CaseError):
        load_case_cached(case_copy)
    assert case_cache.summary(case_copy) is not None
    rubric = next((case_copy.parent.parent / "rubrics").glob("*.yaml"))
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert case_cache.summary(case_copy) is None


def test_the_fallback_rubric_name_matches_the_loader() -> None:
    assert case_cache.CLASSROOM_RUBRIC == CLASSROOM_RUBRIC
