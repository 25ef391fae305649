"""Lookups, listings with keyset pagination, neighbourhoods, paths, pairings and region scope."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.codes import make_credit_code
from service.errors import NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.types import Condition, ItemQuery, Op, Query, RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_B1, DISTRICT, ENTERPRISE, STREET_A, STREET_B
from tests.contract.whole_graph import edge_list, region_subtree


async def test_get_nodes_by_id_with_optional_label(store: GraphStore) -> None:
    await small_graph.build(store)
    assert (await store.get_node("ORG-A1")).props["name"] == "红山社区党委"  # type: ignore[union-attr]
    assert await store.get_node("ORG-A1", Label.REGION) is None
    assert await store.get_node("nope") is None
    found = await store.get_nodes(["AGR-1", "nope", COMM_A1])
    assert sorted(n.id for n in found) == sorted(["AGR-1", COMM_A1])


async def _all_pages(store: GraphStore, query: Query) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = await store.list_nodes(replace(query, after=after))
        seen += [n.id for n in page.items]
        if not page.has_next:
            return seen
        after = page.end_cursor


def _expected(rows: list[dict], key: str, descending: bool) -> list[str]:
    present = sorted((r for r in rows if r.get(key) is not None), key=lambda r: (r[key], r["id"]), reverse=descending)
    missing = sorted((r for r in rows if r.get(key) is None), key=lambda r: r["id"], reverse=descending)
    return [r["id"] for r in present + missing]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("order_by", ["id", "name", "rank"])
async def test_pagination_never_skips_or_repeats(store: GraphStore, order_by: str, descending: bool) -> None:
    rows = [{"id": f"ORG-{i:03d}", "kind": "AGENCY",
             "name": None if i % 7 == 0 else f"单位{i % 5}",  # duplicates and nulls
             "rank": i % 4} for i in range(57)]
    await store.upsert_nodes(Label.ORGANISATION, [{k: v for k, v in r.items() if v is not None} for r in rows])
    seen = await _all_pages(store, Query(Label.ORGANISATION, order_by=order_by, descending=descending, first=10))
    assert seen == _expected(rows, order_by, descending)
    page = await store.list_nodes(Query(Label.ORGANISATION, first=10))
    assert page.total == 57 and len(page.items) == 10 and page.has_next


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("order_by", ["id", "category", "quantity", "unit"])
async def test_item_pages_by_each_key_under_filters_never_skip_or_repeat(
    store: GraphStore, order_by: str, descending: bool
) -> None:
    """Keyed items first, then those without the key, across the page boundary, with only the filters given."""
    rows = [{"id": f"IT-{i:03d}", "list": "RESOURCE" if i % 3 else "NEED",
             "category": None if i % 5 == 0 else f"类{i % 4}", "quantity": i % 6, "unit": None if i % 2 else "个"}
            for i in range(61)]
    await store.upsert_nodes(Label.LIST_ITEM, [{k: v for k, v in r.items() if v is not None} for r in rows])
    for query, kept in (
        (ItemQuery(), rows),
        (ItemQuery(list="RESOURCE", unclaimed=True), [r for r in rows if r["list"] == "RESOURCE" and r["quantity"]]),
        (ItemQuery(category="类1", unclaimed=False), [r for r in rows if r["category"] == "类1" and not r["quantity"]]),
    ):
        query = replace(query, order_by=order_by, descending=descending, first=7)
        seen: list[str] = []
        page = await store.list_items(query)
        assert page.total == len(kept)
        while True:
            seen += [item.node.id for item in page.items]
            if not page.has_next:
                break
            page = await store.list_items(replace(query, after=page.end_cursor))
        assert seen == _expected(kept, order_by, descending), query


async def test_page_past_the_end_keeps_the_total(store: GraphStore) -> None:
    await store.upsert_nodes(Label.ORGANISATION, [{"id": f"O{i}"} for i in range(3)])
    first = await store.list_nodes(Query(Label.ORGANISATION, first=3))
    assert not first.has_next
    rest = await store.list_nodes(Query(Label.ORGANISATION, first=3, after=first.end_cursor))
    assert rest.items == [] and rest.total == 3 and not rest.has_next


async def test_bad_cursor_and_page_size_are_refused(store: GraphStore) -> None:
    with pytest.raises(ValidationFailed, match="cursor 'garbage' is not one this service issued"):
        await store.list_nodes(Query(Label.ORGANISATION, after="garbage"))
    with pytest.raises(ValidationFailed, match="page size 0"):
        await store.list_nodes(Query(Label.ORGANISATION, first=0))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ((Condition("kind", Op.EQ, "COMMUNITY"),), ["ORG-A1", "ORG-A2", "ORG-B1"]),
        ((Condition("kind", Op.IN, ["AGENCY", "INSTITUTION"]),), ["ORG-HOSP", "ORG-TAX"]),
        ((Condition("name", Op.CONTAINS, "社区"),), ["ORG-A1", "ORG-A2", "ORG-B1"]),
        ((Condition("name", Op.STARTS_WITH, "区"),), ["ORG-HOSP", "ORG-TAX"]),
        ((Condition("kind", Op.EQ, "COMMUNITY"), Condition("level", Op.EQ, "COMMITTEE")), ["ORG-A1", "ORG-B1"]),
    ],
)
async def test_filters(store: GraphStore, where: tuple[Condition, ...], expected: list[str]) -> None:
    await small_graph.build(store)
    page = await store.list_nodes(Query(Label.ORGANISATION, where=where))
    assert [n.id for n in page.items] == expected and page.total == len(expected)


async def test_date_range_filter(store: GraphStore) -> None:
    await small_graph.build(store)
    where = (Condition("signedOn", Op.GTE, "2021-01-01"), Condition("signedOn", Op.LTE, "2022-12-31"))
    page = await store.list_nodes(Query(Label.AGREEMENT, where=where, order_by="signedOn"))
    assert [n.id for n in page.items] == ["AGR-1", "AGR-2"]


@pytest.mark.parametrize(
    ("label", "region", "expected"),
    [
        (Label.ORGANISATION, STREET_A, ["ORG-A1", "ORG-A2", "ORG-ENT", "ORG-STA", "ORG-TAX"]),
        (Label.ORGANISATION, STREET_B, ["ORG-B1", "ORG-HOSP"]),
        (Label.REGION, STREET_A, [STREET_A, COMM_A1, "650106001002"]),
        (Label.AGREEMENT, STREET_B, ["AGR-3", "AGR-4"]),
        (Label.LIST_ITEM, COMM_A1, ["ITEM-N1"]),
        (Label.MEMBER, STREET_A, ["M-1"]),
        (Label.ALLIANCE, DISTRICT, ["ALL-STA"]),
        (Label.ALLIANCE, STREET_B, []),
        (Label.ENTERPRISE, COMM_A1, [ENTERPRISE]),
    ],
)
async def test_region_subtree_filter(store: GraphStore, label: Label, region: str, expected: list[str]) -> None:
    await small_graph.build(store)
    page = await store.list_nodes(Query(label, region_id=region))
    assert sorted(n.id for n in page.items) == sorted(expected)
    assert page.total == len(expected)


async def test_unknown_region_scope_is_empty(store: GraphStore) -> None:
    await small_graph.build(store)
    page = await store.list_nodes(Query(Label.ORGANISATION, region_id="999999"))
    assert page.items == [] and page.total == 0


async def test_region_subtree(store: GraphStore) -> None:
    await small_graph.build(store)
    assert [n.id for n in await region_subtree(store, STREET_A)] == [STREET_A, COMM_A1, "650106001002"]
    assert len(await region_subtree(store, DISTRICT)) == 6
    assert await region_subtree(store, "nope") == []


async def test_paired_units_by_organisation_and_by_community(store: GraphStore) -> None:
    await small_graph.build(store)
    pairs = await store.paired_units("ORG-A1")
    assert [(p.unit.id, [a.id for a in p.agreements]) for p in pairs] == [
        (ENTERPRISE, ["AGR-2"]), ("ORG-TAX", ["AGR-1"])]  # AGR-3 is EXPIRED
    by_region = await store.paired_units(COMM_A1)
    assert [p.unit.id for p in by_region] == [ENTERPRISE, "ORG-TAX"]
    assert await store.paired_units("nope") == []


async def test_neighbourhood_depth_limit_and_truncation(store: GraphStore) -> None:
    await small_graph.build(store)
    one = await store.neighbourhood("AGR-1", depth=1, limit=100)
    assert sorted(n.id for n in one.nodes) == ["AGR-1", "ITEM-N1", "ITEM-P1", "ORG-A1", "ORG-TAX"]
    assert not one.truncated
    assert {(e.type, e.start, e.end) for e in one.edges} >= {
        (RelType.PARTY_TO, "ORG-A1", "AGR-1"), (RelType.INCLUDES, "AGR-1", "ITEM-P1"),
        (RelType.PUBLISHED, "ORG-TAX", "ITEM-P1")}
    ids = {n.id for n in one.nodes}
    assert all(e.start in ids and e.end in ids for e in one.edges)
    two = await store.neighbourhood("AGR-1", depth=2, limit=100)
    assert len(two.nodes) > len(one.nodes) and two.nodes[0].id == "AGR-1"
    cut = await store.neighbourhood("AGR-1", depth=2, limit=3)
    assert len(cut.nodes) == 3 and cut.truncated and cut.nodes[0].id == "AGR-1"
    exact = await store.neighbourhood("AGR-1", depth=1, limit=5)
    assert len(exact.nodes) == 5 and not exact.truncated
    with pytest.raises(NotFound):
        await store.neighbourhood("nope", depth=1, limit=10)
    with pytest.raises(ValidationFailed, match="depth 9"):
        await store.neighbourhood("AGR-1", depth=9, limit=10)


async def test_shortest_path(store: GraphStore) -> None:
    await small_graph.build(store)
    path = await store.shortest_path("M-1", "ORG-A1")
    assert path is not None
    assert [path.nodes[0].id, path.nodes[-1].id] == ["M-1", "ORG-A1"]
    assert len(path.edges) == 2  # M-1 -SERVES_ON-> ALL-STA <-MEMBER_OF- ORG-A1
    for edge, (a, b) in zip(path.edges, zip(path.nodes, path.nodes[1:], strict=False), strict=True):
        assert {edge.start, edge.end} == {a.id, b.id}
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "LONELY"}])
    assert await store.shortest_path("M-1", "LONELY") is None
    assert await store.shortest_path("M-1", "nope") is None


async def test_list_items_with_claim_state_and_filters(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-05-01", "CLM-1")
    await store.claim_item("ITEM-P1", "ORG-A1", 15, "2021-05-01", "CLM-2")
    page = await store.list_items(ItemQuery(list="RESOURCE"))
    state = {i.node.id: (i.claimed, i.remaining, i.publisher_id) for i in page.items}
    assert state == {"ITEM-P1": (15, 25, "ORG-TAX"), "ITEM-P2": (1, 0, "ORG-TAX")}
    unclaimed = await store.list_items(ItemQuery(unclaimed=True))
    assert sorted(i.node.id for i in unclaimed.items) == ["ITEM-J1", "ITEM-N1", "ITEM-P1"]
    assert (await store.list_items(ItemQuery(unclaimed=False))).total == 1
    assert [i.node.id for i in (await store.list_items(ItemQuery(category="停车位"))).items] == ["ITEM-P1"]
    assert [i.node.id for i in (await store.list_items(ItemQuery(publisher_id="ORG-HOSP"))).items] == ["ITEM-J1"]
    assert sorted(i.node.id for i in (await store.list_items(ItemQuery(region_id=STREET_A))).items) == [
        "ITEM-N1", "ITEM-P1", "ITEM-P2"]
    ordered = await store.list_items(ItemQuery(order_by="quantity", descending=True, first=2))
    assert [i.node.id for i in ordered.items] == ["ITEM-P1", "ITEM-J1"] and ordered.total == 4
    rest = await store.list_items(ItemQuery(order_by="quantity", descending=True, first=2, after=ordered.end_cursor))
    assert [i.node.id for i in rest.items] == ["ITEM-N1", "ITEM-P2"] and not rest.has_next


async def test_region_stats(store: GraphStore) -> None:
    await small_graph.build(store)
    stats = {(c.label, c.kind, c.status): c.count for c in await store.region_stats(STREET_A)}
    assert stats[(Label.REGION, "STREET", None)] == 1
    assert stats[(Label.REGION, "COMMUNITY", None)] == 2
    assert stats[(Label.ORGANISATION, "COMMUNITY", None)] == 2
    assert stats[(Label.AGREEMENT, "CO_BUILDING", "ACTIVE")] == 1
    assert stats[(Label.AGREEMENT, "CO_BUILDING", "EXPIRED")] == 1
    assert stats[(Label.AGREEMENT, "PAIRING", "ACTIVE")] == 1
    assert stats[(Label.LIST_ITEM, "RESOURCE", "OPEN")] == 2
    assert stats[(Label.ALLIANCE, "STREET_WORKING_COMMITTEE", None)] == 1
    assert stats[(Label.MEMBER, None, None)] == 1
    assert sum(stats.values()) == 17  # 3 regions, 5 orgs, 1 enterprise, 3 agreements, 3 items, 1 alliance, 1 member


async def test_edge_list_whole_graph_and_region(store: GraphStore) -> None:
    await small_graph.build(store)
    nodes, edges = await edge_list(store)
    assert len(nodes) == 25
    assert len(edges) == 38
    sub_nodes, sub_edges = await edge_list(store, STREET_B)
    ids = {n.id for n in sub_nodes}
    assert ids == {STREET_B, "650106002001", "ORG-B1", "ORG-HOSP", "AGR-3", "AGR-4", "ITEM-J1", "M-2"}
    assert all(e.start in ids and e.end in ids for e in sub_edges)
    assert (RelType.PARTY_TO, "ORG-HOSP", "AGR-4") in {(e.type, e.start, e.end) for e in sub_edges}


async def test_related_both_directions(store: GraphStore) -> None:
    await small_graph.build(store)
    out = await store.related(["ORG-A1", "ORG-TAX"], RelType.PARTY_TO, outgoing=True)
    assert sorted((r.source_id, r.node.id) for r in out) == [
        ("ORG-A1", "AGR-1"), ("ORG-A1", "AGR-2"), ("ORG-A1", "AGR-3"), ("ORG-TAX", "AGR-1")]
    inc = await store.related(["AGR-1"], RelType.PARTY_TO, outgoing=False)
    assert {r.node.id: r.props["role"] for r in inc} == {"ORG-A1": "甲方", "ORG-TAX": "乙方"}


async def test_search_chinese_names(store: GraphStore) -> None:
    await small_graph.build(store)
    hits = await store.search("红山", 10)
    assert {"ORG-A1", COMM_A1} <= {n.id for n in hits}
    assert all("红山" in (n.props.get("name") or n.props.get("title") or "") for n in hits)
    assert (await store.search("税务局", 5))[0].id == "ORG-TAX"
    only_regions = await store.search("红山", 10, labels=[Label.REGION])
    assert [n.id for n in only_regions] == [COMM_A1]
    assert await store.search("张伟", 10) == []  # member names are personal data, not indexed
    assert await store.search("不存在的单位名称", 10) == []
    assert await store.search('红山 (" OR *', 10)  # Lucene syntax is escaped, not interpreted
    # the words AND / OR / NOT are words, not operators (alone or dangling, Lucene refused them)
    for text in ("红山 AND", "OR 红山", "NOT 红山", "AND", "红山 && ||"):
        assert {"ORG-A1", COMM_A1} <= {n.id for n in await store.search(text, 10)} or text == "AND", text
    assert await store.search("AND", 10) == []


async def test_search_ties_beyond_the_scored_bound_keep_the_id_order(store: GraphStore) -> None:
    """A province repeats names: 60 units with one name tie at one score, more than an unscoped search
    scores at first (2·first + 16), and the page is still the smallest ids of the tie, as when every
    match is scored."""
    ids = [f"ORG-T{k:03d}" for k in range(60)]
    await store.upsert_nodes(Label.ORGANISATION, [{"id": i, "name": "同名共建单位"} for i in reversed(ids)])
    for first in (5, 20):
        assert [n.id for n in await store.search("同名共建单位", first)] == ids[:first]
    scoped = await store.search("同名共建单位", 5, labels=[Label.ORGANISATION])
    assert [n.id for n in scoped] == ids[:5]


async def test_edges_between_same_pair_of_different_types(store: GraphStore) -> None:
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "A"}, {"id": "B"}])
    await store.upsert_nodes(Label.MEMBER, [{"id": "M"}])
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION, [RelRow("M", "A")])
    await store.upsert_relationships(RelType.REPORTED_TO, Label.MEMBER, Label.ORGANISATION, [RelRow("M", "A")])
    _, edges = await edge_list(store)
    assert sorted(e.type for e in edges) == [RelType.BELONGS_TO, RelType.REPORTED_TO]


async def test_region_scope_is_applied_inside_the_reads(store: GraphStore) -> None:
    """A street-scoped caller's search, pairings, neighbourhood and path stay within the street."""
    await small_graph.build(store)
    # ORG-A1 (street A) is paired with ORG-TAX (street A) and the enterprise (community A1)
    paired = await store.paired_units("ORG-A1", region_id=STREET_A)
    assert [p.unit.id for p in paired] == sorted(["ORG-TAX", ENTERPRISE])
    assert await store.paired_units("ORG-B1", region_id=STREET_A) == []  # its partner is in street B

    every = [n.id for n in await store.search("社区", 50)]
    scoped = [n.id for n in await store.search("社区", 50, region_id=STREET_A)]
    assert "ORG-B1" in every and "ORG-B1" not in scoped
    assert set(scoped) < set(every) and {"ORG-A1", "ORG-A2"} <= set(scoped)
    assert await store.search("西站", 10, region_id=STREET_A) == []
    # the scope applies before the limit: one hit asked, one in-scope hit answered
    street_b = {STREET_B, COMM_B1, "ORG-B1", "ORG-HOSP", "AGR-4", "ITEM-J1"}
    top = await store.search("社区", 1, region_id=STREET_B)
    assert len(top) == 1 and top[0].id in street_b

    hood = await store.neighbourhood("ORG-A1", 2, 100, region_id=STREET_A)
    shown = {n.id for n in hood.nodes}
    assert "ORG-HOSP" not in shown and "AGR-3" in shown  # AGR-3 has a party (ORG-A1) in street A
    assert {e.start for e in hood.edges} | {e.end for e in hood.edges} <= shown
    with pytest.raises(NotFound):
        await store.neighbourhood("ORG-HOSP", 1, 10, region_id=STREET_A)

    # ORG-A1 → AGR-3 → ORG-HOSP → AGR-4 → ORG-B1 crosses street B: no path for a street-A caller
    assert await store.shortest_path("ORG-A1", "ORG-B1") is not None
    assert await store.shortest_path("ORG-A1", "ORG-B1", region_id=STREET_A) is None
    inside = await store.shortest_path("ORG-A1", "ORG-TAX", region_id=STREET_A)
    assert inside is not None and inside.nodes[0].id == "ORG-A1"


async def test_count_by_label_counts_every_label_of_the_model(store: GraphStore) -> None:
    assert await store.count_by_label() == dict.fromkeys(Label, 0)
    # a different number of nodes per label, so a label counted under another's name shows
    expected = {label: n for n, label in enumerate(Label, start=1)}
    for label, n in expected.items():
        ids = [make_credit_code("9", "1", "650106", f"{i:09d}") if label is Label.ENTERPRISE else f"{label.value}-{i}"
               for i in range(n)]
        if label is Label.AUDIT_RECORD:  # append-only: written one by one, never upserted
            for id in ids:
                await store.append_audit({"id": id, "at": "2024-01-01T00:00:00Z", "keyId": "k", "role": "admin",
                                          "operation": "test", "outcome": "OK"})
            continue
        await store.upsert_nodes(label, [{"id": id, "name": f"{label.value} {id}"} for id in ids])
    counted = await store.count_by_label()
    assert list(counted) == list(Label)  # every label, in the model's order
    assert counted == expected
    await store.clear()
    assert await store.count_by_label() == dict.fromkeys(Label, 0)
