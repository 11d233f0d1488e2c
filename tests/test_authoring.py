"""`sim new`: the case it writes validates, plays and analyses cleanly, in each language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.analyze import analyze
from sim.authoring import new_case, parse_languages
from sim.cases import load_case, validate_paths
from sim.engine import choose, give_reason, start


def write(folder: Path, case_id: str, languages: list[str]) -> Path:
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    path = folder / "scenarios" / f"{case_id}.yaml"
    path.write_text(new_case(case_id, languages), encoding="utf-8")
    return path


@pytest.mark.parametrize("languages", [["zh", "en"], ["en", "zh"], ["zh"], ["en"]])
def test_the_new_case_is_clean_in_every_language_set(tmp_path: Path, languages: list[str]) -> None:
    path = write(tmp_path, "my-case", languages)
    assert validate_paths([path]) == []
    case = load_case(path)
    sc = case.scenario
    assert sc.id == "my-case" and list(sc.languages) == languages
    assert sc.default_language == languages[0]
    others = {"zh", "en"} - set(languages)
    text = path.read_text(encoding="utf-8")
    for other in others:
        assert f"\n    {other}: " not in text and f"  {other}: |" not in text
    # what the issue asks of it: two decisions with reasons, three endings, bundled rubrics
    decisions = [s for s in sc.scenes.values() if len(s.choices) >= 2 and s.reasons]
    assert len(decisions) == 2 and len(sc.endings) == 3
    assert list(sc.rubrics) == ["communication", "customer-value", "reasoning"]


def test_it_analyses_with_every_ending_reachable_and_real_dilemmas(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, "my-case", ["zh", "en"]))
    result = analyze(case.scenario, case.rubrics)
    assert result.exact and all(result.endings.values())
    assert result.best is not None and result.worst is not None
    assert result.best.overall is not None and result.worst.overall is not None
    assert result.best.overall >= 85 and result.worst.overall <= 50  # the library's bars
    assert result.worst_unjudged == []
    # the best path, replayed through the engine, reaches the best ending
    run = start(case.scenario)
    for step in result.best.steps:
        run = choose(case.scenario, run, step.choice)
        if step.reason is not None:
            run = give_reason(case.scenario, run, step.reason)
    assert run.finished and run.ending == result.best.ending == case.scenario.endings[0].id


def test_the_comments_that_teach_the_format_are_kept(tmp_path: Path) -> None:
    text = write(tmp_path, "my-case", ["en"]).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    for topic in ("endings: checked in order", "`evidence`", "roles: who speaks"):
        assert topic in text


def test_ids_and_languages_are_checked() -> None:
    with pytest.raises(ValueError, match="not a case id"):
        new_case("My_Case", ["zh"])
    with pytest.raises(ValueError, match="--lang"):
        parse_languages("fr")
    assert parse_languages(" en , zh ,en") == ["en", "zh"]


def sim(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        env={**os.environ, "SIM_HOME": str(folder / "home")},
    )


def test_the_command_writes_once_and_never_overwrites(tmp_path: Path) -> None:
    done = sim(tmp_path, "new", "late-checkout", "--dir", "library")
    target = tmp_path / "library" / "scenarios" / "late-checkout.yaml"
    assert done.returncode == 0, done.stderr
    assert target.is_file() and "sim validate" in done.stdout
    target.write_text(target.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    again = sim(tmp_path, "new", "late-checkout", "--dir", "library")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert target.read_text(encoding="utf-8").endswith("# mine\n")
    assert sim(tmp_path, "new", "Late").returncode == 2
    assert sim(tmp_path, "new", "late", "--lang", "fr").returncode == 2
    played = sim(tmp_path, "run", str(target), "--choices", "listen:need-first,remake:value")
    assert played.returncode == 0 and "regular" in played.stdout
