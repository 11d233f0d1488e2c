"""Synthetic cases for benchmarks and tests: chains of scenes of any length, as YAML text."""

from __future__ import annotations


def chain_yaml(scenes: int, choices: int = 2, *, with_state: bool = False) -> str:
    """A case of `scenes` decision scenes in a row, each with `choices` choices.

    With no state it has exactly choices**scenes paths. With state, each choice moves a
    variable, so the number of distinct states grows with the depth.
    """
    lines = [
        "format: 1",
        f"id: chain-{scenes}",
        f"title: Chain of {scenes}",
        "languages: [en]",
        "rubrics: [communication]",
    ]
    if with_state:
        lines += ["state:", "  score: {initial: 0, min: 0, max: 1000}"]
    lines += ["start: s0", "scenes:"]
    for index in range(scenes):
        following = f"s{index + 1}" if index + 1 < scenes else "end"
        lines += [f"  s{index}:", f"    text: Scene {index}", "    choices:"]
        for option in range(choices):
            effects = f", effects: {{score: {option}}}" if with_state else ""
            points = 1 + (option + index) % 4
            lines.append(
                f"      - {{id: c{index}-{option}, text: Option {option}, next: {following}, "
                f"evidence: {{communication: {points}}}{effects}}}"
            )
    lines += ["endings:", "  - id: only", "    title: The end"]
    return "\n".join(lines) + "\n"


def wide_scene_yaml(choices: int) -> str:
    """One scene offering `choices` choices, each straight to the end, written compactly so
    that 100,000 of them fit under the 4 MB file limit (every tenth carries evidence)."""
    lines = [
        "format: 1",
        f"id: wide-{choices}",
        f"title: One scene, {choices} choices",
        "languages: [en]",
        "rubrics: [communication]",
        "start: s0",
        "scenes:",
        " s0:",
        "  text: Pick one",
        "  choices:",
    ]
    for n in range(choices):
        evidence = f",evidence: {{communication: {1 + n % 4}}}" if n % 10 == 0 else ""
        lines.append(f"  - {{id: c{n},text: o,next: end{evidence}}}")
    lines += ["endings:", "  - id: only", "    title: The end"]
    return "\n".join(lines) + "\n"


def loop_yaml(scenes: int = 2, *, exits: bool = True) -> str:
    """Scenes in a ring (s0 -> s1 -> ... -> s0), each also offering a way out when `exits`.

    A walk that follows choices never runs out of moves: the analyser must notice the ring.
    """
    lines = [
        "format: 1",
        f"id: loop-{scenes}",
        f"title: A ring of {scenes}",
        "languages: [en]",
        "rubrics: [communication]",
        "start: s0",
        "scenes:",
    ]
    for index in range(scenes):
        following = f"s{(index + 1) % scenes}"
        lines += [f"  s{index}:", f"    text: Scene {index}", "    choices:"]
        lines.append(
            f"      - {{id: on{index}, text: Go on, next: {following}, "
            f"evidence: {{communication: {1 + index % 4}}}}}"
        )
        lines.append(
            f"      - {{id: back{index}, text: Again, next: {following}, "
            f"evidence: {{communication: {1 + (index + 1) % 4}}}}}"
        )
        if exits:
            lines.append(
                f"      - {{id: out{index}, text: Leave, next: end, "
                "evidence: {communication: 2}}"
            )
    lines += ["endings:", "  - id: only", "    title: The end"]
    return "\n".join(lines) + "\n"


def recording_yaml(scenes: int = 30, choices: int = 8) -> str:
    """A chain whose variables record the path taken, so that every prefix is a distinct state:
    choices**scenes states, the worst case for analysis (a 20 KB file at 30 x 8).

    Each scene adds `option * choices**k` to one of several variables (a new variable every
    ten scenes, so each stays far below the number limit): distinct paths, distinct sums.
    """
    group = 10
    variables = (scenes + group - 1) // group
    top = choices**group
    lines = [
        "format: 1",
        f"id: record-{scenes}x{choices}",
        f"title: A path-recording chain of {scenes} scenes",
        "languages: [en]",
        "rubrics: [communication]",
        "state:",
    ]
    lines += [f"  trail{v}: {{initial: 0, min: 0, max: {top}}}" for v in range(variables)]
    lines += ["start: s0", "scenes:"]
    for index in range(scenes):
        following = f"s{index + 1}" if index + 1 < scenes else "end"
        lines += [f"  s{index}:", f"    text: Scene {index}", "    choices:"]
        variable, power = divmod(index, group)
        for option in range(choices):
            delta = option * choices**power
            lines.append(
                f"      - {{id: c{index}-{option}, text: Option {option}, next: {following}, "
                f"effects: {{trail{variable}: {delta}}}, "
                f"evidence: {{communication: {1 + option % 4}}}}}"
            )
    lines += ["endings:", "  - id: only", "    title: The end"]
    return "\n".join(lines) + "\n"


def broken_next_yaml(scenes: int) -> str:
    """A chain in which every `next:` is misspelt: one finding per scene, each a candidate for
    "did you mean"."""
    return chain_yaml(scenes).replace("next: s", "next: sc")
