"""A case as a graph: scenes, the choices between them, and the endings they lead to.

An author reading YAML sees one scene at a time; the graph shows the whole story at once —
where it branches, where branches meet, which scenes nothing leads to, which endings no
path reaches — and, coloured by the analyser's figures, where the strong and the weak runs
go. Pure: it takes the loaded case and its analysis and returns text (DOT for Graphviz, or
Mermaid, which GitHub, GitLab and many editors draw). Turning DOT into SVG needs Graphviz's
`dot` program and is done by the command line, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.analyze import Analysis, StateGraph
from sim.model import END, localize
from sim.prose import short
from sim.textsafe import clean_line

EXPLORE_LIMIT = 50_000
"""States explored to learn which endings each `next: end` reaches; past it, such a choice
points at every ending its scene could meet."""

LABEL_CHARS = 36

if TYPE_CHECKING:
    from sim.cases import Case


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    """`scene` or `ending`."""
    title: str
    detail: str
    best: float | None
    reachable: bool | None
    worst: float | None = None


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str


@dataclass
class CaseGraph:
    case: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    exact: bool = True
    """Whether `best` figures come from an exact search (else they are unknown: grey)."""


# Colour bands by the best overall reachable through a node, as the rubric percent reads:
# 85+ exemplary, 70+ proficient, 55+ developing, below that beginning. Light fills, so the
# dark text stays readable in print and on a projector.
BANDS = ((85.0, "#b7e4c7", "85+"), (70.0, "#e9f5b8", "70–85"), (55.0, "#ffe0a3", "55–70"))
LOW = ("#f7b4ae", "< 55")
UNKNOWN = "#e6e6e6"
UNREACHABLE = "#ffffff"


def colour(best: float | None, reachable: bool | None) -> str:
    if reachable is False:
        return UNREACHABLE
    if best is None:
        return UNKNOWN
    for floor, fill, _ in BANDS:
        if best >= floor:
            return fill
    return LOW[0]


def _short(text: str) -> str:
    """The start of a text, at most LABEL_CHARS columns wide (a Chinese character is two)."""
    return short(" ".join(clean_line(text).split()), LABEL_CHARS)


def _ending_links(case: Case) -> tuple[dict[tuple[str, str], set[str]], set[str], bool]:
    """Per (scene, choice) with `next: end`, the endings it was seen to reach; the scenes
    visited; and whether every state was explored within EXPLORE_LIMIT."""
    graph = StateGraph(case.scenario)
    start = graph.start()
    seen = {start}
    frontier = [start]
    reached: dict[tuple[str, str], set[str]] = {}
    scenes = {start[0]}
    while frontier:
        key = frontier.pop()
        if graph.terminal(key) is not None:
            continue
        for edge in graph.out(key):
            if edge.ending is not None and edge.target is None:
                choice = case.scenario.scenes[key[0]].choice_by_id[edge.step.choice]
                if choice.next == END:
                    reached.setdefault((key[0], edge.step.choice), set()).add(edge.ending)
                else:
                    scenes.add(choice.next)
            if edge.target is not None and edge.target not in seen:
                if len(seen) >= EXPLORE_LIMIT:
                    return reached, scenes, False
                seen.add(edge.target)
                scenes.add(edge.target[0])
                frontier.append(edge.target)
    return reached, scenes, True


def case_graph(case: Case, analysis: Analysis, lang: str) -> CaseGraph:
    sc = case.scenario
    default = sc.default_language
    reached, visited, complete = _ending_links(case)
    result = CaseGraph(sc.id, clean_line(localize(sc.title, lang, default)), exact=analysis.exact)
    ending_ids = [e.id for e in sc.endings]
    for scene_id, scene in sc.scenes.items():
        words = (
            localize(scene.line or scene.text, lang, default) if (scene.line or scene.text) else ""
        )
        best = analysis.scene_best.get(scene_id)
        worst = analysis.scene_worst.get(scene_id)
        if scene.ending is not None:
            best = analysis.ending_best.get(scene.ending)
            worst = analysis.ending_worst.get(scene.ending)
        result.nodes.append(
            Node(
                scene_id,
                "scene",
                scene_id,
                _short(words),
                best,
                True if scene_id in visited else (False if complete else None),
                worst,
            )
        )
        for choice in scene.choices:
            if choice.next == END:
                targets = reached.get((scene_id, choice.id))
                if targets is None:
                    targets = set() if complete else set(ending_ids)
                for ending_id in sorted(targets, key=ending_ids.index):
                    result.links.append(Link(scene_id, f"ending:{ending_id}", choice.id))
            else:
                result.links.append(Link(scene_id, choice.next, choice.id))
        if scene.ending is not None:
            result.links.append(Link(scene_id, f"ending:{scene.ending}", ""))
    for ending in sc.endings:
        title = localize(ending.title, lang, default) if ending.title is not None else ending.id
        result.nodes.append(
            Node(
                f"ending:{ending.id}",
                "ending",
                _short(title),
                ending.outcome,
                analysis.ending_best.get(ending.id),
                analysis.endings.get(ending.id),
                analysis.ending_worst.get(ending.id),
            )
        )
    return result


def _score(best: float | None) -> str:
    return f"{best:.0f}" if best is not None else "?"


def _figures(node: Node, lang: str) -> str:
    """`best 98 · worst 47`: how well and how badly runs through the node can end."""
    best_word, worst_word = ("最佳", "最差") if lang == "zh" else ("best", "worst")
    shown = f"{best_word} {_score(node.best)}"
    if node.worst is not None and node.best is not None and round(node.worst) != round(node.best):
        shown += f" · {worst_word} {_score(node.worst)}"
    return shown


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: CaseGraph, lang: str) -> str:
    """Graphviz DOT: scenes as boxes, endings as ellipses (double lines), filled by the best
    overall reachable through them; unreachable ones dashed on white."""
    unreachable_word = "无法到达" if lang == "zh" else "unreachable"
    font = "Noto Sans CJK SC,PingFang SC,Microsoft YaHei,sans-serif"
    lines = [
        f"digraph {_dot_string(graph.case)} {{",
        f"  graph [rankdir=TB, fontname={_dot_string(font)}, labelloc=t, "
        f"label={_dot_string(graph.title)}];",
        f'  node [fontname={_dot_string(font)}, fontsize=11, style=filled, color="#555555"];',
        f'  edge [fontname={_dot_string(font)}, fontsize=10, color="#555555"];',
    ]
    for node in graph.nodes:
        parts = [node.title]
        if node.detail:
            parts.append(node.detail)
        if node.reachable is False:
            parts.append(f"({unreachable_word})")
        else:
            parts.append(_figures(node, lang))
        shape = "box" if node.kind == "scene" else "ellipse"
        style = "filled,rounded" if node.kind == "scene" else "filled"
        if node.reachable is False:
            style += ",dashed"
        extra = ", peripheries=2" if node.kind == "ending" else ""
        lines.append(
            f"  {_dot_string(node.id)} [shape={shape}, style={_dot_string(style)}, "
            f"fillcolor={_dot_string(colour(node.best, node.reachable))}, "
            f"label={_dot_string(chr(10).join(parts))}{extra}];"
        )
    for link in graph.links:
        label = f" [label={_dot_string(link.label)}]" if link.label else ""
        lines.append(f"  {_dot_string(link.source)} -> {_dot_string(link.target)}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid label text: quotes and angle brackets as its entity codes."""
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def to_mermaid(graph: CaseGraph, lang: str) -> str:
    """Mermaid `flowchart`: node ids are n0, n1… (case ids may hold `-`, which Mermaid reads
    as an edge), labels quoted, colours as classes."""
    unreachable_word = "无法到达" if lang == "zh" else "unreachable"
    names = {node.id: f"n{index}" for index, node in enumerate(graph.nodes)}
    lines = ["flowchart TD"]
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        figure = f"({unreachable_word})" if node.reachable is False else _figures(node, lang)
        label = "<br/>".join(_mermaid_text(p) for p in (node.title, node.detail, figure) if p)
        opening, closing = ('["', '"]') if node.kind == "scene" else ('(["', '"])')
        lines.append(f"  {names[node.id]}{opening}{label}{closing}")
        fill = colour(node.best, node.reachable)
        classes.setdefault(fill, []).append(names[node.id])
    for link in graph.links:
        if link.source not in names or link.target not in names:
            continue
        arrow = f' -- "{_mermaid_text(link.label)}" --> ' if link.label else " --> "
        lines.append(f"  {names[link.source]}{arrow}{names[link.target]}")
    for index, (fill, members) in enumerate(classes.items()):
        dash = ",stroke-dasharray: 4 3" if fill == UNREACHABLE else ""
        lines.append(f"  classDef c{index} fill:{fill},stroke:#555{dash}")
        lines.append(f"  class {','.join(members)} c{index}")
    return "\n".join(lines) + "\n"


def legend(lang: str) -> str:
    """One line that says what the colours mean."""
    bands = [label for _, _, label in BANDS] + [LOW[1]]
    if lang == "zh":
        return (
            "颜色：经过该场景（或到达该结局）的最佳总分 "
            + " / ".join(bands)
            + "；灰色：未知；白色虚线：无法到达"
        )
    return (
        "Colours: the best overall of runs through a scene (or into an ending) "
        + " / ".join(bands)
        + "; grey: unknown; white and dashed: unreachable"
    )
