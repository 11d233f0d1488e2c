"""A solo practice attempt: the engine's moves, each committed to the store before it counts.

The TUI calls this; it holds no widgets. The run is always re-derived from the stored events,
so what the screen shows is what a restart would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim import order as option_order
from sim.cases import Case
from sim.engine import MoveError, Run, Step, available_choices, choose, give_reason, start
from sim.model import Choice, Reason
from sim.order import Seed, shown_order
from sim.scoring import Scorecard, score_path
from sim.session import Event, fold, live_events
from sim.store import Store

SOLO = "solo"


@dataclass
class Attempt:
    """One practice attempt (a `practice` session with one team)."""

    case: Case
    store: Store
    session_id: int
    run: Run
    settings: dict[str, Any]
    team: str = SOLO
    """Whose moves these are: `solo` in practice; a recorded run keeps its team's name."""

    @classmethod
    def begin(
        cls,
        case: Case,
        store: Store,
        settings: dict[str, Any] | None = None,
        steps: tuple[Step, ...] = (),
        replayed_from: int | None = None,
        order_seed: Seed | None = None,
    ) -> Attempt:
        """A new attempt; `steps` replays an earlier attempt's first decisions into it.

        `order_seed` keeps a given option order (`sim play --watch` reloading the case under
        the author's hands); otherwise each attempt draws its own."""
        settings = dict(settings or {})
        # This attempt's own option order (sim.order), kept so resume and history show it;
        # drawn afresh even when a replay passes on the earlier attempt's settings.
        settings["order_seed"] = order_seed if order_seed is not None else option_order.new_seed()
        if replayed_from is not None:
            settings["replayed_from"] = replayed_from
        session_id = store.create_session(
            case.scenario.id, "practice", [SOLO], case.stored_path, settings, case.files
        )
        attempt = cls(case, store, session_id, start(case.scenario), settings)
        for step in steps:
            attempt.choose(step.choice)
            if step.reason is not None:
                attempt.give_reason(step.reason)
        return attempt

    @classmethod
    def resume(cls, case: Case, store: Store, session_id: int) -> Attempt:
        """Reopen a practice attempt, or a recorded run (`sim run --record`) under its team."""
        events = store.events(session_id)
        state = fold(case.scenario, events)
        info = store.session(session_id)
        team = info.teams[0] if info is not None and info.teams else SOLO
        progress = state.teams.get(team)
        run = progress.run if progress else start(case.scenario)
        return cls(case, store, session_id, run, state.settings, team)

    def problems_with(self, case: Case) -> list[tuple[int, str]]:
        """The stored moves that would not replay in `case` (event number, why)."""
        return fold(case.scenario, self.store.events(self.session_id)).problems

    def adopt(self, case: Case) -> None:
        """Play on with `case` (the case file edited since, chosen on resume): stored first,
        then used. Refused (MoveError) when a stored move no longer replays in it."""
        state = fold(case.scenario, self.store.events(self.session_id))
        if state.problems or case.scenario.id != self.case.scenario.id:
            seq, why = state.problems[0] if state.problems else (0, "another case")
            raise MoveError(f"event {seq} no longer replays in the edited case: {why}", [])
        self.store.keep_files(self.session_id, case.files)
        self.case = case
        progress = state.teams.get(self.team)
        self.run = progress.run if progress else start(case.scenario)

    # Moves: each is stored first, then applied -------------------------------------------

    @property
    def order_seed(self) -> Seed:
        """The seed of this attempt's option order; None (file order) for older sessions."""
        seed = self.settings.get("order_seed")
        return seed if isinstance(seed, int | str) else None

    def choices(self) -> list[Choice]:
        """The choices on offer, in the order this attempt shows them."""
        offered = available_choices(self.case.scenario, self.run)
        return shown_order(self.case.scenario, self.run.scene, "choices", offered, self.order_seed)

    def reasons(self) -> list[Reason]:
        """The reasons to pick from, in the order this attempt shows them."""
        if self.run.pending is None:
            return []
        scene = self.case.scenario.scenes[self.run.scene]
        return shown_order(
            self.case.scenario, self.run.scene, "reasons", scene.reasons, self.order_seed
        )

    def choose(self, choice_id: str) -> Run:
        moved = choose(self.case.scenario, self.run, choice_id)  # refuses before storing
        self.store.append(
            self.session_id, "choice", self.team, {"scene": self.run.scene, "choice": choice_id}
        )
        self.run = moved
        self._finish_if_ended()
        return self.run

    def give_reason(self, reason_id: str) -> Run:
        moved = give_reason(self.case.scenario, self.run, reason_id)
        self.store.append(
            self.session_id, "reason", self.team, {"scene": self.run.scene, "reason": reason_id}
        )
        self.run = moved
        self._finish_if_ended()
        return self.run

    def take_back_choice(self) -> Run:
        """Withdraw a choice still waiting for its reason (a correction voids it)."""
        events = self.store.events(self.session_id)
        live, _ = live_events(events)
        last: Event | None = live[-1] if live else None
        if self.run.pending is None or last is None or last.type != "choice":
            return self.run
        self.store.append(self.session_id, "correction", None, {"undo": last.seq})
        progress = fold(self.case.scenario, self.store.events(self.session_id)).teams.get(self.team)
        self.run = progress.run if progress else start(self.case.scenario)
        return self.run

    def _finish_if_ended(self) -> None:
        if self.run.finished:
            self.store.append(self.session_id, "finished", self.team, {"ending": self.run.ending})
            self.store.append(self.session_id, "finished", None, {})

    def scorecard(self) -> Scorecard:
        return score_path(self.case.scenario, self.case.rubrics, self.run.steps, self.run.ending)


def attempts_of(store: Store, scenario_id: str) -> list[int]:
    """Practice and recorded sessions of a case, newest first."""
    return [
        info.id
        for info in reversed(store.sessions())
        if info.scenario == scenario_id and info.kind in ("practice", "record")
    ]


def unfinished_attempt(store: Store, scenario_id: str) -> int | None:
    for info in reversed(store.sessions()):
        if info.scenario == scenario_id and info.kind == "practice" and not info.finished:
            return info.id
    return None


def endings_found(store: Store, case: Case) -> set[str]:
    """Endings this case's attempts have reached so far."""
    found: set[str] = set()
    for session_id in attempts_of(store, case.scenario.id):
        state = fold(case.scenario, store.events(session_id))
        for progress in state.teams.values():
            if progress.run.ending:
                found.add(progress.run.ending)
    return found
