"""Random bytes and random Unicode (controls, surrogates, bidi marks, markup) through every text
command: no traceback, no raw control character on the terminal, every byte printable as
UTF-8, and each command done within a bound (issue 15).

The commands run in-process through `sim.cli.main`, the same entry point as the `sim` script
(its one guard, its one output filter), so hundreds of inputs fit in the suite's time; a few
also run as real processes in tests/test_hostile_cli.py.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from tests.conftest import CASES

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BOUND_S = 30.0
"""No command may take longer than this on any input (the slowest here take well under 1 s)."""

VALID = (CASES / "scenarios" / "scale-check.yaml").read_text(encoding="utf-8")

# Every kind of character an attacker or an accident may bring: C0 and C1 controls, ESC
# sequences, bidi overrides and isolates, lone surrogates, non-characters, markup, CJK.
HOSTILE_CHARS = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x9F),
    st.sampled_from(
        [
            *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\uffff",
            *("\ud800", "\udbff", "\udc80", "\udfff", "[/]", "[b]", "\x1b]0;t\x07", "\x1b[2J"),
            *"中文顾客",
        ]
    ),
    st.characters(),
)
HOSTILE_TEXT = st.lists(HOSTILE_CHARS, max_size=30).map("".join)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def _home() -> Iterator[Path]:
    """A data folder of its own for one example (fixtures are per test, not per example)."""
    saved = os.environ.get("SIM_HOME")
    with tempfile.TemporaryDirectory(prefix="sim-fuzz-") as folder:
        os.environ["SIM_HOME"] = folder
        try:
            yield Path(folder)
        finally:
            if saved is None:
                os.environ.pop("SIM_HOME", None)
            else:
                os.environ["SIM_HOME"] = saved


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """One command: its exit code and everything it printed, checked for the invariants."""
    started = time.perf_counter()
    code = main(list(argv))
    elapsed = time.perf_counter() - started
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert code in (0, 1, 2), (argv, code, shown)
    assert elapsed < BOUND_S, (argv, elapsed)
    assert "Traceback" not in shown and "unexpected error" not in shown, (argv, shown)
    assert not RAW_CONTROL.search(shown.replace("\r\n", "\n")), (argv, shown)
    shown.encode("utf-8")  # no lone surrogate reaches the terminal
    return code, shown


def _library(folder: Path, raw: bytes) -> Path:
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    (folder / "rubrics").mkdir(exist_ok=True)
    for rubric in (CASES / "rubrics").glob("*.yaml"):
        (folder / "rubrics" / rubric.name).write_bytes(rubric.read_bytes())
    case = folder / "scenarios" / "case.yaml"
    case.write_bytes(raw)
    return case


def _yaml_quoted(text: str) -> str:
    """Text as a double-quoted YAML scalar, every unusual character as an escape, so that it
    reaches the case's model rather than stopping at the reader."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isascii() and ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@SETTINGS
@given(
    raw=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=1000).map(lambda b: b"format: 1\nid: x\n" + b),
        HOSTILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.tuples(st.integers(0, len(VALID)), st.binary(max_size=40)).map(
            lambda edit: VALID.encode()[: edit[0]] + edit[1] + VALID.encode()[edit[0] :]
        ),
    )
)
def test_random_bytes_as_a_case(capsys: pytest.CaptureFixture[str], raw: bytes) -> None:
    with _home() as home:
        case = str(_library(home / "lib", raw))
        _run(capsys, "validate", case)
        _run(capsys, "run", case, "--choices", "warm:care,gift")
        _run(capsys, "analyze", case, "--budget", "500")


@SETTINGS
@given(title=HOSTILE_TEXT, choice=HOSTILE_TEXT, ending=HOSTILE_TEXT)
def test_random_unicode_inside_a_valid_case(
    capsys: pytest.CaptureFixture[str], title: str, choice: str, ending: str
) -> None:
    text = (
        VALID.replace("title: Scale check", f"title: {_yaml_quoted(title)}")
        .replace("{id: warm, text: Warm,", f"{{id: warm, text: {_yaml_quoted(choice)},")
        .replace("  - id: delighted\n", f"  - id: delighted\n    title: {_yaml_quoted(ending)}\n")
    )
    with _home() as home:
        case = str(_library(home / "lib", text.encode("utf-8")))
        _run(capsys, "validate", case)
        for extra in ([], ["--json"]):
            _run(capsys, "run", case, "--choices", "warm:care,gift", *extra)
        _run(capsys, "analyze", case)
        _run(capsys, "handout", case, "--format", "md")


@SETTINGS
@given(team=HOSTILE_TEXT, session=HOSTILE_TEXT)
def test_random_names_and_ids_through_the_store(
    capsys: pytest.CaptureFixture[str], team: str, session: str
) -> None:
    case = str(CASES / "scenarios" / "scale-check.yaml")
    with _home():
        code, _ = _run(
            capsys, "run", case, "--choices", "warm:care,gift", "--record", "--team", team
        )
        _run(capsys, "sessions")
        _run(capsys, "sessions", "--json")
        if code == 0:
            for fmt in ("md", "csv", "xapi", "html"):
                _run(capsys, "report", "1", "--format", fmt)
        _run(capsys, "report", session)
        _run(capsys, "report", session, "--format", "md")


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_the_one_sanitiser(text: str) -> None:
    from sim.textsafe import clean, clean_line, visible, visible_line

    for safe in (clean(text), clean_line(text), visible(text), visible_line(text)):
        assert not RAW_CONTROL.search(safe.replace("\r\n", "\n"))
        safe.encode("utf-8")
    assert "\n" not in visible_line(text) and "\n" not in clean_line(text)
    # Escaping loses nothing: the escapes read back (as JSON would) to the very same text.
    import json

    escaped = visible_line(text).replace('"', '\\"')
    if "\\" not in text:
        assert json.loads(f'"{escaped}"') == text
