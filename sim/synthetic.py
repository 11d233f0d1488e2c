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
