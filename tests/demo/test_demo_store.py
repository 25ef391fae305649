"""The urumqi-etdz profile loaded into each store, its figures read back through the port only."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from service.demo import generate, load_dataset
from service.graph.port import GraphStore
from service.graph.types import Condition, Item, ItemQuery, Node, Op, Query
from service.model import Label
from tests.contract.whole_graph import edge_list

PAGE = 1000  # the largest page the stores serve


async def _count(store: GraphStore, label: Label, **where: Any) -> int:
    conditions = tuple(Condition(k, Op.EQ, v) for k, v in where.items())
    return (await store.list_nodes(Query(label, where=conditions, first=1))).total


async def _all_nodes(store: GraphStore, label: Label, **where: Any) -> list[Node]:
    conditions = tuple(Condition(k, Op.EQ, v) for k, v in where.items())
    out: list[Node] = []
    after = None
    while True:
        page = await store.list_nodes(Query(label, where=conditions, first=PAGE, after=after))
        out += page.items
        if not page.has_next:
            return out
        after = page.end_cursor


async def _all_items(store: GraphStore, **query: Any) -> list[Item]:
    out: list[Item] = []
    after = None
    while True:
        page = await store.list_items(ItemQuery(first=PAGE, after=after, **query))
        out += page.items
        if not page.has_next:
            return out
        after = page.end_cursor


async def _figures(store: GraphStore) -> dict[str, int]:
    _, edges = await edge_list(store)
    by_type: dict[str, list[Any]] = {}
    for e in edges:
        by_type.setdefault(e.type.value, []).append(e)
    property_firms = {n.id for n in await _all_nodes(store, Label.ENTERPRISE, industry="物业服务")}
    parking = await _all_items(store, list="RESOURCE", category="停车位")
    return {
        "streets": await _count(store, Label.REGION, level="STREET"),
        "communities": await _count(store, Label.REGION, level="COMMUNITY"),
        "villages": await _count(store, Label.REGION, level="VILLAGE"),
        "signatory_units": len({e.start for e in by_type["PARTY_TO"] if e.props.get("role") == "乙方"}),
        "part_time_members": len({e.start for e in by_type["SERVES_ON"]}),
        "property_company_orgs": len({e.start for e in by_type["EMBEDDED_IN"] if e.end in property_firms}),
        "list_items": await _count(store, Label.LIST_ITEM),
        "parking_spaces": int(sum(item.node.props["quantity"] for item in parking)),
        "street_working_committees": await _count(store, Label.ALLIANCE, kind="STREET_WORKING_COMMITTEE"),
        "big_party_committees": await _count(store, Label.ALLIANCE, kind="COMMUNITY_BIG_COMMITTEE"),
        "service_centres": await _count(store, Label.SERVICE_CENTRE),
    }


async def test_urumqi_etdz_loads_and_its_figures_hold(store: GraphStore, store_kind: str) -> None:
    started = time.perf_counter()
    dataset = generate("urumqi-etdz")
    seen: list[tuple[str, int, int]] = []
    counts = await load_dataset(store, dataset, progress=lambda *step: seen.append(step))
    elapsed = time.perf_counter() - started

    assert counts["nodes"] == counts["nodes_created"] == dataset.node_count()
    assert counts["relationships"] == counts["relationships_created"] == dataset.relationship_count()
    assert counts["claims"] == len(dataset.claims)
    assert counts["claims_rejected"] == 0
    assert seen[-1] == ("claims", len(dataset.claims), len(dataset.claims))
    if store_kind == "embedded":
        assert elapsed < 5.0, f"generating and loading urumqi-etdz took {elapsed:.1f}s"

    assert await _figures(store) == dataset.figures
    await _claims_landed(store, dataset.claims)

    # loading the same dataset again (in other batches) changes nothing: ids and claim ids
    # are natural keys, and a repeated claim is an idempotent repeat, not a rejection
    again = await load_dataset(store, dataset, batch_size=3_000)
    assert again["nodes_created"] == again["relationships_created"] == again["claims_rejected"] == 0
    assert await _figures(store) == dataset.figures
    await _claims_landed(store, dataset.claims)


async def _claims_landed(store: GraphStore, claims: list[dict[str, Any]]) -> None:
    """Every claim counted once on its item, none beyond the item's quantity."""
    items = await _all_items(store)
    claimed = Counter[str]()
    for claim in claims:
        claimed[claim["item_id"]] += claim["quantity"]
    assert {i.node.id: i.claimed for i in items if i.claimed} == dict(claimed)
    assert all(i.remaining >= 0 for i in items)
    assert all(i.publisher_id for i in items)
