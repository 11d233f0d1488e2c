"""Analysis of a case: path counts, ending reachability, best and worst paths.

Works on the state graph (scene, state values, the `chose` facts that conditions read),
memoised, so a case with a million paths is counted without enumerating them. Best and worst
are exact whenever the graph is acyclic and the search fits EXACT_LIMIT: prefixes that reach
the same state with the same evidence totals are explored once. Pure.

Every search is bounded, whatever the case holds: at most a budget of distinct states (by
default DEFAULT_BUDGET; `sim analyze --budget N`), at most NODES_PER_STATE times that many
exact-search nodes, and a bounded search whose work is the budget too. A case whose choices
loop back is detected (the loop is named) and no search follows a loop round: a path never
re-enters a state it has been in. When a budget stops a search the analysis says which
figures are bounds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add
from typing import NamedTuple

from sim.bulk import collector_paused
from sim.engine import Step, apply_effects, holds, pick_ending
from sim.model import END, Choice, Condition, Rubric, Scenario
from sim.scoring import auto_rubrics

DEFAULT_BUDGET = 50_000
"""Distinct states `sim analyze` explores at most unless `--budget` says otherwise. The
library's cases have 300 to 3,000 states; a case whose variables record the path taken has
more states than any budget (30 scenes x 8 choices: 8**30), and is analysed within it."""

NODES_PER_STATE = 8
"""The exact search may visit this many (state, evidence totals) nodes per state of the
budget: a node costs far less than a new state (its state's edges are already built)."""

EXACT_LIMIT = NODES_PER_STATE * DEFAULT_BUDGET
"""The exact best/worst search explores at most this many distinct (state, evidence totals)
nodes; past it, a bounded search is used and the analysis says it is not exact. The library's
cases need 2,000 to 30,000 nodes (for 35,000 to 420,000 paths)."""

MAX_STATES = DEFAULT_BUDGET
"""Beyond this many distinct states, path counts and reachability are reported as unknown."""

VALIDATE_STATES = 10_000
"""The validator's reachability and worst-path checks explore at most this many states each
(validation must stay fast: about a second); past it, `sim analyze` tells."""

BEAM = 2_000
SAMPLES = 5_000
MAX_DEPTH = 500
"""Bounded searches stop a path after this many steps."""

Key = tuple[str, tuple[float, ...], frozenset[str]]

Totals = tuple[float, ...]
"""Per-criterion evidence sums followed by per-criterion counts: all a path's score depends on."""


class Edge(NamedTuple):
    """One step out of a state: a choice (and reason) leading to a state or an ending.

    A named tuple, not a frozen dataclass: a graph holds one per step of every state, and a
    frozen dataclass's constructor sets each field through `object.__setattr__`."""

    step: Step
    target: Key | None
    ending: str | None
    weight: int = 1


@dataclass
class PathScore:
    overall: float | None
    steps: tuple[Step, ...]
    ending: str


@dataclass(frozen=True)
class ChoiceOutlook:
    """What taking one choice at one scene can still lead to, over complete paths.

    `best` and `worst` are None when no scored path takes the choice there (it is never
    available, or the search was not exact); `endings` are the endings such paths reach.
    """

    id: str
    best: float | None
    worst: float | None
    endings: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "best": self.best,
            "worst": self.worst,
            "endings": list(self.endings),
        }


@dataclass(frozen=True)
class Decision:
    """One scene where the player picks among two or more choices."""

    scene: str
    choices: tuple[ChoiceOutlook, ...]

    def as_json(self) -> dict[str, object]:
        return {"scene": self.scene, "choices": [c.as_json() for c in self.choices]}


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
    loop: tuple[str, ...] | None = None
    """The scenes of one loop (first scene repeated at the end), when the case has one."""
    budget: int = DEFAULT_BUDGET
    """The most distinct states the analysis was allowed to explore."""
    complete: bool = True
    """Whether every state was explored: False makes `paths` and unreached endings unknown."""
    decisions: list[Decision] = field(default_factory=list)
    """Every reachable scene with two or more choices, in file order."""
    scene_best: dict[str, float | None] = field(default_factory=dict)
    """Per reachable scene, the best overall of complete paths through it (exact search
    only; `sim graph` colours by it). Not part of the JSON contract."""
    ending_best: dict[str, float | None] = field(default_factory=dict)
    """Per reached ending, the best overall of the complete paths that end there."""
    scene_worst: dict[str, float | None] = field(default_factory=dict)
    ending_worst: dict[str, float | None] = field(default_factory=dict)
    """The same, lowest: with the best, how far apart the runs through a node can end."""

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
            "loop": list(self.loop) if self.loop is not None else None,
            "states": self.states,
            "budget": self.budget,
            "complete": self.complete,
            "decisions": [d.as_json() for d in self.decisions],
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
        self.steps: dict[str, list[tuple[Choice, list[Step]]]] = {}

    def start(self) -> Key:
        values = tuple(var.initial for var in self.sc.state.values())
        return (self.sc.start, values, frozenset())

    def terminal(self, key: Key) -> str | None:
        """The ending of a scene without choices."""
        return self.sc.scenes[key[0]].ending

    def _steps(self, scene_id: str) -> list[tuple[Choice, list[Step]]]:
        """Each choice of a scene with its steps (one per reason), made once per scene."""
        cached = self.steps.get(scene_id)
        if cached is None:
            scene = self.sc.scenes[scene_id]
            cached = [
                (
                    choice,
                    [
                        Step(scene_id, choice.id, reason.id if reason else None)
                        for reason in scene.reasons or [None]
                    ],
                )
                for choice in scene.choices
            ]
            self.steps[scene_id] = cached
        return cached

    def out(self, key: Key) -> list[Edge]:
        cached = self.edges.get(key)
        if cached is not None:
            return cached
        scene_id, values_t, chosen = key
        names = self.names
        values = dict(zip(names, values_t, strict=True))
        scenes = self.sc.scenes
        new = tuple.__new__  # Edge's own __new__ is a Python call; some 10,000 edges a case
        edges: list[Edge] = []
        for choice, steps in self._steps(scene_id):
            if choice.requires is not None and not holds(choice.requires, values, chosen):
                continue
            # Without variables or effects there is nothing to add up or clamp.
            after = apply_effects(self.sc, values, choice) if names or choice.effects else values
            now = chosen | ({choice.id} & self.relevant) if self.relevant else chosen
            target: Key | None = None
            ending = None
            if choice.next == END:
                ending = pick_ending(self.sc, after, now)
            else:
                ending = scenes[choice.next].ending
                if ending is None:
                    target = (choice.next, tuple([after[n] for n in names]), now)
            edges += [new(Edge, (step, target, ending)) for step in steps]
        self.edges[key] = edges
        return edges


@dataclass(frozen=True)
class PathCount:
    """What the path count found: the number (None if unbounded or unknown), a loop's scenes,
    and whether every state was explored within the budget."""

    paths: int | None
    loop: tuple[str, ...] | None
    complete: bool


def explore_paths(graph: StateGraph, limit: int | None = None) -> PathCount:
    """Count the step sequences from the start to an ending, stopping at the first loop.

    Iterative post-order DFS, so long chains do not hit Python's recursion limit. A loop is a
    state the walk meets again while still inside it: runs can go round it forever, so the
    number of paths is unbounded; its scenes are returned so the author can see it.
    """
    most = MAX_STATES if limit is None else limit
    root = graph.start()
    if graph.terminal(root) is not None:
        return PathCount(1, None, True)
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
                keys = [k for k, _ in stack]
                ring = keys[keys.index(target) :]
                return PathCount(None, (*(k[0] for k in ring), target[0]), True)
            if len(counts) + len(on_stack) >= most:
                return PathCount(None, None, False)
            on_stack.add(target)
            stack.append((target, iter(graph.out(target))))
            advanced = True
            break
        if advanced:
            continue
        stack.pop()
        on_stack.discard(key)
        counts[key] = sum(1 if e.target is None else counts[e.target] for e in graph.out(key))
    return PathCount(counts[root], None, True)


def count_paths(graph: StateGraph, limit: int | None = None) -> tuple[int | None, bool]:
    """The number of paths (None if unbounded or unknown) and whether a loop was found."""
    counted = explore_paths(graph, limit)
    return counted.paths, counted.loop is not None


def reachable_endings(
    graph: StateGraph, limit: int | None = None
) -> tuple[dict[str, bool] | None, int]:
    """Endings some run reaches (None when there are too many states) and the states explored."""
    most = MAX_STATES if limit is None else limit
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
                if len(seen) >= most:
                    return None, len(seen)
                seen.add(edge.target)
                frontier.append(edge.target)
    return {e.id: e.id in reached for e in graph.sc.endings}, len(seen)


def ending_reachability(
    scenario: Scenario, graph: StateGraph | None = None
) -> dict[str, bool] | None:
    """For the validator: which endings some run can reach (None if too large to tell).

    At most VALIDATE_STATES states: a case whose variables record the path has more states
    than any search can visit, and validating it must still take about a second. `graph`
    (of this scenario) lets the validator's look at the worst path reuse the edges found."""
    reached, _ = reachable_endings(graph or StateGraph(scenario), VALIDATE_STATES)
    return reached


class _Scorer:
    """Scores paths fast: per-criterion sums and counts precomputed for every step."""

    def __init__(self, scenario: Scenario, rubrics: Mapping[str, Rubric]) -> None:
        from sim.scoring import evidence_points

        self.sc = scenario
        self.rubrics = auto_rubrics(scenario, rubrics)
        self.rubric_map = {r.id: r for r in self.rubrics}
        self.slots = [(r.id, c.id) for r in self.rubrics for c in r.criteria]
        index = {slot: i for i, slot in enumerate(self.slots)}
        self.contrib: dict[Step, list[tuple[int, float]]] = {}
        self.delta: dict[Step, tuple[float, ...]] = {}
        """A step's evidence as one vector: sums per criterion, then counts per criterion."""

        def slots(evidence: Mapping[str, float], mismatched: bool) -> list[tuple[int, float]]:
            # What `collect_evidence` gives a step, in its order, without its Evidence objects.
            found = evidence_points(self.rubric_map, evidence, mismatched)
            return [(index[(rubric, criterion)], points) for rubric, criterion, points in found]

        for scene_id, scene in scenario.scenes.items():
            # Each reason's evidence as given for a choice it supports, and for one it does not.
            reasons = [
                (r, slots(r.evidence, False), slots(r.evidence, True)) for r in scene.reasons
            ]
            for choice in scene.choices:
                own = slots(choice.evidence, False)
                if not reasons:
                    self._add(Step(scene_id, choice.id, None), own)
                for reason, fits, mismatched in reasons:
                    given = fits if choice.id in reason.supports else mismatched
                    self._add(Step(scene_id, choice.id, reason.id), own + given)
        self.ending_contrib: dict[str, list[tuple[int, float]]] = {}
        self.ending_delta: dict[str, tuple[float, ...]] = {}
        """An ending's own evidence (FORMAT: `endings[].evidence`), added when a path ends."""
        for ending in scenario.endings:
            if ending.id in self.ending_contrib:
                continue  # a repeated ending id: the first one's, as `scenario.ending` finds
            self.ending_contrib[ending.id] = slots(ending.evidence, False)
            self.ending_delta[ending.id] = self._totals_of(self.ending_contrib[ending.id])
        self.layout = [
            (
                scenario.rubric_weights.get(r.id, 1.0),
                r,
                [(index[(r.id, c.id)], c.weight) for c in r.criteria],
            )
            for r in self.rubrics
        ]
        """Per rubric: its weight in the overall score, the rubric, and its criteria's slots."""

    def _add(self, step: Step, contrib: list[tuple[int, float]]) -> None:
        if step in self.contrib:
            return  # a repeated choice or reason id: the first one's evidence, as in play
        self.contrib[step] = contrib
        self.delta[step] = self._totals_of(contrib)

    def _totals_of(self, contrib: list[tuple[int, float]]) -> Totals:
        """Evidence as one vector: sums per criterion, then counts per criterion."""
        delta = [0.0] * (2 * len(self.slots))
        for slot, points in contrib:
            delta[slot] += points
            delta[len(self.slots) + slot] += 1
        return tuple(delta)

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


Trail = tuple[Step, "Trail"] | None
"""A path as a linked list, newest step first: growing it costs one tuple, not a copy."""


def _steps_of(trail: Trail) -> tuple[Step, ...]:
    steps: list[Step] = []
    while trail is not None:
        steps.append(trail[0])
        trail = trail[1]
    return tuple(reversed(steps))


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
    root = graph.start()
    if graph.terminal(root) is not None:
        only = PathScore(
            scorer.overall((), graph.terminal(root) or ""), (), graph.terminal(root) or ""
        )
        return only, only
    width = len(scorer.slots)
    scores: dict[Totals, float | None] = {}
    seen: set[tuple[Key, Totals]] = set()
    most = EXACT_LIMIT if limit is None else limit
    delta = scorer.delta
    # The best and worst so far, as (key, overall, trail, ending): a path is a linked list
    # (`Trail`), made a tuple only for the two reported, so a deep walk costs no copying.
    best: tuple[tuple[bool, float], float | None, Trail, str] | None = None
    worst: tuple[tuple[bool, float], float | None, Trail, str] | None = None
    # Items: (state key or None for a finished path, totals, trail, ending of a finished path).
    stack: list[tuple[Key | None, Totals, Trail, str]] = [(root, (0.0,) * (2 * width), None, "")]
    while stack:
        key, totals, trail, ending = stack.pop()
        if key is None:
            if totals in scores:
                overall = scores[totals]
            else:
                overall = scorer.from_totals(totals[:width], totals[width:])
                scores[totals] = overall
            high = (overall is not None, overall if overall is not None else 0.0)
            low = (overall is None, overall if overall is not None else 0.0)
            if best is None or high > best[0]:
                best = (high, overall, trail, ending)
            if worst is None or low < worst[0]:
                worst = (low, overall, trail, ending)
            continue
        node = (key, totals)
        if node in seen:
            continue
        seen.add(node)
        if len(seen) > most:
            raise _Budget
        for edge in reversed(graph.out(key)):
            grown = tuple(map(add, totals, delta[edge.step]))
            if edge.target is None:
                grown = scorer.finish(grown, edge.ending or "")
            stack.append((edge.target, grown, (edge.step, trail), edge.ending or ""))
    if best is None or worst is None:
        return None
    return (
        PathScore(best[1], _steps_of(best[2]), best[3]),
        PathScore(worst[1], _steps_of(worst[2]), worst[3]),
    )


def _bounded(
    graph: StateGraph, scorer: _Scorer, budget: int | None = None, *, cyclic: bool = True
) -> tuple[PathScore, PathScore] | None:
    """A beam search for each extreme plus random walks; not guaranteed optimal.

    Its work is bounded: at most `budget` edges are followed in all (MAX_STATES by default),
    each in constant time (evidence totals are carried along, paths are linked lists). On a
    graph that may loop (`cyclic`), a path never re-enters a state it has been in: going
    round a loop repeats evidence without reaching anything new.
    """
    most = MAX_STATES if budget is None else budget
    width = len(scorer.slots)
    start = graph.start()
    zero: Totals = (0.0,) * (2 * width)
    found: list[tuple[float | None, Trail, str]] = []
    work = 0

    def score(totals: Totals) -> float | None:
        return scorer.from_totals(totals[:width], totals[width:])

    def finished(totals: Totals, trail: Trail, ending: str) -> None:
        found.append((score(scorer.finish(totals, ending)), trail, ending))

    Item = tuple[Key, Totals, Trail, frozenset[Key]]
    # Widening beams: a greedy descent (width 1) finds a complete path for the price of its
    # length, so even a small budget reports something; wider beams refine while it lasts.
    # Half the budget goes to the beams, the rest to random walks.
    share = most // 2
    for wide in sorted({1, 10, 100, BEAM}):
        for sign in (1, -1):
            beam: list[Item] = [(start, zero, None, frozenset([start]) if cyclic else frozenset())]
            for _ in range(MAX_DEPTH):
                if not beam or work >= share:
                    break
                grown: list[tuple[float, Item]] = []
                for key, totals, trail, visited in beam:
                    for edge in graph.out(key):
                        work += 1
                        after = tuple(map(add, totals, scorer.delta[edge.step]))
                        path: Trail = (edge.step, trail)
                        if edge.target is None:
                            finished(after, path, edge.ending or "")
                        elif not (cyclic and edge.target in visited):
                            now = score(after)
                            seen = visited | {edge.target} if cyclic else visited
                            grown.append((sign * (now or 0.0), (edge.target, after, path, seen)))
                grown.sort(key=lambda item: item[0], reverse=True)
                beam = [item for _, item in grown[:wide]]
    rng = random.Random(20261124)
    for _ in range(SAMPLES):
        if work >= most:
            break
        key, totals, trail = start, zero, None
        walked = {start}
        for _ in range(MAX_DEPTH):
            edges = graph.out(key)
            if cyclic:
                edges = [e for e in edges if e.target is None or e.target not in walked]
            if not edges:
                break
            edge = rng.choice(edges)
            work += 1
            totals = tuple(map(add, totals, scorer.delta[edge.step]))
            trail = (edge.step, trail)
            if edge.target is None:
                finished(totals, trail, edge.ending or "")
                break
            key = edge.target
            walked.add(key)
    if not found:
        return None
    scored = [PathScore(overall, (), ending) for overall, _, ending in found]
    best = max(range(len(found)), key=lambda i: _best_key(scored[i]))
    worst = min(range(len(found)), key=lambda i: _worst_key(scored[i]))
    return (
        PathScore(found[best][0], _steps_of(found[best][1]), found[best][2]),
        PathScore(found[worst][0], _steps_of(found[worst][1]), found[worst][2]),
    )


class _Outlook:
    """Running best, worst and endings (a bit mask) of the paths through one scene's choice."""

    __slots__ = ("best", "endings", "worst")

    def __init__(self) -> None:
        self.best: float | None = None
        self.worst: float | None = None
        self.endings = 0

    def add(self, best: float | None, worst: float | None, endings: int) -> None:
        if best is not None and (self.best is None or best > self.best):
            self.best = best
        if worst is not None and (self.worst is None or worst < self.worst):
            self.worst = worst
        self.endings |= endings


def _decision_table(
    graph: StateGraph, outlooks: Mapping[tuple[str, str], _Outlook], scenes: set[str]
) -> list[Decision]:
    """The decisions in file order: reachable scenes with two or more choices, every choice."""
    ending_ids = [e.id for e in graph.sc.endings]
    table: list[Decision] = []
    for scene_id, scene in graph.sc.scenes.items():
        if scene_id not in scenes or len(scene.choices) < 2:
            continue
        row = []
        for choice in scene.choices:
            seen = outlooks.get((scene_id, choice.id)) or _Outlook()
            endings = tuple(e for i, e in enumerate(ending_ids) if seen.endings >> i & 1)
            row.append(ChoiceOutlook(choice.id, seen.best, seen.worst, endings))
        table.append(Decision(scene_id, tuple(row)))
    return table


@dataclass
class _Bests:
    """Best overall through each scene and into each ending, filled by `_decisions_exact`."""

    scenes: dict[str, float | None] = field(default_factory=dict)
    endings: dict[str, float | None] = field(default_factory=dict)
    scenes_low: dict[str, float | None] = field(default_factory=dict)
    endings_low: dict[str, float | None] = field(default_factory=dict)


def _higher(old: float | None, new: float | None) -> float | None:
    return new if old is None or (new is not None and new > old) else old


def _lower(old: float | None, new: float | None) -> float | None:
    return new if old is None or (new is not None and new < old) else old


def _decisions_exact(
    graph: StateGraph, scorer: _Scorer, limit: int, bests: _Bests | None = None
) -> list[Decision]:
    """Per scene and choice, the exact best and worst overall of complete paths taking it.

    The same (state key, evidence totals) nodes as `_exhaustive`, walked in post-order: a
    node's totals fix every completion's score, so each node's best, worst and endings are
    computed once from its children, and every edge adds its child's to the outlook of its
    (scene, choice). No path is enumerated. Raises `_Budget` past `limit` nodes.
    The graph must be acyclic.
    """
    bit = {e.id: 1 << i for i, e in enumerate(graph.sc.endings)}
    width = len(scorer.slots)
    scores: dict[Totals, float | None] = {}
    done: dict[tuple[Key, Totals], tuple[float | None, float | None, int]] = {}
    outlooks: dict[tuple[str, str], _Outlook] = {}
    scenes: set[str] = set()
    root = graph.start()
    if graph.terminal(root) is not None:
        return []
    Node = tuple[Key, Totals]
    stack: list[tuple[Node, Iterator[Edge]]] = [
        ((root, (0.0,) * (2 * width)), iter(graph.out(root)))
    ]
    while stack:
        node, edges = stack[-1]
        pushed = False
        for edge in edges:
            if edge.target is None:
                continue
            child = (edge.target, tuple(map(add, node[1], scorer.delta[edge.step])))
            if child not in done:
                if len(done) + len(stack) > limit:
                    raise _Budget
                stack.append((child, iter(graph.out(child[0]))))
                pushed = True
                break
        if pushed:
            continue
        stack.pop()
        key, totals = node
        scenes.add(key[0])
        mine = _Outlook()
        for edge in graph.out(key):
            grown = tuple(map(add, totals, scorer.delta[edge.step]))
            if edge.target is None:
                done_totals = scorer.finish(grown, edge.ending or "")
                if done_totals not in scores:
                    scores[done_totals] = scorer.from_totals(
                        done_totals[:width], done_totals[width:]
                    )
                score = scores[done_totals]
                value = (score, score, bit.get(edge.ending or "", 0))
                if bests is not None and edge.ending:
                    bests.endings[edge.ending] = _higher(bests.endings.get(edge.ending), score)
                    bests.endings_low[edge.ending] = _lower(
                        bests.endings_low.get(edge.ending), score
                    )
            else:
                value = done[(edge.target, grown)]
            mine.add(*value)
            outlooks.setdefault((key[0], edge.step.choice), _Outlook()).add(*value)
        done[node] = (mine.best, mine.worst, mine.endings)
    if bests is not None:
        for (scene_id, _), seen in outlooks.items():
            bests.scenes[scene_id] = _higher(bests.scenes.get(scene_id), seen.best)
            bests.scenes_low[scene_id] = _lower(bests.scenes_low.get(scene_id), seen.worst)
    return _decision_table(graph, outlooks, scenes)


def _decisions_reached(graph: StateGraph, limit: int) -> list[Decision]:
    """Without an exact search (a cycle, or too large): the endings each choice can lead to.

    Reachability does not depend on scores, so it is found on the state graph alone (endings
    propagated backwards until nothing changes, which also settles cycles); best and worst
    stay unknown. Empty when the states are too many to explore.
    """
    bit = {e.id: 1 << i for i, e in enumerate(graph.sc.endings)}
    root = graph.start()
    if graph.terminal(root) is not None:
        return []
    reach: dict[Key, int] = {root: 0}
    parents: dict[Key, list[Key]] = {}
    frontier = [root]
    while frontier:
        key = frontier.pop()
        for edge in graph.out(key):
            reach[key] |= bit.get(edge.ending or "", 0)
            if edge.target is not None:
                parents.setdefault(edge.target, []).append(key)
                if edge.target not in reach:
                    if len(reach) >= limit:
                        return []
                    reach[edge.target] = 0
                    frontier.append(edge.target)
    work = [k for k, mask in reach.items() if mask]
    while work:
        key = work.pop()
        for parent in parents.get(key, ()):
            grown = reach[parent] | reach[key]
            if grown != reach[parent]:
                reach[parent] = grown
                work.append(parent)
    outlooks: dict[tuple[str, str], _Outlook] = {}
    for key in reach:
        for edge in graph.out(key):
            mask = bit.get(edge.ending or "", 0)
            if edge.target is not None:
                mask |= reach[edge.target]
            outlooks.setdefault((key[0], edge.step.choice), _Outlook()).add(None, None, mask)
    return _decision_table(graph, outlooks, {key[0] for key in reach})


def analyze(
    scenario: Scenario, rubrics: Mapping[str, Rubric], budget: int | None = None
) -> Analysis:
    """Counts, reachability and the extreme paths of a case, within a budget of states.

    `budget` (DEFAULT_BUDGET when None) bounds every search: the path count and reachability
    visit at most that many states, the exact search NODES_PER_STATE times as many nodes, the
    bounded search follows at most that many edges. Time and memory grow with the budget, not with
    the case.
    """
    with collector_paused():  # see sim.bulk: states and edges are never cyclic garbage
        return _analyze(scenario, rubrics, budget)


def _analyze(scenario: Scenario, rubrics: Mapping[str, Rubric], budget: int | None) -> Analysis:
    states_limit = MAX_STATES if budget is None else budget
    exact_limit = EXACT_LIMIT if budget is None else NODES_PER_STATE * budget
    graph = StateGraph(scenario)
    counted = explore_paths(graph, states_limit)
    endings: dict[str, bool | None]
    if counted.complete:
        # Every state is already built: this walk only reads the graph's cached edges.
        reached, states = reachable_endings(graph, states_limit)
        endings = (
            {k: v for k, v in reached.items()}
            if reached is not None
            else {e.id: None for e in scenario.endings}
        )
    else:
        # The budget ran out: an ending met on the way is certainly reachable; any other
        # may be, further on (exploring again elsewhere would only spend the budget twice).
        met = {edge.ending for edges in graph.edges.values() for edge in edges if edge.ending}
        endings = {e.id: True if e.id in met else None for e in scenario.endings}
        states = len(graph.edges)
    scorer = _Scorer(scenario, rubrics)
    extremes: tuple[PathScore, PathScore] | None = None
    exact = False
    if counted.paths is not None:
        try:
            extremes = _exhaustive(graph, scorer, exact_limit)
            exact = True
        except _Budget:
            pass
    decisions: list[Decision] = []
    bests = _Bests()
    if exact:
        try:
            decisions = _decisions_exact(graph, scorer, exact_limit, bests)
        except _Budget:  # the same nodes as the exact search: only if that was at the limit
            bests = _Bests()
            decisions = _decisions_reached(graph, states_limit)
    else:
        extremes = _bounded(graph, scorer, states_limit, cyclic=counted.paths is None)
        decisions = _decisions_reached(graph, states_limit)
    best, worst = extremes if extremes else (None, None)
    return Analysis(
        scenario.id,
        counted.paths,
        endings,
        best,
        worst,
        exact,
        counted.loop is not None,
        states,
        _unjudged(scenario, rubrics, worst),
        loop=counted.loop,
        budget=states_limit,
        complete=counted.complete and None not in endings.values(),
        decisions=decisions,
        scene_best=bests.scenes,
        ending_best=bests.endings,
        scene_worst=bests.scenes_low,
        ending_worst=bests.endings_low,
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
    scenario: Scenario, rubrics: Mapping[str, Rubric], graph: StateGraph | None = None
) -> tuple[str, list[str]] | None:
    """For the validator: the worst path's ending and the `rubric.criterion` ids it never judges.

    A path that loses the customer should be judged at the lowest level, not skipped: an
    unobserved criterion there usually means an ending that should give evidence. None when
    the case is too large, cyclic, or has no scored path to tell.
    """
    graph = graph or StateGraph(scenario)
    if count_paths(graph, WORST_CHECK_LIMIT)[0] is None:
        return None  # a loop, or too many states: the exact search needs a finite graph
    scorer = _Scorer(scenario, rubrics)
    try:
        extremes = _exhaustive(graph, scorer, WORST_CHECK_LIMIT)
    except (_Budget, RecursionError):
        return None
    if extremes is None or extremes[1].overall is None:
        return None
    worst = extremes[1]
    return worst.ending, _unjudged(scenario, rubrics, worst)
