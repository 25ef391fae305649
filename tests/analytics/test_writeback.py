"""Results written onto the units, read back, and flagged stale after the network changes; the
coverage gaps; on both stores."""

from __future__ import annotations

import pytest

from service.analytics import writeback
from service.analytics.analysis import Metric, analyze
from service.analytics.projection import Scope
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_A2, COMM_B1, ENTERPRISE, STREET_A, STREET_B


async def _stored(store: GraphStore, unit: str) -> writeback.Stored | None:
    [node] = await store.get_nodes([unit])
    return writeback.Stored.of(node)


async def test_results_are_written_onto_the_units(store: GraphStore) -> None:
    await small_graph.build(store)
    result = await analyze(store)
    a1 = await _stored(store, "ORG-A1")
    assert a1 is not None and result.betweenness is not None
    assert a1.degree == 3 and a1.betweenness == result.betweenness["ORG-A1"] > 0
    assert a1.split_sizes == (2, 1)  # without 红山社区党委 the enterprise is cut off from the street and tax office
    assert a1.graph_version == result.version and a1.scope == Scope() and a1.computed_at.endswith("+00:00")
    lonely = await _stored(store, "ORG-A2")
    assert lonely is not None and lonely.degree == 0 and lonely.split_sizes == () and lonely.closeness == 0
    # other labels are untouched, and a write-back does not make the results stale
    assert "analyticsDegree" not in (await store.get_nodes(["AGR-1"]))[0].props
    assert not await writeback.Freshness(store).stale(a1)


async def test_a_partial_run_replaces_the_whole_record(store: GraphStore) -> None:
    await small_graph.build(store)
    await analyze(store)
    await analyze(store, asked=[Metric.PAGERANK])
    a1 = await _stored(store, "ORG-A1")
    assert a1 is not None and a1.pagerank is not None and a1.degree == 3
    assert a1.betweenness is None and a1.community is None and a1.split_sizes is None


@pytest.mark.parametrize("change", ["agreement", "claim", "membership", "new unit in scope"])
async def test_a_write_after_analyze_flips_stale(store: GraphStore, change: str) -> None:
    await small_graph.build(store)
    await analyze(store)
    await analyze(store, Scope(region_id=STREET_B))
    before = await _stored(store, "ORG-TAX")
    b1 = await _stored(store, "ORG-B1")
    assert before is not None and b1 is not None and b1.scope == Scope(region_id=STREET_B)
    assert not await writeback.Freshness(store).stale(before)
    if change == "agreement":
        await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-9", "title": "新协议", "status": "ACTIVE"}])
        await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                         [RelRow("ORG-A2", "AGR-9"), RelRow("ORG-TAX", "AGR-9")])
    elif change == "claim":
        await store.claim_item("ITEM-P1", "ORG-A2", 1, "2024-01-01", "C-NEW")
    elif change == "membership":
        await store.upsert_relationships(RelType.MEMBER_OF, Label.ORGANISATION, Label.ALLIANCE,
                                         [RelRow("ORG-A2", "ALL-STA", {"role": "MEMBER_UNIT"})])
    else:
        await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新单位党支部", "kind": "SOCIAL"}])
        await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                         [RelRow("ORG-NEW", COMM_A2)])
    freshness = writeback.Freshness(store)
    assert await freshness.stale(before)
    assert not await freshness.stale(b1)  # street B's network did not change
    await analyze(store)
    assert not await writeback.Freshness(store).stale(await _stored(store, "ORG-TAX"))  # type: ignore[arg-type]


async def test_coverage_gaps(store: GraphStore) -> None:
    await small_graph.build(store)
    gaps = await store.analytics_gaps(None, "2022-01-01")
    assert [r.id for r in gaps.unpaired] == [COMM_A2]  # 红山 and 西站 have ACTIVE agreements
    assert [i.node.id for i in gaps.aging] == ["ITEM-N1", "ITEM-P1", "ITEM-P2"]  # ITEM-J1 is from 2023
    assert {i.node.id: (i.remaining, i.publisher_id) for i in gaps.aging}["ITEM-P1"] == (40, "ORG-TAX")
    assert [u.id for u in gaps.idle] == [ENTERPRISE, "ORG-B1"]  # signed, yet publish and claim nothing
    # claiming the last of an item, or any claim at all, takes it and its claimant off the lists
    await store.claim_item("ITEM-P2", ENTERPRISE, 1, "2023-01-01", "C-1")
    await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-4", "status": "TERMINATED"}])
    await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-N1", "status": "CLOSED"}])
    gaps = await store.analytics_gaps(None, "2022-01-01")
    assert [r.id for r in gaps.unpaired] == [COMM_A2, COMM_B1]
    assert [i.node.id for i in gaps.aging] == ["ITEM-P1"]
    assert [u.id for u in gaps.idle] == ["ORG-B1"]
    street_a = await store.analytics_gaps(STREET_A, "2030-01-01")
    assert [r.id for r in street_a.unpaired] == [COMM_A2]
    assert [i.node.id for i in street_a.aging] == ["ITEM-P1"]  # the hospital's ITEM-J1 is in street B
    assert street_a.idle == []
    street_b = await store.analytics_gaps(STREET_B, "2030-01-01")
    assert ([r.id for r in street_b.unpaired], [i.node.id for i in street_b.aging], [u.id for u in street_b.idle]) \
        == ([COMM_B1], ["ITEM-J1"], ["ORG-B1"])
    assert COMM_A1 not in [r.id for r in (await store.analytics_gaps(None, "2030-01-01")).unpaired]
