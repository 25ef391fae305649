"""upsert_batch: nodes and relationships of several types in ONE transaction (nothing written
when any part fails), single-valued relationships replaced, and find_by_names."""

from __future__ import annotations

import pytest

from service.errors import Conflict, NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.types import BatchResult, ItemQuery, RelGroup, RelRow, UpsertResult
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.whole_graph import region_subtree

IDS = [small_graph.DISTRICT, small_graph.STREET_A, small_graph.STREET_B, small_graph.COMM_A1, small_graph.COMM_A2,
       small_graph.COMM_B1, "ORG-STA", "ORG-A1", "ORG-A2", "ORG-B1", "ORG-TAX", "ORG-HOSP", "ORG-ENT",
       small_graph.ENTERPRISE, "AGR-1", "AGR-2", "AGR-3", "AGR-4", "ITEM-P1", "ITEM-P2", "ITEM-N1", "ITEM-J1",
       "AGR-9", "ITEM-NEW", "ORG-NEW", "R-NEW"]


async def _state(store: GraphStore) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]:
    """The small graph's nodes (with properties) and its relationships, to compare whole states."""
    nodes = sorted((n.id, n.label.value, repr(sorted(n.props.items()))) for n in await store.get_nodes(IDS))
    edges = [(t.value, r.source_id, r.node.id, repr(sorted(r.props.items())))
             for t in RelType if t is not RelType.CLAIMED
             for r in await store.related(IDS, t, outgoing=True)]
    return nodes, sorted(edges)


async def _publishers(store: GraphStore, item: str) -> list[str]:
    return sorted(r.node.id for r in await store.related([item], RelType.PUBLISHED, outgoing=False))


async def test_a_batch_writes_nodes_and_every_relationship_type(store: GraphStore) -> None:
    await small_graph.build(store)
    result = await store.upsert_batch(
        [(Label.AGREEMENT, [{"id": "AGR-9", "title": "新协议", "status": "ACTIVE"}]),
         (Label.LIST_ITEM, [{"id": "ITEM-NEW", "list": "NEED", "title": "新需求", "quantity": 1}])],
        [RelGroup(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                  [RelRow("ORG-A2", "AGR-9", {"role": "甲方"})]),
         RelGroup(RelType.PARTY_TO, Label.ENTERPRISE, Label.AGREEMENT,
                  [RelRow(small_graph.ENTERPRISE, "AGR-9", {"role": "乙方"})]),
         RelGroup(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM, [RelRow("AGR-9", "ITEM-NEW")])],
    )
    assert result == BatchResult([UpsertResult(created=1), UpsertResult(created=1)],
                                 [UpsertResult(created=1)] * 3, removed=0)
    parties = await store.related(["AGR-9"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.props["role"], r.node.id) for r in parties) == [
        ("乙方", small_graph.ENTERPRISE), ("甲方", "ORG-A2")]
    again = await store.upsert_batch(
        [(Label.AGREEMENT, [{"id": "AGR-9", "title": "新协议", "status": "ACTIVE"}])],
        [RelGroup(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM, [RelRow("AGR-9", "ITEM-NEW")])],
    )
    assert again == BatchResult([UpsertResult(unchanged=1)], [UpsertResult(unchanged=1)])


async def test_a_dangling_end_in_the_last_group_writes_nothing_of_the_batch(store: GraphStore) -> None:
    await small_graph.build(store)
    before = await _state(store)
    with pytest.raises(NotFound, match="no ListItem 'ITEM-GONE'"):
        await store.upsert_batch(
            [(Label.AGREEMENT, [{"id": "AGR-9", "title": "新协议"}]),
             (Label.LIST_ITEM, [{"id": "ITEM-NEW", "list": "NEED", "title": "新需求"},
                                {"id": "ITEM-P1", "title": "改过的标题"}])],
            [RelGroup(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT, [RelRow("ORG-A2", "AGR-9")]),
             RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                      [RelRow("ORG-A2", "ITEM-P1"), RelRow("ORG-A2", "ITEM-NEW")]),
             RelGroup(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM,
                      [RelRow("AGR-9", "ITEM-NEW"), RelRow("AGR-9", "ITEM-GONE")])],
        )
    assert await store.get_node("AGR-9") is None and await store.get_node("ITEM-NEW") is None
    p1 = await store.get_node("ITEM-P1")
    assert p1 is not None and p1.props["title"] == "共享停车位"
    assert await _publishers(store, "ITEM-P1") == ["ORG-TAX"]  # the replacement was rolled back too
    assert await _state(store) == before


async def test_an_invalid_row_writes_nothing_of_the_batch(store: GraphStore) -> None:
    await small_graph.build(store)
    before = await _state(store)
    with pytest.raises(ValidationFailed, match="'claimed' is kept by the store"):
        await store.upsert_batch(
            [(Label.LIST_ITEM, [{"id": "ITEM-NEW", "list": "NEED", "title": "新需求"}]),
             (Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新单位"}]),
             (Label.LIST_ITEM, [{"id": "ITEM-P2", "claimed": 1}])],
            [RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM, [RelRow("ORG-NEW", "ITEM-NEW")])],
        )
    with pytest.raises(ValidationFailed, match="CLAIMED relationships are written by claim_item"):
        await store.upsert_batch(
            [(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新单位"}])],
            [RelGroup(RelType.CLAIMED, Label.ORGANISATION, Label.LIST_ITEM, [RelRow("ORG-NEW", "ITEM-P2")])],
        )
    assert await store.get_node("ITEM-NEW") is None and await store.get_node("ORG-NEW") is None
    assert await _state(store) == before


async def test_an_id_clash_in_a_later_group_writes_nothing_of_the_batch(store: GraphStore) -> None:
    await small_graph.build(store)
    with pytest.raises(Conflict, match="'ORG-A1' is a Organisation"):
        await store.upsert_batch(
            [(Label.REGION, [{"id": "R-NEW", "name": "新网格", "level": "GRID"}]),
             (Label.LIST_ITEM, [{"id": "ORG-A1", "list": "NEED", "title": "撞号"}])],
            [],
        )
    assert await store.get_node("R-NEW") is None


async def test_a_changed_publisher_replaces_the_old_one_across_labels(store: GraphStore) -> None:
    await small_graph.build(store)
    assert await _publishers(store, "ITEM-P1") == ["ORG-TAX"]
    group = RelGroup(RelType.PUBLISHED, Label.ENTERPRISE, Label.LIST_ITEM,
                     [RelRow(small_graph.ENTERPRISE, "ITEM-P1")])
    result = await store.upsert_batch([], [group])
    assert result == BatchResult([], [UpsertResult(created=1)], removed=1)
    assert await _publishers(store, "ITEM-P1") == [small_graph.ENTERPRISE]
    # the same publisher again: nothing removed, nothing created
    assert await store.upsert_batch([], [group]) == BatchResult([], [UpsertResult(unchanged=1)], removed=0)
    # list_items sees the one publisher
    page = await store.list_items(ItemQuery(publisher_id=small_graph.ENTERPRISE))
    assert [i.node.id for i in page.items] == ["ITEM-P1"] and page.items[0].publisher_id == small_graph.ENTERPRISE


async def test_single_statement_writes_replace_single_valued_links_as_a_batch_does(store: GraphStore) -> None:
    # the registry's cardinality holds for every write: upsert_relationships replaces like a load
    await small_graph.build(store)
    result = await store.upsert_relationships(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                                              [RelRow("ORG-A1", "ITEM-P1")])
    assert result == UpsertResult(created=1)
    assert await _publishers(store, "ITEM-P1") == ["ORG-A1"]
    await store.upsert_relationships(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION,
                                     [RelRow("ORG-A1", "ORG-STA")])
    await store.upsert_relationships(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION,
                                     [RelRow("ORG-A1", "ORG-B1")])
    parents = await store.related(["ORG-A1"], RelType.UNDER, outgoing=True)
    assert [r.node.id for r in parents] == ["ORG-B1"]
    # a type that adds up keeps both links
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                     [RelRow("ORG-A1", small_graph.COMM_B1)])
    homes = await store.related(["ORG-A1"], RelType.LOCATED_IN, outgoing=True)
    assert sorted(r.node.id for r in homes) == sorted([small_graph.COMM_A1, small_graph.COMM_B1])


async def test_a_changed_parent_replaces_the_old_one(store: GraphStore) -> None:
    await small_graph.build(store)
    result = await store.upsert_batch([], [RelGroup(RelType.PART_OF, Label.REGION, Label.REGION,
                                                    [RelRow(small_graph.COMM_A2, small_graph.STREET_B)])])
    assert result.removed == 1
    parents = await store.related([small_graph.COMM_A2], RelType.PART_OF, outgoing=True)
    assert [r.node.id for r in parents] == [small_graph.STREET_B]
    assert small_graph.COMM_A2 in {n.id for n in await region_subtree(store, small_graph.STREET_B)}
    assert small_graph.COMM_A2 not in {n.id for n in await region_subtree(store, small_graph.STREET_A)}
    # siblings keep their parent
    siblings = await store.related([small_graph.COMM_A1], RelType.PART_OF, outgoing=True)
    assert [r.node.id for r in siblings] == [small_graph.STREET_A]


async def test_a_changed_party_replaces_only_the_party_in_that_role(store: GraphStore) -> None:
    await small_graph.build(store)
    # a third party with another role, signed through the API, is not the file's to remove
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                     [RelRow("ORG-STA", "AGR-1", {"role": "见证方"})])
    result = await store.upsert_batch([], [RelGroup(
        RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
        [RelRow("ORG-A1", "AGR-1", {"role": "甲方", "signatory": "王书记"}),
         RelRow("ORG-HOSP", "AGR-1", {"role": "乙方", "signatory": "张院长"})])])
    assert result == BatchResult([], [UpsertResult(created=1, unchanged=1)], removed=1)
    parties = await store.related(["AGR-1"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.node.id, r.props["role"]) for r in parties) == [
        ("ORG-A1", "甲方"), ("ORG-HOSP", "乙方"), ("ORG-STA", "见证方")]


def _new_items(n: int, existing_at: int | None = None, existing: str = "ITEM-P1") -> list[dict[str, object]]:
    """n items, all new except the one at `existing_at` (at position 1 it is not among the ids Neo4j's
    batch writer samples to guess that a batch is new, so the guess is wrong and must be undone)."""
    rows: list[dict[str, object]] = [{"id": f"ITEM-B{i:03d}", "list": "NEED", "title": f"批量需求{i}", "quantity": 1}
                                     for i in range(n)]
    if existing_at is not None:
        rows[existing_at] = {"id": existing, "list": "RESOURCE", "title": "改过的标题"}
    return rows


def _published_by(publisher: str, rows: list[dict[str, object]]) -> RelGroup:
    return RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                    [RelRow(publisher, str(r["id"])) for r in rows])


async def test_a_batch_of_new_nodes_is_created_with_their_relationships(store: GraphStore) -> None:
    await small_graph.build(store)
    rows = _new_items(40)
    result = await store.upsert_batch([(Label.LIST_ITEM, rows)], [
        _published_by("ORG-A1", rows),
        RelGroup(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM, [RelRow("AGR-1", "ITEM-B000")])])
    assert result == BatchResult([UpsertResult(created=40)], [UpsertResult(created=40), UpsertResult(created=1)])
    assert await _publishers(store, "ITEM-B039") == ["ORG-A1"]
    again = await store.upsert_batch([(Label.LIST_ITEM, rows)], [_published_by("ORG-A1", rows)])
    assert again == BatchResult([UpsertResult(unchanged=40)], [UpsertResult(unchanged=40)])


async def test_an_existing_node_hidden_in_a_new_batch_is_updated_not_duplicated(store: GraphStore) -> None:
    await small_graph.build(store)
    rows = _new_items(40, existing_at=1)
    result = await store.upsert_batch([(Label.LIST_ITEM, rows)], [_published_by("ORG-A1", rows)])
    assert result == BatchResult([UpsertResult(created=39, updated=1)], [UpsertResult(created=40)], removed=1)
    p1 = await store.get_node("ITEM-P1")
    assert p1 is not None and p1.props["title"] == "改过的标题" and p1.props["quantity"] == 40
    assert await _publishers(store, "ITEM-P1") == ["ORG-A1"]  # the old publisher was replaced
    page = await store.list_items(ItemQuery(publisher_id="ORG-A1", first=100))
    assert len(page.items) == len({i.node.id for i in page.items}) == 41  # ITEM-N1 and the 40


async def test_a_new_batch_with_a_dangling_end_or_a_clash_writes_nothing(store: GraphStore) -> None:
    await small_graph.build(store)
    before = await _state(store)
    rows = _new_items(40)
    group = _published_by("ORG-A1", rows)
    dangling = RelGroup(group.type, group.start, group.end, [*group.rows[:-1], RelRow("ORG-GONE", "ITEM-B039")])
    with pytest.raises(NotFound, match="no Organisation 'ORG-GONE'"):
        await store.upsert_batch([(Label.LIST_ITEM, rows)], [dangling])
    with pytest.raises(Conflict, match="'ORG-A2' is a Organisation"):
        await store.upsert_batch([(Label.LIST_ITEM, _new_items(40, existing_at=1, existing="ORG-A2"))], [])
    assert await store.get_node("ITEM-B000") is None
    assert await _state(store) == before


async def test_find_by_names_is_exact_and_per_label(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-TWIN", "name": "红山社区党委"}])
    found = await store.find_by_names(Label.ORGANISATION, ["红山社区党委", "区税务局机关党支部", "红山社区", "红山"])
    assert sorted(n.id for n in found) == ["ORG-A1", "ORG-TAX", "ORG-TWIN"]
    assert all(n.label is Label.ORGANISATION for n in found)
    assert [n.id for n in await store.find_by_names(Label.REGION, ["红山社区"])] == [small_graph.COMM_A1]
    assert await store.find_by_names(Label.ENTERPRISE, ["红山社区党委"]) == []
