"""`sim play CASE --watch`: the case reloads as its author saves it.

An author writes a case in an editor beside the app. Each save is picked up (the files'
modification times and sizes, checked twice a second: no extra dependency, and a case is a
handful of small files), read by the same loader and validator as any case, and either
swapped in — the moves played so far replayed on the new version as far as they still
exist — or, when the file has errors, shown in the app while the last good version plays on.
A watched run is a preview: its attempts go to a throwaway store, never to the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.cases import Case
from sim.engine import MoveError
from sim.practice import Attempt
from sim.store import Store

Signature = dict[str, tuple[int, int] | None]


def signature(paths: list[Path]) -> Signature:
    """Each file's modification time and size (None when it is missing)."""
    found: Signature = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            found[str(path)] = None
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


class CaseWatcher:
    """The case file and the rubric files it uses, and whether any changed since looked at."""

    def __init__(self, path: Path, case: Case | None = None) -> None:
        self.path = path
        self.paths = [path]
        if case is not None:
            self.follow(case)
        self.seen = signature(self.paths)

    def follow(self, case: Case) -> None:
        """Watch the files this version of the case was read from (its rubrics may change)."""
        self.paths = [self.path, *(Path(f.path) for f in case.files if f.role == "rubric")]
        self.seen = signature(self.paths)

    def changed(self) -> bool:
        now = signature(self.paths)
        if now == self.seen:
            return False
        self.seen = now
        return True


@dataclass(frozen=True)
class Replayed:
    attempt: Attempt
    kept: int
    """Moves (a choice, a reason) replayed on the new version."""
    total: int
    stopped: str | None = None
    """Why the replay stopped early (the engine's refusal), or None when every move replayed."""


def replay(case: Case, store: Store, old: Attempt) -> Replayed:
    """A new attempt on `case` with `old`'s moves, as far as they still exist, and its order."""
    moves: list[tuple[str, str]] = []
    for step in old.run.steps:
        moves.append(("choice", step.choice))
        if step.reason is not None:
            moves.append(("reason", step.reason))
    if old.run.pending is not None:
        moves.append(("choice", old.run.pending))
    attempt = Attempt.begin(case, store, old.settings, order_seed=old.order_seed)
    for kept, (kind, move_id) in enumerate(moves):
        try:
            if kind == "choice":
                attempt.choose(move_id)
            else:
                attempt.give_reason(move_id)
        except MoveError as refused:
            return Replayed(attempt, kept, len(moves), refused.message)
    return Replayed(attempt, len(moves), len(moves))
