"""The stable JSON shapes of PRODUCT.md (other tools rely on these keys: keep them exactly)."""

from __future__ import annotations

from typing import Any

from sim.engine import Run
from sim.scoring import Scorecard


def points(value: float | None) -> float | int | None:
    """Level points as the author wrote them: 4, not 4.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def scores_json(card: Scorecard) -> dict[str, Any]:
    return {
        "overall": card.overall,
        "rubrics": {
            rubric_id: {
                "percent": result.percent,
                "criteria": {
                    c.criterion: {
                        "score": c.score,
                        "level": points(c.level.points) if c.level else None,
                        "observed": c.observed,
                    }
                    for c in result.criteria
                },
            }
            for rubric_id, result in card.rubrics.items()
        },
    }


def run_json(scenario_id: str, run: Run, card: Scorecard) -> dict[str, Any]:
    return {
        "scenario": scenario_id,
        "path": [step.as_dict() for step in run.steps],
        "ending": run.ending,
        "state": dict(run.values),
        "scores": scores_json(card),
    }
