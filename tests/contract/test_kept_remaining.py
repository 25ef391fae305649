"""The claim state each list item keeps (its claimed total and remaining quantity, indexed for the
unclaimed filter and the order by remaining) equals its quantity less its ACTIVE claims after every
writer: the claim race, batch claims, releases and a reload of the items with a new quantity. And
every filtered item total (on Neo4j a sum of the item tallies every writer keeps) equals a recount of
the items after each writer: creates, the claim race, releases, loads, withdrawals and a merge."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from service.errors import AlreadyClaimed
from service.graph.port import GraphStore
from service.graph.types import Claim, ItemQuery, RelGroup, RelRow
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


def _selects(q: ItemQuery, p: dict[str, Any]) -> bool:
    return (all(v is None or p.get(k) == v for k, v in (("list", q.list), ("category", q.category),
                                                        ("status", q.status)))
            and (q.unclaimed is None or (p["remaining"] > 0) is q.unclaimed)
            and (q.include_withdrawn or p.get("withdrawn") is None))


async def _check_totals(store: GraphStore) -> None:
    """Every total the tallies answer (list, category, status, unclaimed, withdrawn ones or not, in the
    statement of a sortable order and of another) against a recount of the items."""
    every = await store.list_items(ItemQuery(include_withdrawn=True, first=100))
    items = [i.node.props for i in every.items]
    assert every.total == len(items)
    values = {k: sorted({p[k] for p in items if p.get(k) is not None}) for k in ("list", "category", "status")}
    queries = [ItemQuery(list=lst, unclaimed=unclaimed, include_withdrawn=admin, first=1,
                         order_by="unit" if admin else "id")  # the unordered statement, and the ordered one
               for lst, unclaimed, admin in itertools.product((None, *values["list"]), (None, True, False),
                                                              (False, True))]
    queries += [ItemQuery(status=status, unclaimed=unclaimed, first=1)
                for status, unclaimed in itertools.product(values["status"], (None, False))]
    queries += [ItemQuery(category=p.get("category"), list=p["list"], status=p.get("status"), first=1) for p in items]
    pages = [await store.list_items(q) for q in queries]  # one by one: each variant is planned once
    recounts = [sum(_selects(q, p) for p in items) for q in queries]
    wrong = [(q, page.total, n) for q, page, n in zip(queries, pages, recounts, strict=True) if page.total != n]
    assert not wrong, wrong[:5]


async def test_the_kept_remaining_follows_claims_releases_and_reloads(store: GraphStore) -> None:
    await small_graph.build(store)
    assert await _check_kept(store) == {"ITEM-P1": 40, "ITEM-P2": 1, "ITEM-N1": 2, "ITEM-J1": 12}
    await _check_totals(store)

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
    await _check_totals(store)

    won = {o.item_id: o.id for o in race if isinstance(o, Claim)}  # one winner of each item
    await store.release_claim(won["ITEM-P2"])
    await store.release_claim(won["ITEM-P1"])
    await store.release_claim(won["ITEM-P1"])  # twice: nothing more
    assert await _check_kept(store) == {"ITEM-P1": 4, "ITEM-P2": 1, "ITEM-N1": 0, "ITEM-J1": 7}
    await _check_totals(store)

    # a reload of the items: the parking spaces cut to 30, the project unchanged, one item new
    await store.upsert_batch([(Label.LIST_ITEM, [
        {"id": "ITEM-P1", "list": "RESOURCE", "title": "共享停车位", "category": "停车位", "quantity": 30},
        {"id": "ITEM-J1", "list": "PROJECT", "title": "义诊进社区", "category": "医疗服务", "quantity": 12},
    ])], [])
    await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-N1", "quantity": 1}])  # below its claims
    assert await _check_kept(store) == {"ITEM-P1": -6, "ITEM-P2": 1, "ITEM-N1": -1, "ITEM-J1": 7}
    assert await _unclaimed(store, True) == ["ITEM-P2", "ITEM-J1"]
    assert await _unclaimed(store, False) == ["ITEM-P1", "ITEM-N1"]
    await _check_totals(store)

    # withdrawals, a unit merged into another (its claims move), and a load that adds and changes items
    await store.withdraw("ITEM-P2", "重复录入", "2026-01-02T03:04:05+00:00")
    await store.withdraw("ITEM-N1", "重复录入", "2026-01-02T03:04:05+00:00")
    await store.merge_units("ORG-A1", "ORG-A2", "2026-01-02T03:04:05+00:00")
    await store.claim_item("ITEM-J1", "ORG-A1", 7, "2021-06-03", "M-1")  # the last of it, to the unit kept
    await _check_totals(store)
    await store.upsert_batch([(Label.LIST_ITEM, [
        {"id": "ITEM-J1", "list": "PROJECT", "title": "义诊进社区", "category": "医疗服务", "quantity": 12,
         "status": "CLOSED"},
        {"id": "ITEM-P2", "list": "RESOURCE", "title": "会议室", "category": "会议室", "quantity": 3},
        {"id": "ITEM-N2", "list": "NEED", "title": "助老食堂", "quantity": 5, "status": "OPEN"},
    ])], [])
    await _check_totals(store)

    # a first load's batch of new items with their publisher (on Neo4j created with their links in one statement,
    # their tallies counted before it is sent): every combination, nothing left, lands in its own tally
    rows = [{k: v for k, v in {"id": f"ITEM-L{i:02d}", "list": ("NEED", "RESOURCE")[i % 2], "title": f"新事项{i}",
                                "category": ("停车位", "场地", None)[i % 3], "quantity": i % 4,
                                "status": "OPEN" if i % 5 else None}.items() if v is not None} for i in range(24)]
    published = RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                         [RelRow("ORG-A1", str(r["id"])) for r in rows])
    assert (await store.upsert_batch([(Label.LIST_ITEM, rows)], [published])).nodes[0].created == 24
    await _check_totals(store)
    # on Neo4j they were counted into a shard's tallies: other writers move them out of the unsharded ones
    await store.withdraw("ITEM-L05", "重复录入", "2026-01-03T03:04:05+00:00")
    await store.claim_item("ITEM-L03", "ORG-A1", 3, "2021-06-04", "L-1")
    await _check_totals(store)


@pytest.mark.parametrize("store_kind", ["neo4j"])  # the embedded store counts from its ordered indexes
async def test_the_tally_migration_builds_what_the_writers_keep(store: GraphStore) -> None:
    """Migration 011 (and migrate_imported after a bulk import) tallies the items afresh: the same counts
    as every writer kept, and the totals still recount."""
    from service.graph.neo4j import Neo4jStore
    from service.graph.neo4j.statements import migrations

    assert isinstance(store, Neo4jStore)
    await small_graph.build(store)
    await store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-06-01", "T-1")
    await store.withdraw("ITEM-N1", "重复录入", "2026-01-02T03:04:05+00:00")
    read = "MATCH (t:ItemTally) WHERE t.count <> 0 RETURN t.key AS key, t.count AS count ORDER BY key"
    kept = [dict(r) for r in await store._ex.run(read)]
    [parts] = [parts for name, parts in migrations() if name == "011_item_tallies"]
    for part in parts:
        await store._ex.run(part, write=True)
    assert [dict(r) for r in await store._ex.run(read)] == kept
    assert len(kept) == 4 and sum(r["count"] for r in kept) == 4
    await _check_totals(store)


def test_new_items_are_tallied_apart_where_cyphers_tally_key_tells_their_values_apart() -> None:
    from service.graph.neo4j.batches import new_item_tallies

    rows = [{"id": str(i), "list": "NEED", "category": c, "remaining": r}
            for i, (c, r) in enumerate([(1, 1), (1.0, 2), ("1", 3), ("1", 4), (["a"], 0), (["a"], 0), (None, None)])]
    tallies = new_item_tallies(Label.LIST_ITEM, rows)
    assert [(t["now"]["category"], t["now"]["remaining"], t["times"]) for t in tallies] == [
        (1, 1, 1), (1.0, 2, 1), ("1", 3, 2), (["a"], 0, 2), (None, None, 1)]
    assert new_item_tallies(Label.ORGANISATION, rows) == []
