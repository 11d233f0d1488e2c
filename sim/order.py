"""The order options are shown in: drawn afresh per attempt and per team, reproducible from a seed.

If every case lists its best option first, students learn "press 1", not customer value. So
choices and reasons are shown in an order drawn from a seed stored in the session: the same
seed gives the same order on resume, in history and in the debrief, while each practice
attempt and each team in a class gets its own. A case or a scene may set `shuffle: false`
where order carries meaning (a scale, a sequence). Pure: no I/O, no randomness of its own.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Protocol, TypeVar

from sim.model import Scenario


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_HasId)

Seed = int | str | None
"""A session's `order_seed` (and, in a class, the team's name joined to it); None keeps file
order, which is how sessions stored before shuffling were played."""


def new_seed() -> int | None:
    """A fresh seed for a new attempt or class (tests replace it to keep file order)."""
    return secrets.randbits(32)


def shuffles(scenario: Scenario, scene_id: str) -> bool:
    """Whether this scene's options are shuffled: the scene's own `shuffle`, else the case's."""
    scene = scenario.scenes.get(scene_id)
    if scene is not None and scene.shuffle is not None:
        return scene.shuffle
    return scenario.shuffle


def _rank(seed: Seed, scope: str, item_id: str) -> bytes:
    return hashlib.blake2b(f"{seed}\x1f{scope}\x1f{item_id}".encode(), digest_size=8).digest()


def shown_order(
    scenario: Scenario, scene_id: str, kind: str, items: Sequence[Item], seed: Seed
) -> list[Item]:
    """`items` (a scene's choices or reasons) in the order this seed shows them.

    Each item's place comes from a hash of (seed, scene, kind, id), so the order of any subset
    is the same as in the whole list: a choice that becomes available later does not reshuffle
    the others.
    """
    if seed is None or not shuffles(scenario, scene_id):
        return list(items)
    scope = f"{scene_id}\x1f{kind}"
    return sorted(items, key=lambda item: _rank(seed, scope, item.id))


def team_seed(seed: Seed, team: str) -> Seed:
    """A team's own seed within a class (None stays None: file order)."""
    return None if seed is None else f"{seed}\x1f{team}"
