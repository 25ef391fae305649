"""The claim state each list item keeps (its claimed total and remaining quantity, indexed for the
unclaimed filter and the order by remaining) equals its quantity less its ACTIVE claims after every
writer: the claim race, batch claims, releases and a reload of the items with a new quantity."""

from __future__ import annotations

import asyncio

from service.errors import AlreadyClaimed
from service.graph.port import GraphStore
from service.graph.types import Claim, ItemQuery
from service.model import Label, RelType
from tests.contract import small_graph

ITEMS = ["ITEM-P1", "ITEM-P2", "ITEM-N1", "ITEM-J1"]


async def _check_kept(store: GraphStore) -> dict[str, float]:
    """Every item's stored claimed / remaining against its ACTIVE claims; the remaining by id."""
    claims = await store.related(ITEMS, RelType.CLAIMED, outgoing=False)
    active: dict[str, float] = {}
    for c in claims:
        if c.props.get("status") == "ACTIVE":
            active[c.source_id] = active.get(c.source_id, 0) + c.props["quantity"]
    out = {}
    for node in await store.get_nodes(ITEMS):
        p = node.props
        assert p["claimed"] == active.get(node.id, 0), (node.id, p)
        assert p["remaining"] == p["quantity"] - p["claimed"], (node.id, p)
        out[node.id] = p["remaining"]
    return out


async def _unclaimed(store: GraphStore, unclaimed: bool) -> list[str]:
    page = await store.list_items(ItemQuery(unclaimed=unclaimed, order_by="remaining", first=10))
    assert page.total == len(page.items)
    assert all(i.remaining == i.node.props["remaining"] for i in page.items)
    return [i.node.id for i in page.items]


async def test_the_kept_remaining_follows_claims_releases_and_reloads(store: GraphStore) -> None:
    await small_graph.build(store)
    assert await _check_kept(store) == {"ITEM-P1": 40, "ITEM-P2": 1, "ITEM-N1": 2, "ITEM-J1": 12}

    race = await asyncio.gather(  # the last meeting room, and parking spaces three at a time
        *(store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-06-01", f"R-{i}") for i in range(6)),
        *(store.claim_item("ITEM-P1", "ORG-B1", 3, "2021-06-01", f"P-{i}") for i in range(14)),
        return_exceptions=True,
    )
    assert all(isinstance(o, (Claim, AlreadyClaimed)) for o in race), race
    assert sum(isinstance(o, Claim) for o in race) == 1 + 13
    batch = await store.claim_items([
        {"id": "B-1", "item_id": "ITEM-N1", "claimant_id": small_graph.ENTERPRISE, "quantity": 2, "on": "2021-06-02"},
        {"id": "B-2", "item_id": "ITEM-J1", "claimant_id": "ORG-A2", "quantity": 5, "on": "2021-06-02"},
    ])
    assert all(isinstance(o, Claim) for o in batch)
    assert await _check_kept(store) == {"ITEM-P1": 1, "ITEM-P2": 0, "ITEM-N1": 0, "ITEM-J1": 7}
    assert await _unclaimed(store, True) == ["ITEM-P1", "ITEM-J1"]  # by remaining, then id
    assert await _unclaimed(store, False) == ["ITEM-N1", "ITEM-P2"]

    won = {o.item_id: o.id for o in race if isinstance(o, Claim)}  # one winner of each item
    await store.release_claim(won["ITEM-P2"])
    await store.release_claim(won["ITEM-P1"])
    await store.release_claim(won["ITEM-P1"])  # twice: nothing more
    assert await _check_kept(store) == {"ITEM-P1": 4, "ITEM-P2": 1, "ITEM-N1": 0, "ITEM-J1": 7}

    # a reload of the items: the parking spaces cut to 30, the project unchanged, one item new
    await store.upsert_batch([(Label.LIST_ITEM, [
        {"id": "ITEM-P1", "list": "RESOURCE", "title": "共享停车位", "category": "停车位", "quantity": 30},
        {"id": "ITEM-J1", "list": "PROJECT", "title": "义诊进社区", "category": "医疗服务", "quantity": 12},
    ])], [])
    await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-N1", "quantity": 1}])  # below its claims
    assert await _check_kept(store) == {"ITEM-P1": -6, "ITEM-P2": 1, "ITEM-N1": -1, "ITEM-J1": 7}
    assert await _unclaimed(store, True) == ["ITEM-P2", "ITEM-J1"]
    assert await _unclaimed(store, False) == ["ITEM-P1", "ITEM-N1"]
