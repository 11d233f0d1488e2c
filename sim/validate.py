"""Cross-checks beyond the models: references, scales, reachability, coverage, translations.

Pure: takes loaded models and the places of their nodes, returns positioned findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from sim.findings import Finding, Severity
from sim.loader.errors import place_of, suggest
from sim.loader.yaml_nodes import DataPath, Places
from sim.model import END, Condition, Rubric, Scenario

ID_PATTERN = re.compile(r"[a-z0-9-]+")
"""An id in full (`fullmatch`: `$` would let a trailing newline through)."""

SUGGESTIONS = 20
"""How many unknown names in one file get a "did you mean" (see `_Report.suggest`)."""

EndingReachability = Callable[[Scenario], dict[str, bool] | None]
WorstUnobserved = Callable[[Scenario, Mapping[str, Rubric]], tuple[str, list[str]] | None]
"""The criteria the worst path leaves unjudged (from the analyser; None if it cannot tell)."""
"""Which endings some run can reach (None when the state space is too large to tell)."""


class _Report:
    """Collects findings for one file, placing each at a data path."""

    def __init__(self, path: str, places: Places) -> None:
        self.path = path
        self.places = places
        self.findings: list[Finding] = []
        self.suggested = 0
        self.unlisted: set[str] = set()
        """Rubric ids already reported as evidence the scenario does not list (once each)."""
        self.scales: dict[str, tuple[float, float, tuple[str, ...]]] = {}
        """Per rubric id: its lowest and highest points and its criteria's ids, found once
        (a 2,000-scene case checks 4,000 evidence entries against them)."""

    def add(self, where: DataPath, severity: Severity, message: str, *, key: bool = False) -> None:
        mark = place_of(self.places, where, key=key)
        self.findings.append(Finding(self.path, mark.line, mark.column, severity, message))

    def error(self, where: DataPath, message: str, *, key: bool = False) -> None:
        self.add(where, "error", message, key=key)

    def warning(self, where: DataPath, message: str, *, key: bool = False) -> None:
        self.add(where, "warning", message, key=key)

    def suggest(self, word: str, options: Iterable[str]) -> str:
        """`suggest`'s "(did you mean ...?)" for the first SUGGESTIONS unknown names only.

        Each suggestion compares the name with every option; a file with thousands of broken
        references spent most of its validation there (4,000 broken `next:` took 44 s). The
        first few carry the lesson; the rest are still reported, without the hint.
        """
        self.suggested += 1
        if self.suggested > SUGGESTIONS:
            return ""
        return suggest(word, options)

    def findings_with_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _texts(value: BaseModel, path: DataPath) -> list[tuple[DataPath, dict[str, str]]]:
    """Every multilingual text mapping inside a model, with its data path, in field order.

    Walked by the model's types: only the fields that can hold a text (`Text`, or a model,
    sequence or mapping that holds one) are visited. A 2,000-scene case holds some 60,000
    values and most are ids, numbers and evidence; looking at every one made this walk a
    tenth of `sim validate`. (Telling a text by its look -- a mapping of strings -- also took
    a rubric example written as one string per level, `{2: ...}`, for a text in languages
    `2`.)
    """
    found: list[tuple[DataPath, dict[str, str]]] = []
    _collect_texts(value, _MODEL, path, found)
    return found


_TEXT = "text"
_MODEL = "model"
Shape = str | tuple[str, Any]
"""What a field holds, as far as texts go: a text, a model, or ("seq" | "map", the shape of
each item)."""


def _collect_texts(
    value: Any, shape: Shape, path: DataPath, found: list[tuple[DataPath, dict[str, str]]]
) -> None:
    # Checked by type as well as by shape: a salvaged model (sim.loader.salvage) may hold a
    # placeholder of another type where the author's value was refused. Texts are taken here,
    # without a call: most are plain strings, to be skipped.
    items: Iterable[tuple[Any, Any]]
    if shape == _MODEL:
        if not isinstance(value, BaseModel):
            return
        for name, key, inner in _text_fields(type(value)):
            item = getattr(value, name)
            if inner == _TEXT:
                if type(item) is dict and all(type(v) is str for v in item.values()):
                    found.append(((*path, key), item))
            elif item:  # neither None nor empty
                _collect_texts(item, inner, (*path, key), found)
        return
    if shape[0] == "seq" and isinstance(value, tuple | list):
        items = enumerate(value)
    elif shape[0] == "map" and isinstance(value, dict):
        items = value.items()
    else:
        return
    inner = shape[1]
    for at, item in items:
        if inner == _TEXT:
            if type(item) is dict and all(type(v) is str for v in item.values()):
                found.append(((*path, at), item))
        elif item:  # neither None nor empty
            _collect_texts(item, inner, (*path, at), found)


@cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Shape], ...]:
    """The fields of `model` that can hold a text: attribute name, name in the file (the
    alias, if it has one) and shape."""
    _text_fields_pending.add(model)
    try:
        fields = []
        for name, info in model.model_fields.items():
            shape = _shape_of(info.annotation)
            if shape is not None:
                fields.append((name, info.alias or name, shape))
        return tuple(fields)
    finally:
        _text_fields_pending.discard(model)


_text_fields_pending: set[type[BaseModel]] = set()
"""Models whose fields are being looked at: a model inside itself (a condition's `not`) adds
no text that its own fields do not already hold."""


def _shape_of(annotation: Any) -> Shape | None:
    """Where texts can sit in a value of this type; None when it holds none."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        if set(args) == {str, dict[str, str]}:
            return _TEXT  # sim.model.text.Text
        shapes = {_shape_of(arg) for arg in args if arg is not type(None)} - {None}
        return shapes.pop() if len(shapes) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in _text_fields_pending or not _text_fields(annotation):
            return None
        return _MODEL
    if origin in (tuple, list) and args:
        inner = _shape_of(args[0])
        return ("seq", inner) if inner is not None else None
    if origin is dict and len(args) == 2:
        inner = _shape_of(args[1])
        return ("map", inner) if inner is not None else None
    return None


def _check_languages(report: _Report, model: BaseModel, languages: tuple[str, ...]) -> None:
    for where, text in _texts(model, ()):
        missing = [lang for lang in languages if lang not in text]
        if missing:
            report.warning(where, f"text lacks {', '.join(missing)}; the default language is shown")
        unknown = [lang for lang in text if lang not in languages]
        if unknown:
            declared = ", ".join(languages)
            report.warning(
                where, f"language {', '.join(unknown)} is not declared (languages: [{declared}])"
            )


def _conditions(
    condition: Condition | None, path: DataPath
) -> Iterator[tuple[DataPath, Condition]]:
    if condition is None:
        return
    yield path, condition
    for key, group in (("all", condition.all_), ("any", condition.any_)):
        for index, inner in enumerate(group or ()):
            yield from _conditions(inner, (*path, key, index))
    yield from _conditions(condition.not_, (*path, "not"))


def check_rubric(rubric: Rubric, places: Places, path: str) -> list[Finding]:
    """Scale order, descriptor keys, unique ids, translations, and the id/file name match."""
    report = _Report(path, places)
    if not ID_PATTERN.fullmatch(rubric.id):
        report.error(("id",), f"rubric id `{rubric.id}` must use only a-z, 0-9 and -")
    points = [level.points for level in rubric.levels]
    for index in range(1, len(points)):
        if points[index] <= points[index - 1]:
            report.error(
                ("levels", index, "points"),
                f"level points must strictly increase: {points[index]:g} follows "
                f"{points[index - 1]:g}",
            )
    _check_percent(report, rubric, points)
    seen: set[str] = set()
    for index, criterion in enumerate(rubric.criteria):
        if criterion.id in seen:
            report.error(("criteria", index, "id"), f"duplicate criterion id `{criterion.id}`")
        seen.add(criterion.id)
        for key in criterion.descriptors:
            if key not in points:
                report.error(
                    ("criteria", index, "descriptors", key),
                    f"descriptor for {key:g} points, but the levels are "
                    f"{', '.join(f'{p:g}' for p in points)}",
                    key=True,
                )
        lacking = [p for p in points if p not in criterion.descriptors]
        if lacking:
            report.warning(
                ("criteria", index, "descriptors"),
                f"criterion `{criterion.id}` has no descriptor for "
                f"{', '.join(f'{p:g}' for p in lacking)} points",
                key=True,
            )
    languages = tuple(sorted({lang for _, text in _texts(rubric, ()) for lang in text}))
    _check_languages(report, rubric, languages)
    stem = path.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    if stem != rubric.id:
        report.warning(
            ("id",),
            f"rubric id `{rubric.id}` differs from the file name `{stem}`; scenarios find "
            f"rubrics by file name, so name the file `{rubric.id}.yaml`",
        )
    return sorted(report.findings)


def _check_percent(report: _Report, rubric: Rubric, points: list[float]) -> None:
    """A declared level → percent mapping names every level once, within 0–100, never falling."""
    if rubric.percent is None:
        return
    listed = ", ".join(f"{p:g}" for p in points)
    for key, value in rubric.percent.items():
        if key not in points:
            report.error(
                ("percent", key),
                f"percent for {key:g} points, but the levels are {listed}",
                key=True,
            )
        if not 0 <= value <= 100:
            report.error(("percent", key), f"a percent lies between 0 and 100, not {value:g}")
    lacking = [p for p in points if p not in rubric.percent]
    if lacking:
        report.error(
            ("percent",),
            f"`percent` must give every level a percent; missing "
            f"{', '.join(f'{p:g}' for p in lacking)} (levels: {listed})",
            key=True,
        )
        return
    mapped = [rubric.percent[p] for p in points]
    for index in range(1, len(mapped)):
        if mapped[index] < mapped[index - 1]:
            report.error(
                ("percent", points[index]),
                f"a higher level may not be worth less: {points[index]:g} points → "
                f"{mapped[index]:g}% is below {points[index - 1]:g} points → "
                f"{mapped[index - 1]:g}%",
            )


def check_scenario(
    scenario: Scenario,
    places: Places,
    path: str,
    rubrics: Mapping[str, Rubric | None],
    reachability: EndingReachability | None = None,
    worst_unobserved: WorstUnobserved | None = None,
    *,
    classroom: Mapping[str, Rubric] | None = None,
) -> list[Finding]:
    """Every reference resolves, evidence lies on its scale, and the case can be played through.

    `rubrics` maps each id the scenario lists to its loaded rubric, or None when no file was
    found (or the file has errors of its own). `classroom` is the rubric rated in class when
    the scenario lists none rated by people (the bundled `classroom-performance`): a case may
    give examples for it too.
    """
    report = _Report(path, places)
    sc = scenario
    if not ID_PATTERN.fullmatch(sc.id):
        report.error(("id",), f"id `{sc.id}` must use only lowercase a-z, 0-9 and -")
    if len(set(sc.languages)) != len(sc.languages) or not sc.languages:
        report.error(("languages",), "list each language once, the default first")

    role_ids = _unique(report, "roles", [r.id for r in sc.roles], "role")
    kp_ids = _unique(
        report, "knowledge_points", [k.id for k in sc.knowledge_points], "knowledge point"
    )
    ending_ids = _unique(report, "endings", [e.id for e in sc.endings], "ending")
    all_choice_ids = {c.id for scene in sc.scenes.values() for c in scene.choices}

    for name in sc.state:
        if name == "set":
            report.error(("state", name), "a state variable may not be named `set`", key=True)

    # Rubrics and their weights.
    # The rubric ids the evidence names: the likeliest fix for a listed id that is not found.
    named = sorted(
        {
            key.partition(".")[0]
            for scene in sc.scenes.values()
            for evidence in (
                *(c.evidence for c in scene.choices),
                *(r.evidence for r in scene.reasons),
            )
            for key in evidence
        }
        - set(sc.rubrics)
    )
    for index, rubric_id in enumerate(sc.rubrics):
        if not ID_PATTERN.fullmatch(rubric_id):
            report.error(
                ("rubrics", index),
                f"rubrics[{index}]: `{rubric_id[:60]}` is not a rubric id; write the id of a "
                "rubric (lowercase a-z, 0-9 and -), which is looked up in ../rubrics/ beside "
                "the scenario's folder and among the bundled rubrics, never as a path",
            )
        elif rubrics.get(rubric_id) is None:
            report.error(
                ("rubrics", index),
                f"rubric `{rubric_id}` not found: looked for ../rubrics/{rubric_id}.yaml "
                f"beside the scenario's folder and among the bundled rubrics"
                f"{report.suggest(rubric_id, named)}",
            )
    if len(set(sc.rubrics)) != len(sc.rubrics):
        report.error(("rubrics",), "a rubric is listed twice", key=True)
    for rubric_id, weight in sc.rubric_weights.items():
        if rubric_id not in sc.rubrics:
            report.error(
                ("rubric_weights", rubric_id),
                f"weight for `{rubric_id}`, which is not in `rubrics`"
                f"{report.suggest(rubric_id, sc.rubrics)}",
                key=True,
            )
        if weight < 0:
            report.error(("rubric_weights", rubric_id), "weights must not be negative")

    if sc.start not in sc.scenes:
        report.error(
            ("start",),
            f"start scene `{sc.start}` does not exist{report.suggest(sc.start, sc.scenes)}",
        )

    taught: set[str] = set()
    evidenced: set[tuple[str, str]] = set()

    def check_condition(where: DataPath, condition: Condition | None) -> None:
        for at, cond in _conditions(condition, where):
            if cond.var is not None and cond.var not in sc.state:
                report.error(
                    (*at, "var"),
                    f"unknown state variable `{cond.var}`{report.suggest(cond.var, sc.state)}",
                )
            if cond.chose is not None and cond.chose not in all_choice_ids:
                report.error(
                    (*at, "chose"),
                    f"no choice has the id `{cond.chose}`"
                    f"{report.suggest(cond.chose, all_choice_ids)}",
                )

    def check_refs(
        where: DataPath, knowledge: tuple[str, ...], evidence: Mapping[str, float]
    ) -> None:
        for index, kp in enumerate(knowledge):
            if kp not in kp_ids:
                report.error(
                    (*where, "knowledge", index),
                    f"unknown knowledge point `{kp}`{report.suggest(kp, kp_ids)}",
                )
            taught.add(kp)
        for key, value in evidence.items():
            _check_evidence(report, sc, rubrics, (*where, "evidence", key), key, value, evidenced)

    for scene_id, scene in sc.scenes.items():
        at: DataPath = ("scenes", scene_id)
        if scene.speaker is not None and scene.speaker not in role_ids:
            report.error(
                (*at, "speaker"),
                f"unknown role `{scene.speaker}`{report.suggest(scene.speaker, role_ids)}",
            )
        if scene.ending is not None and scene.ending not in ending_ids:
            report.error(
                (*at, "ending"),
                f"unknown ending `{scene.ending}`{report.suggest(scene.ending, ending_ids)}",
            )
        for index, variant in enumerate(scene.variants):
            check_condition((*at, "variants", index, "when"), variant.when)
            if variant.text is None and variant.line is None:
                report.warning(
                    (*at, "variants", index),
                    "this variant changes nothing: give it `text` or `line`",
                )
        choice_ids = _unique(report, (*at, "choices"), [c.id for c in scene.choices], "choice")
        for index, choice in enumerate(scene.choices):
            cat: DataPath = (*at, "choices", index)
            if choice.next != END and choice.next not in sc.scenes:
                report.error(
                    (*cat, "next"),
                    f"`next: {choice.next}` is neither a scene nor "
                    f"`end`{report.suggest(choice.next, [*sc.scenes, END])}",
                )
            check_condition((*cat, "requires"), choice.requires)
            for effect in choice.effects:
                if effect.var not in sc.state:
                    where = (
                        (*cat, "effects", "set", effect.var)
                        if effect.op == "set"
                        else (*cat, "effects", effect.var)
                    )
                    report.error(
                        where,
                        f"unknown state variable `{effect.var}`"
                        f"{report.suggest(effect.var, sc.state)}",
                        key=True,
                    )
            check_refs(cat, choice.knowledge, choice.evidence)
        _unique(report, (*at, "reasons"), [r.id for r in scene.reasons], "reason")
        for index, reason in enumerate(scene.reasons):
            rat: DataPath = (*at, "reasons", index)
            for s_index, supported in enumerate(reason.supports):
                if supported not in choice_ids:
                    report.error(
                        (*rat, "supports", s_index),
                        f"`{supported}` is not a choice of scene `{scene_id}`"
                        f"{report.suggest(supported, choice_ids)}",
                    )
            if not reason.supports:
                report.warning(
                    (*rat, "id"),
                    f"reason `{reason.id}` supports no choice, so it "
                    "always scores the lowest level",
                )
            check_refs(rat, reason.knowledge, reason.evidence)

    for index, ending in enumerate(sc.endings):
        check_condition(("endings", index, "when"), ending.when)
        check_refs(("endings", index), (), ending.evidence)
    last = len(sc.endings) - 1
    if sc.endings[last].when is not None:
        report.error(
            ("endings", last, "when"),
            f"the last ending, `{sc.endings[last].id}`, is the fallback and must have no "
            "`when` (move it up, or add an ending without `when` after it)",
            key=True,
        )
    for index, ending in enumerate(sc.endings[:last]):
        if ending.when is None:
            later = ", ".join(e.id for e in sc.endings[index + 1 :])
            report.warning(
                ("endings", index),
                f"ending `{ending.id}` has no `when`, so the "
                f"endings after it ({later}) can never be reached",
            )

    _check_graph(report, sc)
    if reachability is not None and not report.findings_with_errors():
        reached = reachability(sc)
        if reached is not None:
            for index, ending in enumerate(sc.endings):
                if not reached.get(ending.id, False):
                    report.warning(
                        ("endings", index),
                        f"ending `{ending.id}` can never be "
                        "reached: no run satisfies its `when` at `end`",
                    )

    if worst_unobserved is not None and not report.findings_with_errors():
        known = {k: r for k, r in rubrics.items() if r is not None}
        found = worst_unobserved(sc, known) if all(r in known for r in sc.rubrics) else None
        ending_id, unjudged = found or ("", [])
        worst_at = next((i for i, e in enumerate(sc.endings) if e.id == ending_id), None)
        for key in unjudged:
            report.warning(
                ("endings", worst_at) if worst_at is not None else ("endings",),
                f"the worst path (see `sim analyze`) ends at `{ending_id}` and never judges "
                f"`{key}`: a run that "
                "fails is scored as if it had not been tried; give that ending "
                f"`evidence: {{{key}: LOWEST}}` or evidence on its choices",
            )

    for index, kp in enumerate(sc.knowledge_points):
        if kp.id not in taught:
            report.warning(
                ("knowledge_points", index),
                f"knowledge point `{kp.id}` is never "
                "taught: no choice or reason lists it under `knowledge`",
            )
    for index, rubric_id in enumerate(sc.rubrics):
        rubric = rubrics.get(rubric_id)
        if rubric is None or not rubric.is_auto:
            continue
        for criterion in rubric.criteria:
            if (rubric_id, criterion.id) not in evidenced:
                report.warning(
                    ("rubrics", index),
                    f"criterion `{rubric_id}.{criterion.id}` "
                    "gets evidence from no choice or reason",
                )
    _check_examples(report, sc, {**(classroom or {}), **rubrics})
    _check_languages(report, sc, sc.languages)
    return sorted(set(report.findings))


def _check_examples(report: _Report, sc: Scenario, rubrics: Mapping[str, Rubric | None]) -> None:
    """`rubric_examples` name a rubric the case uses, one of its criteria, and its levels."""
    for key, levels in sc.rubric_examples.items():
        where: DataPath = ("rubric_examples", key)
        rubric_id, dot, criterion_id = key.partition(".")
        if rubric_id in report.unlisted:
            continue  # already reported at its first use: one error per unlisted rubric
        if rubric_id not in rubrics:
            report.unlisted.add(rubric_id)
            report.error(
                where,
                f"example for `{rubric_id}`, which is not a rubric this case is scored or "
                f"rated on{suggest(rubric_id, list(rubrics))}",
                key=True,
            )
            continue
        rubric = rubrics[rubric_id]
        if rubric is None:
            continue  # already reported where the rubric is listed
        ids = [c.id for c in rubric.criteria]
        if not dot or not criterion_id:
            report.error(
                where,
                f"an example belongs to one criterion: write `{rubric_id}.CRITERION` "
                f"(one of {', '.join(ids)})",
                key=True,
            )
            continue
        if rubric.criterion(criterion_id) is None:
            report.error(
                where,
                f"rubric `{rubric_id}` has no criterion `{criterion_id}`"
                f"{suggest(criterion_id, ids)}",
                key=True,
            )
            continue
        points = [level.points for level in rubric.levels]
        for level in levels:
            if level not in points:
                report.error(
                    (*where, level),
                    f"example for {level:g} points, but the levels of `{rubric_id}` are "
                    f"{', '.join(f'{p:g}' for p in points)}",
                    key=True,
                )


def _unique(report: _Report, where: str | DataPath, ids: list[str], what: str) -> set[str]:
    base: DataPath = (where,) if isinstance(where, str) else where
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            report.error((*base, index, "id"), f"duplicate {what} id `{item}`")
        seen.add(item)
    return seen


def _check_evidence(
    report: _Report,
    sc: Scenario,
    rubrics: Mapping[str, Rubric | None],
    where: DataPath,
    key: str,
    value: float,
    evidenced: set[tuple[str, str]],
) -> None:
    rubric_id, _, criterion_id = key.partition(".")
    if rubric_id not in sc.rubrics:
        # Once per rubric id: one typo in `rubrics:` must not bury the file in knock-on errors.
        if rubric_id not in report.unlisted:
            report.unlisted.add(rubric_id)
            report.error(
                where,
                f"evidence for `{rubric_id}`, which is not in the scenario's "
                f"`rubrics`{report.suggest(rubric_id, sc.rubrics)} "
                "(reported at its first use only)",
                key=True,
            )
        return
    rubric = rubrics.get(rubric_id)
    if rubric is None:
        return  # already reported where the rubric is listed
    if not rubric.is_auto:
        report.error(
            where,
            f"rubric `{rubric_id}` is rated by {', '.join(rubric.rated_by)}; "
            "evidence may only name rubrics rated `auto`",
            key=True,
        )
        return
    scale = report.scales.get(rubric_id)
    if scale is None:
        scale = (rubric.lowest, rubric.highest, tuple(c.id for c in rubric.criteria))
        report.scales[rubric_id] = scale
    lowest, highest, ids = scale
    if criterion_id:
        if criterion_id not in ids:
            report.error(
                where,
                f"rubric `{rubric_id}` has no criterion `{criterion_id}`"
                f"{report.suggest(criterion_id, list(ids))}",
                key=True,
            )
            return
        evidenced.add((rubric_id, criterion_id))
    else:
        evidenced.update([(rubric_id, c) for c in ids])
    if not lowest <= value <= highest:
        report.error(
            where,
            f"{value:g} is off the scale of `{rubric_id}` ({lowest:g} to {highest:g})",
        )


def _check_graph(report: _Report, sc: Scenario) -> None:
    """Unreachable scenes and scenes from which no ending can be reached (ignoring state)."""
    if sc.start not in sc.scenes:
        return
    successors = {
        scene_id: {c.next for c in scene.choices if c.next == END or c.next in sc.scenes}
        for scene_id, scene in sc.scenes.items()
    }
    seen = {sc.start}
    frontier = [sc.start]
    while frontier:
        for nxt in successors[frontier.pop()]:
            if nxt != END and nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    # A scene with a `next` that goes nowhere already has its error; where that `next` was
    # meant to lead is unknown, so it counts as a way out here (no cascade of warnings).
    finishing = {
        sid
        for sid, scene in sc.scenes.items()
        if scene.ending is not None
        or END in successors[sid]
        or any(c.next != END and c.next not in sc.scenes for c in scene.choices)
    }
    # Backwards from the finishing scenes over a predecessor map: linear in the choices.
    predecessors: dict[str, list[str]] = {sid: [] for sid in sc.scenes}
    for sid, nexts in successors.items():
        for nxt in nexts:
            if nxt != END:
                predecessors[nxt].append(sid)
    frontier = list(finishing)
    while frontier:
        for before in predecessors[frontier.pop()]:
            if before not in finishing:
                finishing.add(before)
                frontier.append(before)
    for scene_id in sc.scenes:
        if scene_id not in seen:
            report.warning(
                ("scenes", scene_id),
                f"scene `{scene_id}` is unreachable: no choice leads to it from the start",
                key=True,
            )
        elif scene_id not in finishing:
            report.warning(
                ("scenes", scene_id),
                f"from scene `{scene_id}` no ending can be reached: every path loops",
                key=True,
            )
