"""The quick libyaml reader agrees with the pure reader, and files load without libyaml too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sim.cases import validate_paths
from sim.library import bundled_root
from sim.loader import read_document
from sim.loader.yaml_fast import libyaml_parser, read_clean_with_libyaml
from sim.loader.yaml_nodes import YamlProblem, read_yaml
from sim.synthetic import chain_yaml
from tests.conftest import BROKEN, CASES

needs_libyaml = pytest.mark.skipif(libyaml_parser() is None, reason="PyYAML built without libyaml")

BUNDLED = sorted((bundled_root() / "scenarios").glob("*.yaml")) + sorted(
    (bundled_root() / "rubrics").glob("*.yaml")
)
TEST_FILES = sorted(CASES.rglob("*.yaml")) + sorted(BROKEN.rglob("*.yaml"))


def _outcome(raw: bytes, *, fast: bool) -> tuple[str, str, str]:
    """Everything a reader gives back, spelled so that 1, 1.0 and True stay apart."""
    try:
        data, places = read_yaml(raw, fast=fast)
    except YamlProblem as problem:
        return ("problem", problem.message, repr(problem.mark))
    return ("data", repr(data), repr(list(places.items())))


def _quick(raw: bytes) -> tuple[str, str, str]:
    """What the libyaml reader alone gives (it must not have fallen back)."""
    read = read_clean_with_libyaml(raw.decode("utf-8-sig"))
    assert read is not None, "the quick reader gave up on a clean file"
    data, places = read
    return ("data", repr(data), repr(list(places.items())))


def test_there_are_bundled_files_to_compare() -> None:
    assert len(BUNDLED) >= 5


@needs_libyaml
@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_file_reads_the_same_both_ways(path: Path) -> None:
    raw = path.read_bytes()
    pure = _outcome(raw, fast=False)
    assert pure[0] == "data"
    assert _quick(raw) == pure
    assert _outcome(raw, fast=True) == pure
    windows = raw.replace(b"\n", b"\r\n")
    assert _quick(windows) == _outcome(windows, fast=False)


@needs_libyaml
@pytest.mark.parametrize("path", TEST_FILES, ids=[f"{p.parent.name}/{p.name}" for p in TEST_FILES])
def test_test_file_reads_the_same_both_ways(path: Path) -> None:
    raw = path.read_bytes()
    assert _outcome(raw, fast=True) == _outcome(raw, fast=False)


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [chain_yaml(1), chain_yaml(40), chain_yaml(25, 3, with_state=True)],
    ids=["chain-1", "chain-40", "chain-25-state"],
)
def test_generated_chain_reads_the_same_both_ways(text: str) -> None:
    raw = text.encode()
    assert _quick(raw) == _outcome(raw, fast=False)


# Snippets where libyaml and the pure reader differ, or that only the pure reader may word.
AWKWARD = [
    "a: {x: , y: 2}\n",  # empty value in flow: libyaml marks it at the comma
    "a: [x: ]\n",
    "'k':\n",
    "a: {en: Really? yes}\n",  # libyaml keeps `?` in flow text; the pure reader refuses it
    "a: [what?]\n",
    "a: &x 1\nb: *x\n",  # aliases are refused at the alias
    "a: &x [1, *x]\n",
    "a: !!str 5\nb: !!python/name:os.system x\n",
    "a:\tb\n",
    "a: [1,\t2]\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\na: 2\n",
    "a: {x: 1, x: 2}\n",
    "? [a]\n: b\n",
    "a: yes\nb: 12:30\nc: 0x1F\nd: 1_000\ne: .5\nf: -0\ng: ~\nh: =\ni: <<\n",
    "a: \u2028b\n",
    "a: b\x85c: d\n",
    "a: '\ufeff'\n",
    "- - - - x\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "# only a comment\n",
    "just text\n",
    # The same text again, in other places and styles: read once, it must read the same.
    "a: 1\nb: '1'\nc: [1, true, '1', 1]\n1: x\nd: {1: 1.0, e: 1.0}\n",
    "a: what?\nb: [what?]\n",  # fine in block context, refused inside [ ]
]


@needs_libyaml
@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_snippet_reads_the_same_both_ways(text: str) -> None:
    raw = text.encode()
    assert _outcome(raw, fast=True) == _outcome(raw, fast=False)


_SEED = (CASES / "scenarios" / "scale-check.yaml").read_bytes()
_PIECES = [
    ":", " ", "-", "[", "]", "{", "}", ",", "'", '"', "#", "\n", "  ", "?", "? ", "&a ", "*a",
    "!!str ", "|", ">-\n", "---\n", "%", "\\", "中", "yes", "12:30", "1_0", "~", "=", "\r\n",
    "\t", '"\\/"', "\n  - ", "\n    ", "\u00a0", "😀",
]  # fmt: skip


@needs_libyaml
@given(
    st.lists(
        st.tuples(st.integers(0, len(_SEED)), st.integers(0, 3), st.sampled_from(_PIECES)),
        min_size=1,
        max_size=4,
    )
)
def test_damaged_file_reads_the_same_both_ways(edits: list[tuple[int, int, str]]) -> None:
    raw = _SEED
    for at, cut, piece in edits:
        raw = raw[:at] + piece.encode() + raw[at + cut :]
    assert _outcome(raw, fast=True) == _outcome(raw, fast=False)


@needs_libyaml
def test_deep_nesting_never_reaches_libyaml_composer(tmp_path: Path) -> None:
    # libyaml's own composer recurses in C and crashes the process on this; ours refuses it.
    deep = tmp_path / "deep.yaml"
    deep.write_text("- " * 200_000 + "x\n")
    document = read_document(deep)
    assert document.model is None and len(document.findings) == 1


def test_clean_file_loads_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    path = bundled_root() / "scenarios" / "airline-ba008.yaml"
    expected = _outcome(path.read_bytes(), fast=False)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert libyaml_parser() is None
    assert read_clean_with_libyaml(path.read_text(encoding="utf-8")) is None
    assert _outcome(path.read_bytes(), fast=True) == expected
    document = read_document(path)
    assert document.model is not None and document.findings == []


def test_problem_without_libyaml_keeps_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    findings = validate_paths([BROKEN / "scenarios" / "alias-bomb.yaml"])
    assert [(f.line, f.column) for f in findings] == [(2, 8)]


def _best_of(runs: int, action: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best


@needs_libyaml
def test_large_scenario_reads_about_as_fast_as_libyaml(tmp_path: Path) -> None:
    # PRODUCT.md's bar: a 2,000-scene scenario validated and loaded in under 0.5 s. Timing
    # varies between machines, so this compares with libyaml's own loader on the same file.
    text = chain_yaml(2000)
    raw = text.encode()
    ours = _best_of(3, lambda: read_yaml(raw))
    theirs = _best_of(3, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    assert ours <= 1.5 * theirs, (ours, theirs)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    case = folder / "chain.yaml"
    case.write_bytes(raw)
    assert validate_paths([case]) == []


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "a:\tb\n",  # a tab
        "a: b\x85c\n",  # NEL
        "a: \u2028b\n",  # LS
        "a: b\u2029\n",  # PS
        "a: '\ufeff'\n",  # a BOM inside
        "a: '\x07'\n",  # a control character the pure reader refuses
        "%YAML 1.1\n---\na: 1\n",  # a directive at the start
        "a: 1\n%TAG ! x\n",  # one at a later line's start
        "a: |-# glued\n  x\n",  # a comment glued to a block scalar's header
        "a: >+2#x\n  y\n",
    ],
)
def test_quick_reader_leaves_what_it_is_unsure_of_to_the_pure_reader(text: str) -> None:
    assert read_clean_with_libyaml(text) is None
    assert read_clean_with_libyaml("a: b\nc: [1, 2]\n") is not None


def test_refused_characters_are_exactly_those_outside_the_pure_readers_printable_set() -> None:
    from yaml.reader import Reader

    from sim.loader.yaml_fast import _REFUSED

    points = [*range(0x10000), 0x10000, 0x1F600, 0x10FFFF]
    differ = [
        hex(p)
        for p in points
        if (_REFUSED.match(chr(p)) is None) != (Reader.NON_PRINTABLE.match(chr(p)) is None)
        and chr(p) not in "\t\x85"  # the pure reader takes these two; the quick one does not
    ]
    assert differ == []
