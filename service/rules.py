"""The model's rules a write must keep, stated once for the GraphQL mutations and the loaders: a value a
mutation refuses is a rejected row of a file with the same error (code and message).

Each rule raises the AllianceError a mutation answers; its `field` names the input at fault. The loaders
call the same functions from their row models (loaders/kinds.py, loaders/workflow_kinds.py), whose
validators turn the error into the row's reject reason word for word (`RuleBroken`). The claim rule lives
in service/claims.py (its stores apply it inside their write lock); identity codes in service/codes.py.

Rules:
- an agreement's validTo is not before its validFrom;
- an agreement has at least two parties, each unit once and each role (甲方, 乙方 …) once: PARTY_TO is
  single per role (service/registry.py), so a second party with the same role would replace the first;
- a claim asks for a quantity above zero;
- a service centre's area is not negative;
- a wish's rating is a whole number from 1 to 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.errors import AllianceError, ValidationFailed

MIN_PARTIES = 2


def _failed(message: str, field: str) -> ValidationFailed:
    error = ValidationFailed(message)
    error.field = field
    return error


def agreement_dates(valid_from: str | None, valid_to: str | None) -> None:
    """ISO dates (or None): an agreement cannot end before it starts."""
    if valid_from and valid_to and valid_to < valid_from:
        raise _failed(f"validTo {valid_to} is before validFrom {valid_from}", "validTo")


def agreement_parties(parties: Sequence[tuple[str, str | None]]) -> None:
    """The (unit, role) pairs of one agreement: at least two, no unit and no role twice."""
    if len(parties) < MIN_PARTIES:
        raise _failed("an agreement needs at least two parties", "parties")
    units: set[str] = set()
    roles: set[str] = set()
    for unit, role in parties:
        if unit in units:
            raise _failed(f"a unit is named twice among the parties: {unit!r}", "parties")
        units.add(unit)
        if role:
            if role in roles:
                raise _failed(f"role {role!r} is given to two parties", "parties")
            roles.add(role)


def claim_quantity(quantity: float) -> None:
    if not quantity > 0:
        raise _failed(f"quantity {quantity:g} must be above zero", "quantity")


def centre_area(centre_id: str, area_m2: float | None) -> None:
    if area_m2 is not None and area_m2 < 0:
        raise _failed(f"service centre {centre_id!r}: areaM2 {area_m2:g} must not be negative", "areaM2")


def rating(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise _failed(f"rating {value!r} must be a whole number from 1 to 5", "rating")


class RuleBroken(ValueError):
    """A rule's error inside a pydantic validator (which reports ValueErrors only): the loader's reject
    reason is the error's message, and `error` keeps its code."""

    def __init__(self, error: AllianceError) -> None:
        super().__init__(str(error))
        self.error = error


def as_value_error(check: Any, *args: Any) -> None:
    """Run a rule where pydantic validates a row: its error becomes a RuleBroken."""
    try:
        check(*args)
    except AllianceError as exc:
        raise RuleBroken(exc) from None
