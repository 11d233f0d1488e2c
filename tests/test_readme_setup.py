"""The README's two set-up lines, as `.ci/run` reads them: each one line, each using only
`python3` and the environment it makes (no `python` command, no `pip` outside `.venv`)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> object:
    spec = importlib.util.spec_from_file_location(
        "readme_commands", REPO / ".ci" / "readme_commands.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_both_lines_are_found_and_need_only_python3() -> None:
    module = readme_commands()
    text = (REPO / "README.md").read_text(encoding="utf-8")
    app = module.command("app", text)  # type: ignore[attr-defined]
    tests = module.command("test", text)  # type: ignore[attr-defined]
    for line in (app, tests):
        steps = [step.strip() for step in line.split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        for step in steps[1:]:
            assert step.startswith(".venv/bin/"), step  # the environment's own programs
        assert not re.search(r"(^|&&)\s*(python|pip|pip3)\s", line)  # no bare python or pip
    assert app.endswith(".venv/bin/sim")
    assert '".[test]"' in tests and tests.endswith("-m pytest")


def test_a_readme_without_the_marker_is_refused() -> None:
    module = readme_commands()
    try:
        module.command("app", "```sh\npython3 -m venv .venv\n```\n")  # type: ignore[attr-defined]
    except SystemExit as refused:
        assert "ci: app" in str(refused)
    else:
        raise AssertionError("a README without the marked block must stop CI")
