"""The base of every format-1 model: immutable, and unknown keys are errors."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

LIMIT = 1e12
"""The largest magnitude of any number in a case or rubric. A trillion is more than any case's
money, and small enough that weighted sums of such numbers stay finite: `1e308` weights or
points made the overall score `nan` (and `NaN` is not JSON)."""

Number = Annotated[float, Strict(), Field(ge=-LIMIT, le=LIMIT)]
"""A number as YAML wrote it: `"4"` (quoted) and `true` are not numbers; at most LIMIT in size."""

Count = Annotated[int, Strict()]

Flag = Annotated[bool, Strict()]
"""Only `true` and `false`: pydantic's lax mode would read "yes" and "off" as booleans."""


class Frozen(BaseModel):
    """Frozen and typo-proof. Lax mode (so YAML lists fill tuples) with strict scalars."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        populate_by_name=True,
    )
