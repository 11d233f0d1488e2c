"""Chinese in HTML reports where the machine may have no Chinese font."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from sim.report.html import CJK_NOTE, has_cjk, shows_cjk


def handout(home: Path, tmp_path: Path, lang: str, fonts: str) -> tuple[str, str]:
    """The handout's HTML and stderr, with an `fc-list` that lists `fonts` on PATH."""
    folder = tmp_path / f"bin-{lang}-{len(fonts)}"
    folder.mkdir()
    script = folder / "fc-list"
    script.write_text(f"#!/bin/sh\nprintf '{fonts}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / f"handout-{lang}-{len(fonts)}.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "handout",
            "airline-ba008",
            "--lang",
            lang,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIM_HOME": str(home), "PATH": f"{folder}{os.pathsep}/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8"), done.stderr


def test_the_font_note_is_legible_without_a_chinese_font() -> None:
    assert not has_cjk(CJK_NOTE)
    assert "fonts-noto-cjk" in CJK_NOTE and "sim doctor" in CJK_NOTE


def test_a_page_with_chinese_carries_the_note_and_one_without_does_not(
    sim_home: Path, tmp_path: Path
) -> None:
    chinese, _ = handout(sim_home, tmp_path, "zh", "Noto Sans CJK SC\\n")
    english, _ = handout(sim_home, tmp_path, "en", "Noto Sans CJK SC\\n")
    assert shows_cjk(chinese) and CJK_NOTE in chinese
    assert not shows_cjk(english) and CJK_NOTE not in english


def test_the_style_sheet_names_a_chinese_family_of_each_system_then_the_generic_one(
    sim_home: Path, tmp_path: Path
) -> None:
    page, _ = handout(sim_home, tmp_path, "zh", "")
    body = re.search(r"body \{[^}]*font-family:([^;]+);", page, re.S)
    assert body is not None
    families = [f.strip().strip('"') for f in body.group(1).split(",")]
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        assert family in families
    assert families[-1] == "sans-serif"


def test_writing_chinese_on_a_machine_without_a_font_says_so(
    sim_home: Path, tmp_path: Path
) -> None:
    _, without = handout(sim_home, tmp_path, "zh", "")
    assert "no Chinese font" in without and "sim doctor" in without
    _, with_font = handout(sim_home, tmp_path, "zh", "Noto Sans CJK SC\\n")
    assert with_font == ""
    _, english = handout(sim_home, tmp_path, "en", "")
    assert english == ""
