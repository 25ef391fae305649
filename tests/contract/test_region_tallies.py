"""Neo4j's region tallies (service/graph/neo4j/census.py), which regionStats reads, equal the census walked
from each region down (fragments/census.cypher) after every kind of writer: loads, batches, single upserts of
nodes and relationships, a unit located in two regions, a unit, a member and a whole street moving, status
changes through the wish and matter workflows, a meeting recorded, a merge, concurrent writers, a restore;
and migration 012 (as run after an offline import) counts the same afresh."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service import backup
from service.graph.neo4j import Neo4jStore, regions
from service.graph.neo4j.statements import migrations
from service.graph.port import GraphStore
from service.graph.types import RelGroup, RelRow
from service.graph.workflow_types import MatterInput, MeetingRecord
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_A2, COMM_B1, DISTRICT, ENTERPRISE, STREET_A, STREET_B

pytestmark = pytest.mark.parametrize("store_kind", ["neo4j"])  # the embedded store keeps no tallies
OTHER_DISTRICT = "650107"


async def _region_ids(store: Neo4jStore) -> list[str]:
    return [r["id"] for r in await store._ex.run("MATCH (r:Region) RETURN r.id AS id ORDER BY id")]


async def _check(store: GraphStore) -> dict[str, dict[tuple[str, object, object], int]]:
    """Every region's tallied counts against its walked census; the counts by region."""
    assert isinstance(store, Neo4jStore)
    out = {}
    for region in await _region_ids(store):
        tallied = await regions.region_stats(store._ex, region)
        assert tallied == await regions.region_census(store._ex, region), region
        out[region] = {(c.label.value, c.kind, c.status): c.count for c in tallied}
    assert await regions.region_stats(store._ex, "no-such-region") == []
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


async def test_migration_012_and_a_restore_count_what_the_writers_kept(store: GraphStore, tmp_path: Path) -> None:
    assert isinstance(store, Neo4jStore)
    await small_graph.build(store)
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [RelRow("ORG-TAX", COMM_B1)])
    read = "MATCH (t:RegionTally) WHERE t.count <> 0 RETURN t.key AS key, t.count AS count ORDER BY key"
    kept = [dict(r) for r in await store._ex.run(read)]
    [parts] = [parts for name, parts in migrations() if name == "012_region_tallies"]
    for part in parts:
        await store._ex.run_auto_commit(part)
    assert [dict(r) for r in await store._ex.run(read)] == kept
    counts = await _check(store)

    await backup.backup(store, tmp_path / "graph.backup", "neo4j", "test")
    await store.clear()
    assert [dict(r) for r in await store._ex.run(read)] == []
    await backup.restore(store, tmp_path / "graph.backup", "test")
    assert await _check(store) == counts
    assert counts[STREET_A][("Region", "STREET", None)] == 1 and len(kept) > 30
