"""Claiming a list item (认领): the rule that accepts or refuses one claim, and the error of a refused
claim, stated once for the stores (the embedded store applies `claim_outcome`; claim_items.cypher
applies the same checks in the same order inside its write lock) and for the loader's dry run."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from service.errors import AllianceError, AlreadyClaimed, Conflict, NotFound


class ClaimOutcome(StrEnum):
    """What a claim comes to; the values are the outcomes claim_items.cypher returns."""

    OK = "OK"
    REPEAT = "REPEAT"  # the claim id exists for this claimant and item: an idempotent repeat, nothing written
    NO_ITEM = "NO_ITEM"
    NO_CLAIMANT = "NO_CLAIMANT"
    ID_REUSED = "ID_REUSED"
    SHORT = "SHORT"


def claim_outcome(claim: Mapping[str, Any], item_found: bool, claimant_found: bool,
                  prior: tuple[str, str] | None, remaining: float) -> ClaimOutcome:
    """The rule of one claim (`id`, `item_id`, `claimant_id`, `quantity`): the item must exist, the claimant
    be an organisation or enterprise, a claim id already used must name the same claimant and item (then
    it is a repeat), and what is left of the item must cover the quantity asked. `prior`: the (claimant,
    item) of the claim that already has this id, if any; `remaining`: the item's quantity less its claims."""
    if not item_found:
        return ClaimOutcome.NO_ITEM
    if not claimant_found:
        return ClaimOutcome.NO_CLAIMANT
    if prior is not None:
        return ClaimOutcome.REPEAT if prior == (claim["claimant_id"], claim["item_id"]) else ClaimOutcome.ID_REUSED
    if remaining < claim["quantity"]:
        return ClaimOutcome.SHORT
    return ClaimOutcome.OK


# error class, message, and the claim's key at fault (a loader reports the refusal under that key's column)
_REJECTIONS: dict[str, tuple[type[AllianceError], str, str]] = {
    ClaimOutcome.NO_ITEM: (NotFound, "no list item {item_id!r}", "item_id"),
    ClaimOutcome.NO_CLAIMANT: (NotFound, "no organisation or enterprise {claimant_id!r} to claim for", "claimant_id"),
    ClaimOutcome.ID_REUSED: (Conflict, "claim id {id!r} is already used for another item or claimant", "id"),
    ClaimOutcome.SHORT: (AlreadyClaimed, "item {item_id!r} is already claimed: {remaining:g} left, {quantity:g} asked",
                         "quantity"),
}


def claim_rejection(outcome: str, **facts: Any) -> AllianceError:
    """The error of a refused claim, the same words from both stores and the dry run; its `field` names the
    claim's key at fault. `facts`: id, item_id, claimant_id, remaining, quantity."""
    kind, template, field = _REJECTIONS[outcome]
    error = kind(template.format(**facts))
    error.field = field
    return error
