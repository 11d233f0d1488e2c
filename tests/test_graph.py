"""`sim graph`: scenes, choices and endings as DOT, Mermaid and SVG."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.analyze import analyze
from sim.cases import load_case
from sim.graph import BANDS, UNREACHABLE, case_graph, colour, to_dot, to_mermaid
from tests.conftest import BROKEN

HAVE_DOT = shutil.which("dot") is not None
BASE = (BROKEN / "scenarios" / "valid-base.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copytree(BROKEN / "rubrics", tmp_path / "rubrics", dirs_exist_ok=True)
    path = tmp_path / "scenarios" / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def graph_of(path: Path, lang: str = "en"):  # type: ignore[no-untyped-def]
    case = load_case(path)
    return case, case_graph(case, analyze(case.scenario, case.rubrics), lang)


def test_every_scene_choice_and_ending_is_drawn(tmp_path: Path) -> None:
    case, graph = graph_of(write(tmp_path, BASE))
    sc = case.scenario
    ids = {node.id for node in graph.nodes}
    assert ids == set(sc.scenes) | {f"ending:{e.id}" for e in sc.endings}
    links = {(link.source, link.target, link.label) for link in graph.links}
    assert ("desk", "close", "listen") in links and ("desk", "close", "ignore") in links
    # `next: end` points at the endings that choice was seen to reach, not at all of them
    listen_path = {("close", "ending:happy", "bye"), ("close", "ending:sad", "bye")}
    assert listen_path <= links


def test_colours_follow_the_best_overall_through_each_node(tmp_path: Path) -> None:
    case, graph = graph_of(write(tmp_path, BASE))
    analysis = analyze(case.scenario, case.rubrics)
    for node in graph.nodes:
        if node.kind == "scene":
            assert node.best == analysis.scene_best.get(node.id)
        else:
            assert node.best == analysis.ending_best.get(node.id.removeprefix("ending:"))
        assert f'fillcolor="{colour(node.best, node.reachable)}"' in to_dot(graph, "en")
    assert colour(BANDS[0][0], True) == BANDS[0][1]
    assert colour(BANDS[0][0] - 0.1, True) == BANDS[1][1]
    assert colour(None, False) == UNREACHABLE


def test_unreachable_scenes_and_endings_are_marked(tmp_path: Path) -> None:
    text = BASE.replace(
        "endings:",
        "  lost-room:\n    text: {zh: 无人来, en: Nobody comes}\n    choices:\n"
        "      - {id: wait, text: {zh: 等, en: Wait}, next: end}\nendings:",
    ).replace("when: {var: mood, gte: 7}", "when: {var: mood, gte: 70}")
    _, graph = graph_of(write(tmp_path, text))
    nodes = {node.id: node for node in graph.nodes}
    assert nodes["lost-room"].reachable is False
    assert nodes["ending:happy"].reachable is False
    assert nodes["desk"].reachable is True
    assert "(unreachable)" in to_dot(graph, "en") and "无法到达" in to_mermaid(graph, "zh")
    assert "dashed" in to_dot(graph, "en")


def test_hostile_text_stays_inside_its_label(tmp_path: Path) -> None:
    text = BASE.replace(
        "text: {zh: 客人来了。, en: A guest arrives.}",
        'text: {zh: 客人来了。, en: "A \\"quoted\\" guest\\\\ <b>arrives</b> --> x"}',
    )
    _, graph = graph_of(write(tmp_path, text))
    dot = to_dot(graph, "en")
    assert '\\"quoted\\"' in dot and "guest\\\\" in dot
    mermaid = to_mermaid(graph, "en")
    assert "#quot;quoted#quot;" in mermaid and "<b>" not in mermaid
    assert all(
        re.fullmatch(r"n\d+", line.split("[")[0].split("(")[0].strip())
        for line in mermaid.splitlines()[1:]
        if "[" in line and "-->" not in line
    )


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz not installed (Debian package `graphviz`)")
def test_graphviz_reads_the_dot_of_every_bundled_case() -> None:
    from sim.library import bundled_scenarios

    for path in bundled_scenarios():
        case = load_case(path)
        for lang in ("zh", "en"):
            dot = to_dot(case_graph(case, analyze(case.scenario, case.rubrics), lang), lang)
            done = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True)
            assert done.returncode == 0, (path, done.stderr)
            assert b"<svg" in done.stdout


def sim(home: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIM_HOME": str(home)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_command_writes_each_format(sim_home: Path, tmp_path: Path) -> None:
    mermaid = sim(sim_home, "graph", "airline-ba008", "--format", "mermaid")
    assert mermaid.returncode == 0 and mermaid.stdout.startswith("flowchart TD")
    assert "Colours" in mermaid.stderr or "颜色" in mermaid.stderr
    out = tmp_path / "case.dot"
    dot = sim(sim_home, "graph", "airline-ba008", "--format", "dot", "--out", str(out))
    assert dot.returncode == 0 and out.read_text(encoding="utf-8").startswith("digraph")


def test_without_graphviz_svg_is_refused_and_the_default_is_dot(
    sim_home: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    refused = sim(sim_home, "graph", "airline-ba008", "--format", "svg", path=str(empty))
    assert refused.returncode == 1 and "graphviz" in refused.stderr and refused.stdout == ""
    fallback = sim(sim_home, "graph", "airline-ba008", path=str(empty))
    assert fallback.returncode == 0 and fallback.stdout.startswith("digraph")
    assert "not installed" in fallback.stderr


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz not installed (Debian package `graphviz`)")
def test_svg_and_the_instructors_handout_carry_the_picture(sim_home: Path, tmp_path: Path) -> None:
    svg = sim(sim_home, "graph", "airline-ba008", "--lang", "en")
    assert svg.returncode == 0 and "<svg" in svg.stdout and "Flight BA008" in svg.stdout
    page = tmp_path / "handout.html"
    done = sim(sim_home, "handout", "airline-ba008", "--graph", "--out", str(page))
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert 'id="case-map"' in html and "<svg" in html and "<?xml" not in html
    plain = tmp_path / "plain.html"
    sim(sim_home, "handout", "airline-ba008", "--out", str(plain))
    assert 'id="case-map"' not in plain.read_text(encoding="utf-8")  # teams never see it
