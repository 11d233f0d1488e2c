"""Conditions (`when`, `requires`): comparisons, `chose`, and the all/any/not combinators."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.model.base import Frozen, Number

COMPARISONS = ("lt", "lte", "gt", "gte", "eq", "ne")
"""The comparison operators, in the order they are listed in error messages."""


class Condition(Frozen):
    """One condition. Exactly one form: a variable comparison, `chose`, `all`, `any` or `not`.

    A single model with optional keys (rather than a union of models) keeps validation errors
    pointing at the author's own keys, and lets an unknown key get a "did you mean".
    """

    var: str | None = None
    """State variable compared with the operators given beside it (all must hold)."""
    lt: Number | None = None
    lte: Number | None = None
    gt: Number | None = None
    gte: Number | None = None
    eq: Number | None = None
    ne: Number | None = None
    chose: str | None = None
    """True once the choice with this id was taken in this run."""
    all_: tuple[Condition, ...] | None = Field(default=None, alias="all")
    """True when every condition listed holds."""
    any_: tuple[Condition, ...] | None = Field(default=None, alias="any")
    """True when at least one condition listed holds."""
    not_: Condition | None = Field(default=None, alias="not")
    """True when the condition given does not hold."""

    def comparisons(self) -> list[tuple[str, float]]:
        """The (operator, number) pairs of a variable comparison, in operator order."""
        pairs = [(op, getattr(self, op)) for op in COMPARISONS]
        return [(op, value) for op, value in pairs if value is not None]

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [
            name
            for name, present in (
                ("var", self.var is not None),
                ("chose", self.chose is not None),
                ("all", self.all_ is not None),
                ("any", self.any_ is not None),
                ("not", self.not_ is not None),
            )
            if present
        ]
        has_ops = bool(self.comparisons())
        if not forms:
            if has_ops:
                raise ValueError("a comparison needs `var: NAME` to say what it compares")
            raise ValueError(
                "empty condition; write {var: NAME, gte: N}, {chose: ID}, "
                "{all: [...]}, {any: [...]} or {not: ...}"
            )
        if len(forms) > 1:
            raise ValueError(
                f"a condition has one form, this one has {', '.join(forms)}; "
                "combine several with {all: [...]} or {any: [...]}"
            )
        if forms[0] == "var" and not has_ops:
            raise ValueError(
                f"`var: {self.var}` needs an operator: one of {', '.join(COMPARISONS)}"
            )
        if forms[0] != "var" and has_ops:
            raise ValueError("comparison operators belong with `var: NAME`")
        return self
