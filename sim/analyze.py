"""Analysis of a case: path counts, ending reachability, best and worst paths.

Works on the state graph (scene, state values, the `chose` facts that conditions read),
memoised, so a case with a million paths is counted without enumerating them. Best and worst
are exact whenever the graph is acyclic and the search fits EXACT_LIMIT: prefixes that reach
the same state with the same evidence totals are explored once. Pure.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add

from sim.engine import Step, apply_effects, holds, pick_ending
from sim.model import END, Condition, Rubric, Scenario
from sim.scoring import auto_rubrics

EXACT_LIMIT = 400_000
"""The exact best/worst search explores at most this many distinct (state, evidence totals)
nodes; past it, a bounded search is used and the analysis says it is not exact. The library's
cases need 2,000 to 30,000 nodes (for 35,000 to 420,000 paths)."""

MAX_STATES = 1_000_000
"""Beyond this many distinct states, reachability is reported as unknown."""

BEAM = 2_000
SAMPLES = 5_000
MAX_DEPTH = 500
"""Bounded searches stop a path after this many steps (cycles)."""

Key = tuple[str, tuple[float, ...], frozenset[str]]

Totals = tuple[float, ...]
"""Per-criterion evidence sums followed by per-criterion counts: all a path's score depends on."""


@dataclass(frozen=True)
class Edge:
    """One step out of a state: a choice (and reason) leading to a state or an ending."""

    step: Step
    target: Key | None
    ending: str | None
    weight: int = 1


@dataclass
class PathScore:
    overall: float | None
    steps: tuple[Step, ...]
    ending: str


@dataclass
class Analysis:
    scenario: str
    paths: int | None
    """None when a cycle makes the number of paths unbounded."""
    endings: dict[str, bool | None]
    """Reachable or not; None when too many states to tell."""
    best: PathScore | None
    worst: PathScore | None
    exact: bool
    cycle: bool
    states: int
    worst_unjudged: list[str] = field(default_factory=list)
    """`rubric.criterion` ids the worst path never judges: a failing run scored as if those
    had not been tried (give its ending `evidence`)."""

    def as_json(self) -> dict[str, object]:
        def path_json(p: PathScore | None) -> object:
            if p is None:
                return None
            return {
                "overall": p.overall,
                "path": [s.as_dict() for s in p.steps],
                "ending": p.ending,
            }

        return {
            "scenario": self.scenario,
            "paths": self.paths,
            "endings": {k: {"reachable": v} for k, v in self.endings.items()},
            "best": path_json(self.best),
            "worst": path_json(self.worst),
            "exact": self.exact,
            "cycle": self.cycle,
            "worst_unjudged": self.worst_unjudged,
        }


def _chose_ids(condition: Condition | None) -> Iterator[str]:
    if condition is None:
        return
    if condition.chose is not None:
        yield condition.chose
    for group in (condition.all_, condition.any_):
        for inner in group or ():
            yield from _chose_ids(inner)
    yield from _chose_ids(condition.not_)


class StateGraph:
    """The case's states, built lazily; `chosen` is reduced to the ids conditions read."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.names = list(scenario.state)
        relevant: set[str] = set()
        for scene in scenario.scenes.values():
            for variant in scene.variants:
                relevant.update(_chose_ids(variant.when))
            for choice in scene.choices:
                relevant.update(_chose_ids(choice.requires))
        for ending in scenario.endings:
            relevant.update(_chose_ids(ending.when))
        self.relevant = frozenset(relevant)
        self.edges: dict[Key, list[Edge]] = {}

    def start(self) -> Key:
        values = tuple(var.initial for var in self.sc.state.values())
        return (self.sc.start, values, frozenset())

    def terminal(self, key: Key) -> str | None:
        """The ending of a scene without choices."""
        return self.sc.scenes[key[0]].ending

    def out(self, key: Key) -> list[Edge]:
        cached = self.edges.get(key)
        if cached is not None:
            return cached
        scene_id, values_t, chosen = key
        scene = self.sc.scenes[scene_id]
        values = dict(zip(self.names, values_t, strict=True))
        edges: list[Edge] = []
        for choice in scene.choices:
            if not holds(choice.requires, values, chosen):
                continue
            after = apply_effects(self.sc, values, choice)
            now = chosen | ({choice.id} & self.relevant)
            target: Key | None = None
            ending = None
            if choice.next == END:
                ending = pick_ending(self.sc, after, now)
            else:
                target = (choice.next, tuple(after[n] for n in self.names), now)
                ending = self.terminal(target)
                if ending is not None:
                    target = None
            for reason in scene.reasons or [None]:
                step = Step(scene_id, choice.id, reason.id if reason else None)
                edges.append(Edge(step, target, ending))
        self.edges[key] = edges
        return edges


def count_paths(graph: StateGraph) -> tuple[int | None, bool]:
    """The number of step sequences from the start to an ending, and whether a cycle exists.

    Iterative post-order DFS, so long chains do not hit Python's recursion limit.
    """
    root = graph.start()
    if graph.terminal(root) is not None:
        return 1, False
    counts: dict[Key, int] = {}
    on_stack: set[Key] = {root}
    stack: list[tuple[Key, Iterator[Edge]]] = [(root, iter(graph.out(root)))]
    while stack:
        key, edges = stack[-1]
        advanced = False
        for edge in edges:
            target = edge.target
            if target is None or target in counts:
                continue
            if target in on_stack:
                return None, True
            if len(counts) + len(on_stack) > MAX_STATES:
                return None, False
            on_stack.add(target)
            stack.append((target, iter(graph.out(target))))
            advanced = True
            break
        if advanced:
            continue
        stack.pop()
        on_stack.discard(key)
        counts[key] = sum(1 if e.target is None else counts[e.target] for e in graph.out(key))
    return counts[root], False


def reachable_endings(graph: StateGraph) -> tuple[dict[str, bool] | None, int]:
    """Endings some run reaches (None when there are too many states) and the states explored."""
    root = graph.start()
    seen = {root}
    frontier = [root]
    reached: set[str] = set()
    if graph.terminal(root) is not None:
        reached.add(graph.terminal(root) or "")
    while frontier:
        key = frontier.pop()
        for edge in graph.out(key):
            if edge.ending is not None:
                reached.add(edge.ending)
            if edge.target is not None and edge.target not in seen:
                if len(seen) >= MAX_STATES:
                    return None, len(seen)
                seen.add(edge.target)
                frontier.append(edge.target)
    return {e.id: e.id in reached for e in graph.sc.endings}, len(seen)


def ending_reachability(scenario: Scenario) -> dict[str, bool] | None:
    """For the validator: which endings some run can reach (None if too large to tell)."""
    reached, _ = reachable_endings(StateGraph(scenario))
    return reached


class _Scorer:
    """Scores paths fast: per-criterion sums and counts precomputed for every step."""

    def __init__(self, scenario: Scenario, rubrics: Mapping[str, Rubric]) -> None:
        from sim.scoring import collect_evidence

        self.sc = scenario
        self.rubrics = auto_rubrics(scenario, rubrics)
        self.rubric_map = {r.id: r for r in self.rubrics}
        self.slots = [(r.id, c.id) for r in self.rubrics for c in r.criteria]
        index = {slot: i for i, slot in enumerate(self.slots)}
        self.contrib: dict[Step, list[tuple[int, float]]] = {}
        self.delta: dict[Step, tuple[float, ...]] = {}
        """A step's evidence as one vector: sums per criterion, then counts per criterion."""
        for scene_id, scene in scenario.scenes.items():
            for choice in scene.choices:
                for reason in scene.reasons or [None]:
                    step = Step(scene_id, choice.id, reason.id if reason else None)
                    evidence = collect_evidence(scenario, self.rubric_map, [step])
                    self.contrib[step] = [
                        (index[(e.rubric, e.criterion)], e.points) for e in evidence
                    ]
                    delta = [0.0] * (2 * len(self.slots))
                    for slot, points in self.contrib[step]:
                        delta[slot] += points
                        delta[len(self.slots) + slot] += 1
                    self.delta[step] = tuple(delta)
        self.ending_contrib: dict[str, list[tuple[int, float]]] = {}
        self.ending_delta: dict[str, tuple[float, ...]] = {}
        """An ending's own evidence (FORMAT: `endings[].evidence`), added when a path ends."""
        for ending in scenario.endings:
            evidence = collect_evidence(scenario, self.rubric_map, [], ending.id)
            self.ending_contrib[ending.id] = [
                (index[(e.rubric, e.criterion)], e.points) for e in evidence
            ]
            delta = [0.0] * (2 * len(self.slots))
            for slot, points in self.ending_contrib[ending.id]:
                delta[slot] += points
                delta[len(self.slots) + slot] += 1
            self.ending_delta[ending.id] = tuple(delta)
        self.layout = [
            (
                scenario.rubric_weights.get(r.id, 1.0),
                r,
                [(index[(r.id, c.id)], c.weight) for c in r.criteria],
            )
            for r in self.rubrics
        ]
        """Per rubric: its weight in the overall score, the rubric, and its criteria's slots."""

    def overall(self, steps: tuple[Step, ...] | list[Step], ending: str = "") -> float | None:
        sums = [0.0] * len(self.slots)
        counts = [0] * len(self.slots)
        for step in steps:
            for slot, points in self.contrib[step]:
                sums[slot] += points
                counts[slot] += 1
        for slot, points in self.ending_contrib.get(ending, []):
            sums[slot] += points
            counts[slot] += 1
        return self.from_totals(sums, counts)

    def finish(self, totals: Totals, ending: str) -> Totals:
        """A finished path's totals: its steps' evidence plus its ending's."""
        delta = self.ending_delta.get(ending)
        return tuple(map(add, totals, delta)) if delta else totals

    def from_totals(self, sums: Sequence[float], counts: Sequence[float]) -> float | None:
        """The overall score from per-criterion sums and counts.

        The same arithmetic, in the same order, as `rubric_percent` and `weighted_overall`
        (so the numbers are identical), with the rubric bounds looked up once instead of per
        call: the exact search calls this for every distinct leaf.
        """
        total = weights = 0.0
        for weight, rubric, criteria in self.layout:
            r_total = r_weights = 0.0
            for slot, c_weight in criteria:
                count = counts[slot]
                if count:
                    r_total += c_weight * rubric.percent_of(sums[slot] / count)
                    r_weights += c_weight
            if r_weights:
                total += weight * (r_total / r_weights)
                weights += weight
        return total / weights if weights else None


def _best_key(p: PathScore) -> tuple[bool, float]:
    """Scored paths beat unscored ones: a path with no evidence is not "the best"."""
    return (p.overall is not None, p.overall if p.overall is not None else 0.0)


def _worst_key(p: PathScore) -> tuple[bool, float]:
    """Scored paths sort first for the worst too: an unscored path is not "the worst"."""
    return (p.overall is None, p.overall if p.overall is not None else 0.0)


class _Budget(Exception):
    """The exact search needed more nodes than EXACT_LIMIT allows."""


def _exhaustive(
    graph: StateGraph, scorer: _Scorer, limit: int | None = None
) -> tuple[PathScore, PathScore] | None:
    """Every path scored, exactly, without walking every path.

    A path's overall score depends only on its per-criterion evidence sums and counts, and
    what can still happen depends only on its state key; so two prefixes that reach the same
    (state key, totals) have the same set of completion scores, and only the first needs
    exploring. The totals are carried incrementally along the walk instead of rescoring each
    full path, and each leaf's score is cached by its totals.

    The walk is a depth-first search in file order (choices, then reasons), and a later path
    replaces the best or worst only when strictly better or worse: among paths of equal score,
    the one first in file order is reported. Raises `_Budget` past EXACT_LIMIT explored nodes.
    The graph must be acyclic.
    """
    best: PathScore | None = None
    worst: PathScore | None = None
    root = graph.start()
    if graph.terminal(root) is not None:
        only = PathScore(
            scorer.overall((), graph.terminal(root) or ""), (), graph.terminal(root) or ""
        )
        return only, only
    width = len(scorer.slots)
    scores: dict[Totals, float | None] = {}
    seen: set[tuple[Key, Totals]] = set()
    # Items: (state key or None for a finished path, totals, steps, ending of a finished path).
    stack: list[tuple[Key | None, Totals, tuple[Step, ...], str]] = [
        (root, (0.0,) * (2 * width), (), "")
    ]
    while stack:
        key, totals, steps, ending = stack.pop()
        if key is None:
            if totals in scores:
                overall = scores[totals]
            else:
                overall = scorer.from_totals(totals[:width], totals[width:])
                scores[totals] = overall
            scored = PathScore(overall, steps, ending)
            if best is None or _best_key(scored) > _best_key(best):
                best = scored
            if worst is None or _worst_key(scored) < _worst_key(worst):
                worst = scored
            continue
        if (key, totals) in seen:
            continue
        seen.add((key, totals))
        if len(seen) > (EXACT_LIMIT if limit is None else limit):
            raise _Budget
        for edge in reversed(graph.out(key)):
            grown = tuple(map(add, totals, scorer.delta[edge.step]))
            if edge.target is None:
                grown = scorer.finish(grown, edge.ending or "")
            stack.append((edge.target, grown, (*steps, edge.step), edge.ending or ""))
    if best is None or worst is None:
        return None
    return best, worst


def _bounded(graph: StateGraph, scorer: _Scorer) -> tuple[PathScore, PathScore] | None:
    """A beam search for each extreme plus random samples; not guaranteed optimal."""
    found: list[PathScore] = []
    for sign in (1, -1):
        beam: list[tuple[Key, tuple[Step, ...]]] = [(graph.start(), ())]
        for _ in range(MAX_DEPTH):
            if not beam:
                break
            grown: list[tuple[float, Key, tuple[Step, ...]]] = []
            for key, steps in beam:
                for edge in graph.out(key):
                    path = (*steps, edge.step)
                    score = scorer.overall(path, edge.ending or "")
                    if edge.target is None:
                        found.append(PathScore(score, path, edge.ending or ""))
                    else:
                        grown.append(
                            (sign * (score if score is not None else 0.0), edge.target, path)
                        )
            grown.sort(key=lambda item: item[0], reverse=True)
            beam = [(k, p) for _, k, p in grown[:BEAM]]
    rng = random.Random(20261124)
    for _ in range(SAMPLES):
        key, steps = graph.start(), ()
        for _ in range(MAX_DEPTH):
            edges = graph.out(key)
            if not edges:
                break
            edge = rng.choice(edges)
            steps = (*steps, edge.step)
            if edge.target is None:
                found.append(
                    PathScore(scorer.overall(steps, edge.ending or ""), steps, edge.ending or "")
                )
                break
            key = edge.target
    if not found:
        return None
    return max(found, key=_best_key), min(found, key=_worst_key)


def analyze(scenario: Scenario, rubrics: Mapping[str, Rubric]) -> Analysis:
    """Counts, reachability and the extreme paths of a case."""
    graph = StateGraph(scenario)
    paths, cycle = count_paths(graph)
    reached, states = reachable_endings(graph)
    endings: dict[str, bool | None] = (
        {k: v for k, v in reached.items()}
        if reached is not None
        else {e.id: None for e in scenario.endings}
    )
    scorer = _Scorer(scenario, rubrics)
    extremes: tuple[PathScore, PathScore] | None = None
    exact = False
    if paths is not None:
        try:
            extremes = _exhaustive(graph, scorer)
            exact = True
        except _Budget:
            pass
    if not exact:
        extremes = _bounded(graph, scorer)
    best, worst = extremes if extremes else (None, None)
    return Analysis(
        scenario.id,
        paths,
        endings,
        best,
        worst,
        exact,
        cycle,
        states,
        _unjudged(scenario, rubrics, worst),
    )


def _unjudged(
    scenario: Scenario, rubrics: Mapping[str, Rubric], worst: PathScore | None
) -> list[str]:
    """The criteria of the automatic rubrics that the worst path leaves not observed."""
    from sim.scoring import score_path

    if worst is None or worst.overall is None:
        return []
    card = score_path(scenario, rubrics, worst.steps, worst.ending)
    return [
        f"{result.rubric}.{result.criterion}"
        for rubric in card.rubrics.values()
        for result in rubric.criteria
        if not result.observed
    ]


WORST_CHECK_LIMIT = 3_000
"""`sim validate`'s look at the worst path explores at most this many nodes (validation must
stay fast: a small case takes milliseconds); a larger case is checked by `sim analyze`, whose
exact worst path is reported with the criteria it leaves unjudged."""


def unobserved_on_worst(
    scenario: Scenario, rubrics: Mapping[str, Rubric]
) -> tuple[str, list[str]] | None:
    """For the validator: the worst path's ending and the `rubric.criterion` ids it never judges.

    A path that loses the customer should be judged at the lowest level, not skipped: an
    unobserved criterion there usually means an ending that should give evidence. None when
    the case is too large, cyclic, or has no scored path to tell.
    """
    graph = StateGraph(scenario)
    scorer = _Scorer(scenario, rubrics)
    try:
        extremes = _exhaustive(graph, scorer, WORST_CHECK_LIMIT)
    except (_Budget, RecursionError):
        return None
    if extremes is None or extremes[1].overall is None:
        return None
    worst = extremes[1]
    return worst.ending, _unjudged(scenario, rubrics, worst)
