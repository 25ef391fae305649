"""Claims: atomic, never beyond an item's quantity, idempotent by claim id, releasable."""

from __future__ import annotations

import asyncio

import pytest

from service.errors import AllianceError, AlreadyClaimed, Conflict, NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.types import Claim, ItemQuery
from tests.contract import small_graph


async def test_twenty_concurrent_claims_on_the_last_unit_one_wins(store: GraphStore) -> None:
    await small_graph.build(store)  # ITEM-P2 has quantity 1
    units = ["ORG-A1", "ORG-A2", "ORG-B1", "ORG-STA", "ORG-HOSP"]
    attempts = [
        store.claim_item("ITEM-P2", units[i % len(units)], 1, "2021-06-01", f"RACE-{i}") for i in range(20)
    ]
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    wins = [o for o in outcomes if isinstance(o, Claim)]
    losses = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(wins) == 1 and wins[0].remaining == 0
    assert len(losses) == 19 and all(isinstance(e, AlreadyClaimed) for e in losses)
    assert all(e.code == "ALREADY_CLAIMED" and "already claimed" in str(e) for e in losses)
    [item] = (await store.list_items(ItemQuery(category="场地"))).items
    assert item.claimed == 1 and item.remaining == 0


async def test_concurrent_partial_claims_never_exceed_quantity(store: GraphStore) -> None:
    await small_graph.build(store)  # ITEM-P1 has quantity 40
    outcomes = await asyncio.gather(
        *(store.claim_item("ITEM-P1", "ORG-A1", 3, "2021-06-01", f"P-{i}") for i in range(20)),
        return_exceptions=True,
    )
    wins = [o for o in outcomes if isinstance(o, Claim)]
    assert len(wins) == 13  # 13 × 3 = 39 ≤ 40 < 42
    assert all(isinstance(o, AlreadyClaimed) for o in outcomes if not isinstance(o, Claim))
    [item] = (await store.list_items(ItemQuery(category="停车位"))).items
    assert item.claimed == 39 and item.remaining == 1


async def test_repeating_a_claim_id_is_idempotent(store: GraphStore) -> None:
    await small_graph.build(store)
    first = await store.claim_item("ITEM-P1", "ORG-A1", 5, "2021-06-01", "C-1")
    again = await store.claim_item("ITEM-P1", "ORG-A1", 5, "2021-06-01", "C-1")
    assert first.created and not again.created and again.remaining == 35
    with pytest.raises(Conflict, match="claim id 'C-1' is already used"):
        await store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-06-01", "C-1")


async def test_release_returns_the_quantity(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-06-01", "C-1")
    released = await store.release_claim("C-1")
    assert released.status == "RELEASED" and released.remaining == 1
    again = await store.release_claim("C-1")  # releasing twice changes nothing
    assert again.status == "RELEASED" and again.remaining == 1
    won = await store.claim_item("ITEM-P2", "ORG-B1", 1, "2021-06-02", "C-2")
    assert won.remaining == 0
    with pytest.raises(NotFound, match="no claim 'C-9'"):
        await store.release_claim("C-9")


async def test_claim_errors_name_the_value(store: GraphStore) -> None:
    await small_graph.build(store)
    with pytest.raises(NotFound, match="no list item 'ITEM-X'"):
        await store.claim_item("ITEM-X", "ORG-A1", 1, "2021-06-01", "C-1")
    with pytest.raises(NotFound, match="no organisation or enterprise 'M-1'"):
        await store.claim_item("ITEM-P1", "M-1", 1, "2021-06-01", "C-1")
    with pytest.raises(ValidationFailed, match="quantity -1 must be a number above zero"):
        await store.claim_item("ITEM-P1", "ORG-A1", -1, "2021-06-01", "C-1")
    with pytest.raises(AlreadyClaimed, match="item 'ITEM-P2' is already claimed: 1 left, 2 asked"):
        await store.claim_item("ITEM-P2", "ORG-A1", 2, "2021-06-01", "C-1")


async def test_batch_claims_are_checked_in_order(store: GraphStore) -> None:
    await small_graph.build(store)
    claims = [
        {"id": "B-1", "item_id": "ITEM-P2", "claimant_id": "ORG-A1", "quantity": 1, "on": "2021-06-01"},
        {"id": "B-2", "item_id": "ITEM-P2", "claimant_id": "ORG-B1", "quantity": 1, "on": "2021-06-01"},
        {"id": "B-3", "item_id": "ITEM-N1", "claimant_id": small_graph.ENTERPRISE, "quantity": 2, "on": "2021-06-01"},
        {"id": "B-1", "item_id": "ITEM-P2", "claimant_id": "ORG-A1", "quantity": 1, "on": "2021-06-01"},
    ]
    out = await store.claim_items(claims)
    assert [type(o).__name__ for o in out] == ["Claim", "AlreadyClaimed", "Claim", "Claim"]
    assert isinstance(out[3], Claim) and not out[3].created
    assert isinstance(out[1], AllianceError) and out[1].code == "ALREADY_CLAIMED"
    assert (await store.list_items(ItemQuery(unclaimed=True))).total == 2
