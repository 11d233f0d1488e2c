"""Cases as sessions keep them: the texts played, read back through the same loader and
validator as files, and the case on disk compared with them on resume (sim/cases.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sim.cases import CaseError, edited_since, load_case, load_played, session_case, texts_of
from sim.store import open_store
from sim.store.protocol import CaseFile
from tests.conftest import CASES


def _library(root: Path) -> Path:
    (root / "scenarios").mkdir(parents=True)
    (root / "rubrics").mkdir()
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (root / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())
    case = root / "scenarios" / "case.yaml"
    case.write_bytes((CASES / "scenarios" / "scale-check.yaml").read_bytes())
    return case


def test_a_loaded_case_carries_the_bytes_it_was_read_from(tmp_path: Path) -> None:
    path = _library(tmp_path)
    case = load_case(path)
    kept = {(f.role, f.key): f for f in case.files}
    assert kept["case", "scale-check"].data == path.read_bytes()
    assert kept["case", "scale-check"].path == str(path.absolute())
    assert kept["rubric", "ten"].data == (tmp_path / "rubrics" / "ten.yaml").read_bytes()
    assert ("rubric", "classroom-performance") in kept  # the bundled fallback, rated in class


def test_the_stored_texts_load_to_the_same_case_without_the_files(tmp_path: Path) -> None:
    path = _library(tmp_path)
    case = load_case(path)
    for file in (path, *(tmp_path / "rubrics").glob("*.yaml")):
        file.unlink()
    again = load_played(list(case.files), 7)
    assert again.scenario == case.scenario and again.rubrics == case.rubrics
    assert again.classroom_rubrics == case.classroom_rubrics
    assert texts_of(again.files) == texts_of(case.files)


def test_stored_texts_go_through_the_validator_and_name_the_original_file(
    tmp_path: Path,
) -> None:
    path = _library(tmp_path)
    case = load_case(path)
    main = next(f for f in case.files if f.role == "case")
    broken = replace(main, data=main.data.replace(b"next: s2", b"next: nowhere", 1))
    with pytest.raises(CaseError) as refused:
        load_played([broken, *(f for f in case.files if f.role == "rubric")], 7)
    assert f"{path.absolute()} (as played in session 7)" in refused.value.message
    assert any(
        f.path == str(path.absolute()) and "nowhere" in f.message for f in refused.value.findings
    )
    bomb = replace(main, data=b"a: &a [1]\nb: *a\n" + b"\x1b")
    with pytest.raises(CaseError):  # a control character: a finding, not a traceback
        load_played([bomb], 7)
    with pytest.raises(CaseError, match="not its case's text"):
        load_played([f for f in case.files if f.role == "rubric"], 7)


def test_a_session_plays_what_was_played_whatever_became_of_the_file(tmp_path: Path) -> None:
    path = _library(tmp_path)
    case = load_case(path)
    with open_store() as store:
        sid = store.create_session(case.scenario.id, "practice", ["solo"], case.stored_path,
                                   {}, case.files)  # fmt: skip
        info = store.session(sid)
        assert info is not None
        path.write_text(path.read_text("utf-8").replace("Scale check", "Edited"), "utf-8")
        assert session_case(info, store).scenario.title == case.scenario.title
        path.unlink()
        assert session_case(info, store).scenario.title == case.scenario.title
        # The very same texts already in hand are used as they are.
        assert session_case(info, store, current=case) is case


def test_a_session_stored_before_texts_were_kept_finds_its_case_by_path(tmp_path: Path) -> None:
    path = _library(tmp_path)
    with open_store() as store:
        sid = store.create_session("scale-check", "practice", ["solo"], str(path.absolute()))
        info = store.session(sid)
        assert info is not None and store.case_files(sid) == []
        path.write_text(path.read_text("utf-8").replace("Scale check", "Edited"), "utf-8")
        assert str(session_case(info, store).scenario.title) == "Edited"


def test_the_case_on_disk_is_compared_with_the_version_played(tmp_path: Path) -> None:
    path = _library(tmp_path)
    played = load_case(path)
    assert edited_since(played) is None  # unchanged
    rubric = tmp_path / "rubrics" / "ten.yaml"
    rubric.write_text(rubric.read_text("utf-8") + "\n# a comment\n", "utf-8")
    edited = edited_since(played)
    assert edited is not None and texts_of(edited.files) != texts_of(played.files)
    rubric.write_bytes((CASES / "rubrics" / "ten.yaml").read_bytes())
    path.write_text(path.read_text("utf-8").replace("Scale check", "Edited"), "utf-8")
    edited = edited_since(played)
    assert edited is not None and str(edited.scenario.title) == "Edited"
    path.write_text("format: 1\nnot: valid\n", "utf-8")
    assert edited_since(played) is None  # no longer loads: the played version stays
    path.unlink()
    assert edited_since(played) is None
    # A case named on the command line is compared too; another case is no edit of this one.
    assert edited_since(played, played) is None
    other = replace(played, scenario=played.scenario.model_copy(update={"id": "other"}))
    other = replace(other, files=(CaseFile("case", "other", str(path), b"x"),))
    assert edited_since(played, other) is None
