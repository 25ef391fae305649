"""Neo4j's region tallies (service/graph/neo4j/census.py), which regionStats reads, equal the census walked
from each region down (fragments/census.cypher) after every kind of writer: loads, batches, single upserts of
nodes and relationships, a unit located in two regions, a unit, a member and a whole street moving, status
changes through the wish and matter workflows, a meeting recorded, a merge, concurrent writers, a restore;
and migration 012 (as run after an offline import) counts the same afresh."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest

from service import backup
from service.graph.neo4j import Neo4jStore, regions
from service.graph.neo4j.results import after
from service.graph.neo4j.statements import migrations, statement
from service.graph.port import GraphStore
from service.graph.types import ItemQuery, Page, Query, RelGroup, RelRow
from service.graph.workflow_types import MatterInput, MeetingRecord
from service.model import Label, RelType
from service.registry import REGION_ENTRIES
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_A2, COMM_B1, DISTRICT, ENTERPRISE, STREET_A, STREET_B

pytestmark = pytest.mark.parametrize("store_kind", ["neo4j"])  # the embedded store keeps no tallies
OTHER_DISTRICT = "650107"


async def _region_ids(store: Neo4jStore) -> list[str]:
    return [r["id"] for r in await store._ex.run("MATCH (r:Region) RETURN r.id AS id ORDER BY id")]


async def _entered(store: Neo4jStore, region: str) -> dict[str, list[str]]:
    """The ids of a region's entries (schema/013_region_entries.cypher), by label."""
    read = "MATCH (e:RegionEntry {region: $region}) RETURN e.label AS label, e.id AS id ORDER BY label, id"
    out: dict[str, list[str]] = {label.value: [] for label in REGION_ENTRIES}
    for r in await store._ex.run(read, {"region": region}):
        out[r["label"]].append(r["id"])
    return out


async def _walked(store: Neo4jStore, region: str) -> dict[str, list[str]]:
    """The ids of the units and items of a region's subtree, withdrawn too, walked from the region down."""
    out = {}
    for label in REGION_ENTRIES:
        walk = statement("list_nodes_in_region", from_root=label, filters=(), descending=False)
        [record] = await store._ex.run(walk, {"regionId": region, "orderBy": "id", "limit": 10_000, **after(None)})
        out[label.value] = [row[1]["id"] for row in record["rows"]]
    return out


async def _check(store: GraphStore) -> dict[str, dict[tuple[str, object, object], int]]:
    """Every region's tallied counts against its walked census, and its entries against the units and items
    walked; the counts by region."""
    assert isinstance(store, Neo4jStore)
    out = {}
    for region in await _region_ids(store):
        tallied = await regions.region_stats(store._ex, region)
        assert tallied == await regions.region_census(store._ex, region), region
        assert await _entered(store, region) == await _walked(store, region), region
        out[region] = {(c.label.value, c.kind, c.status): c.count for c in tallied}
    assert await regions.region_stats(store._ex, "no-such-region") == []
    orphans = "MATCH (e:RegionEntry) WHERE NOT EXISTS { MATCH (:Region {id: e.region}) } RETURN count(e) AS n"
    assert [r["n"] for r in await store._ex.run(orphans)] == [0]
    return out


async def test_every_writer_keeps_the_tallies_equal_to_the_walked_census(store: GraphStore) -> None:
    await small_graph.build(store)
    counts = await _check(store)
    assert counts[DISTRICT][("Organisation", "COMMUNITY", None)] == 3
    assert counts[DISTRICT][("Agreement", "CO_BUILDING", "ACTIVE")] == 2
    assert counts[STREET_A][("Member", None, None)] == 1

    # a unit located in a second region of the same subtree counts once in it, and now in the other street
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                     [RelRow("ORG-TAX", COMM_B1)])
    counts = await _check(store)
    assert counts[DISTRICT][("Organisation", "AGENCY", None)] == 1
    assert counts[STREET_B][("Member", None, None)] == 2  # M-1 (ORG-TAX) and M-2 (ORG-HOSP)
    assert counts[STREET_B][("ListItem", "RESOURCE", "OPEN")] == 2

    # status and kind changes by upsert, a member moving (BELONGS_TO is single-valued: replaced)
    await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-4", "status": "TERMINATED"}])
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-A2", "kind": "AGENCY"}])
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION, [RelRow("M-2", "ORG-A2")])
    counts = await _check(store)
    assert counts[STREET_B].get(("Agreement", "CO_BUILDING", "TERMINATED")) == 1
    assert counts[COMM_A2][("Member", None, None)] == 1

    # a whole street re-parented under a new district (a batch: nodes and relationships in one transaction)
    moved = RelGroup(RelType.PART_OF, Label.REGION, Label.REGION, [RelRow(STREET_B, OTHER_DISTRICT)])
    await store.upsert_batch([(Label.REGION, [{"id": OTHER_DISTRICT, "name": "新市区", "level": "DISTRICT"}])], [moved])
    counts = await _check(store)
    assert (counts[OTHER_DISTRICT][("Organisation", "INSTITUTION", None)],
            counts[DISTRICT].get(("Organisation", "INSTITUTION", None))) == (1, None)

    # workflows: a wish published and moved on, a meeting with its matters recorded, a matter assigned and done
    await store.publish_wish({"id": "W-1", "title": "房间渗水修补", "publishedOn": "2021-05-01"}, COMM_A1)
    await store.dispatch_wish("W-1", "ORG-A1", "2021-05-02")
    await store.record_meeting(MeetingRecord("MTG-1", "ALL-STA", "2022-09-15", kind="联席会议", matters=(
        MatterInput("MAT-1", "背街小巷改造", "要事共决", "ORG-TAX"), MatterInput("MAT-2", "停车难", "大事共议"))))
    await store.assign_matter("MAT-2", "ORG-A1", None, None, "2022-09-16")
    await store.complete_matter("MAT-2", "2022-09-30")
    counts = await _check(store)
    assert counts[STREET_A][("Wish", None, "DISPATCHED")] == 1
    assert counts[STREET_A][("Matter", "大事共议", "DONE")] == 1

    # an alliance moving carries its meetings and their matters; a merge carries the duplicate's links
    await store.upsert_relationships(RelType.COVERS, Label.ALLIANCE, Label.REGION, [RelRow("ALL-STA", STREET_B)])
    await store.merge_units("ORG-A1", "ORG-A2", "2026-01-02T03:04:05+00:00")
    counts = await _check(store)
    assert counts[OTHER_DISTRICT][("Matter", "要事共决", "IN_PROGRESS")] == 1
    assert ("Organisation", "AGENCY", None) not in counts[COMM_A2]


async def test_concurrent_writers_keep_the_tallies_exact(store: GraphStore) -> None:
    """Writers of the same nodes at once (a unit moving while its items change status and new items join
    it): each reads what it moves after the other's commit, so no change is counted twice or lost."""
    await small_graph.build(store)
    items = [{"id": f"ITEM-C{i}", "list": "NEED", "title": f"需求{i}", "status": "OPEN"} for i in range(6)]
    published = RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                         [RelRow("ORG-TAX", str(i["id"])) for i in items])
    writes = [
        store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [RelRow("ORG-TAX", COMM_B1)]),
        store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-P1", "status": "CLOSED"}]),
        store.upsert_batch([(Label.LIST_ITEM, items)], [published]),
        store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [RelRow("ORG-TAX", COMM_A2)]),
        store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-P2", "status": "CLOSED"}]),
        store.upsert_relationships(RelType.LOCATED_IN, Label.ENTERPRISE, Label.REGION, [RelRow(ENTERPRISE, COMM_B1)]),
    ]
    await asyncio.gather(*writes)
    counts = await _check(store)
    assert counts[STREET_B][("ListItem", "NEED", "OPEN")] == 6
    assert counts[DISTRICT][("ListItem", "RESOURCE", "CLOSED")] == 2


async def test_migrations_012_013_and_a_restore_count_what_the_writers_kept(store: GraphStore, tmp_path: Path) -> None:
    assert isinstance(store, Neo4jStore)
    await small_graph.build(store)
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [RelRow("ORG-TAX", COMM_B1)])
    read = "MATCH (t:RegionTally) WHERE t.count <> 0 RETURN t.key AS key, t.count AS count ORDER BY key"
    kept = [dict(r) for r in await store._ex.run(read)]
    entries = "MATCH (e:RegionEntry) RETURN e.region AS region, e.label AS label, e.id AS id ORDER BY region, label, id"
    entered = [dict(r) for r in await store._ex.run(entries)]
    for name in ("012_region_tallies", "013_region_entries"):
        [parts] = [parts for migration, parts in migrations() if migration == name]
        for part in parts:
            await store._ex.run_auto_commit(part)
    assert [dict(r) for r in await store._ex.run(read)] == kept
    assert [dict(r) for r in await store._ex.run(entries)] == entered and len(entered) > 30
    counts = await _check(store)

    await backup.backup(store, tmp_path / "graph.backup", "neo4j", "test")
    await store.clear()
    assert [dict(r) for r in await store._ex.run(read)] == [] == [dict(r) for r in await store._ex.run(entries)]
    await backup.restore(store, tmp_path / "graph.backup", "test")
    assert await _check(store) == counts
    assert counts[STREET_A][("Region", "STREET", None)] == 1 and len(kept) > 30


async def test_a_regions_pages_by_id_from_its_entries_equal_the_walk(store: GraphStore) -> None:
    """A region's units and items by id, in pages of 2 both ways, withdrawn left out or not (the entries'
    path of listings.py), give the ids and the total that the walk from the region down gives."""
    assert isinstance(store, Neo4jStore)
    await small_graph.build(store)
    await store.withdraw("ITEM-P1", "重复发布", "2026-01-02T03:04:05+00:00")
    await store.withdraw("ORG-TAX", "已撤销", "2026-01-02T03:04:05+00:00")
    withdrawn = {"ITEM-P1", "ORG-TAX"}
    for region in [*await _region_ids(store), "no-such-region"]:
        walked = await _walked(store, region) if region != "no-such-region" else {}
        for label in REGION_ENTRIES:
            every = walked.get(label.value, [])
            for include, descending in itertools.product((False, True), (False, True)):
                want = [i for i in every if include or i not in withdrawn][::-1 if descending else 1]
                got, cursor, total = [], None, None
                while True:
                    if label is Label.LIST_ITEM:
                        page: Page[Any] = await store.list_items(ItemQuery(
                            region_id=region, first=2, after=cursor, descending=descending, include_withdrawn=include))
                        got += [item.node.id for item in page.items]
                    else:
                        page = await store.list_nodes(Query(
                            label, region_id=region, first=2, after=cursor, descending=descending,
                            include_withdrawn=include))
                        got += [node.id for node in page.items]
                    assert total in (None, page.total)
                    total, cursor = page.total, page.end_cursor
                    if not page.has_next:
                        break
                assert (got, total) == (want, len(want)), (region, label, include, descending)
