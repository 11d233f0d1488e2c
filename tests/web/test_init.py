"""`sim serve` without the web packages says in one line how to install them."""

from __future__ import annotations

import importlib.util

import pytest

from sim.cli import main


def test_serve_without_the_web_packages_names_the_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "uvicorn" else real(name, *a),
    )
    assert main(["serve", "--new", "airline-ba008", "--teams", "A,B", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "uvicorn" in err and 'pip install "sim[web]"' in err
