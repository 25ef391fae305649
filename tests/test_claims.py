"""The claim rule (service.claims): one statement of it for the embedded store, the loader's dry run and,
checked here, the outcomes claim_items.cypher returns."""

from __future__ import annotations

import re

import pytest

from service.claims import ClaimOutcome, claim_outcome, claim_rejection
from service.errors import AlreadyClaimed, Conflict, NotFound
from service.graph.neo4j.statements import cypher_dir

CLAIM = {"id": "C-1", "item_id": "ITEM-1", "claimant_id": "ORG-1", "quantity": 3, "on": "2021-05-10"}


@pytest.mark.parametrize(("item", "claimant", "prior", "remaining", "outcome"), [
    (False, True, None, 0, ClaimOutcome.NO_ITEM),
    (True, False, None, 10, ClaimOutcome.NO_CLAIMANT),
    (True, True, ("ORG-1", "ITEM-1"), 0, ClaimOutcome.REPEAT),  # a repeat needs nothing left
    (True, True, ("ORG-2", "ITEM-1"), 10, ClaimOutcome.ID_REUSED),
    (True, True, ("ORG-1", "ITEM-2"), 10, ClaimOutcome.ID_REUSED),
    (True, True, None, 2, ClaimOutcome.SHORT),
    (True, True, None, 3, ClaimOutcome.OK),
])
def test_the_rule_in_the_order_the_store_applies_it(item: bool, claimant: bool, prior: tuple[str, str] | None,
                                                    remaining: float, outcome: ClaimOutcome) -> None:
    assert claim_outcome(CLAIM, item, claimant, prior, remaining) is outcome


def test_claim_items_cypher_returns_the_rules_outcomes_in_the_same_order() -> None:
    text = cypher_dir().joinpath("queries", "claim_items.cypher").read_text(encoding="utf-8")
    case = text[text.index("CASE"):text.index("END AS outcome")]
    found = re.findall(r"THEN '(\w+)'", case) + re.findall(r"ELSE '(\w+)'", case)
    assert found == ["NO_ITEM", "NO_CLAIMANT", "ID_REUSED", "REPEAT", "SHORT", "OK"]
    assert set(found) == set(ClaimOutcome)


@pytest.mark.parametrize(("outcome", "kind", "field", "message"), [
    ("NO_ITEM", NotFound, "item_id", "no list item 'ITEM-1'"),
    ("NO_CLAIMANT", NotFound, "claimant_id", "no organisation or enterprise 'ORG-1' to claim for"),
    ("ID_REUSED", Conflict, "id", "claim id 'C-1' is already used for another item or claimant"),
    ("SHORT", AlreadyClaimed, "quantity", "item 'ITEM-1' is already claimed: 2 left, 3 asked"),
])
def test_a_refusal_names_the_claims_key_at_fault(outcome: str, kind: type, field: str, message: str) -> None:
    error = claim_rejection(outcome, id="C-1", item_id="ITEM-1", claimant_id="ORG-1", remaining=2, quantity=3)
    assert type(error) is kind and error.field == field and str(error) == message
