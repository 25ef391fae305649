"""On every demo profile: the same network from the store as from a reference embedded store, every
metric equal to igraph within 1e-9 after a round trip through the store, nothing stale. The run that
writes uses the compiled engine (igraph behind the networkx interface, what `auto` picks for a city or
a province); networkx's own code is checked against the same reference on the same network. The embedded
store runs every profile; Neo4j runs the calibration profile and the smallest, whose shapes differ
(streets and communities; towns, villages and wishes): its statements are the same for every profile,
and each further profile cost it a minute of the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.analytics import metrics, projection, writeback
from service.analytics.analysis import analyze, compute
from service.demo import load_dataset
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.graph.types import UnitTies
from service.model import Label
from service.settings import AnalyticsEngine
from tests.analytics.conftest import PROFILES, dataset
from tests.analytics.reference import TOLERANCE, Reference, max_gap


def _same_ties(mine: UnitTies, theirs: UnitTies) -> None:
    assert mine.node.id == theirs.node.id
    assert (mine.region_id, mine.signed, mine.published, mine.claims) == \
           (theirs.region_id, theirs.signed, theirs.published, theirs.claims), mine.node.id
    assert sorted(mine.agreements, key=lambda t: t.id) == sorted(theirs.agreements, key=lambda t: t.id)
    # Neo4j names an alliance twice when the unit both leads it and is a member; the set is what counts
    assert sorted(set(mine.alliances), key=lambda t: t.id) == sorted(theirs.alliances, key=lambda t: t.id)
    assert sorted(mine.claimed_from) == sorted(theirs.claimed_from)


CASES = [("embedded", p) for p in PROFILES] + [("neo4j", "urumqi-etdz"), ("neo4j", "conghua")]


@pytest.mark.parametrize(("store_kind", "profile"), CASES)
async def test_demo_profile(store: GraphStore, tmp_path: Path, profile: str) -> None:
    data = dataset(profile)
    await load_dataset(store, data)
    reference = EmbeddedStore(tmp_path / "reference")
    await reference.migrate()
    try:
        await load_dataset(reference, data)
        expected = await reference.analytics_network()
        street = min(r["id"] for r in data.nodes[Label.REGION] if r.get("level") in ("STREET", "TOWN"))
        expected_street = await reference.analytics_network(street)
    finally:
        await reference.close()

    # the same projection, bit for bit, from either store
    got = await store.analytics_network()
    assert len(got) == len(expected) > 500
    for mine, theirs in zip(got, expected, strict=True):
        _same_ties(mine, theirs)
    network, expected_network = projection.build(got), projection.build(expected)
    assert network.version == expected_network.version
    assert list(network.graph.edges(data="weight")) == list(expected_network.graph.edges(data="weight"))
    assert [u.node.id for u in await store.analytics_network(street)] == [u.node.id for u in expected_street]

    # analyse, write back, read back: igraph agrees on every metric
    result = await analyze(store, options=metrics.Options(engine=AnalyticsEngine.IGRAPH))
    assert result.version == network.version and result.betweenness_pivots == 0  # exact on every profile
    assert result.engine == "igraph"
    stored = {u.node.id: writeback.Stored.of(u.node) for u in await store.analytics_network()}
    assert all(s is not None and s.graph_version == network.version for s in stored.values())
    read = {name: {unit: getattr(s, name) for unit, s in stored.items()}
            for name in ("degree", "strength", "betweenness", "closeness", "pagerank", "community")}
    assert read["betweenness"] == result.betweenness and read["pagerank"] == result.pagerank  # exact round trip
    ref = Reference(network.graph)
    assert max_gap(read["degree"], ref.degree()) == 0
    assert max_gap(read["strength"], ref.strength()) < TOLERANCE
    assert max_gap(read["betweenness"], ref.betweenness()) < TOLERANCE
    assert max_gap(read["closeness"], ref.closeness()) < TOLERANCE
    assert max_gap(read["pagerank"], ref.pagerank()) < TOLERANCE
    assert result.modularity is not None
    assert abs(result.modularity - ref.modularity(read["community"])) < TOLERANCE
    assert result.modularity > ref.louvain_modularity() - 0.02  # as good a partition as igraph's Louvain
    own = compute(network, options=metrics.Options(engine=AnalyticsEngine.NETWORKX))  # networkx's code
    assert own.engine == "networkx" and own.betweenness and own.closeness and own.pagerank and own.community
    assert max_gap(own.betweenness, ref.betweenness()) < TOLERANCE
    assert max_gap(own.closeness, ref.closeness()) < TOLERANCE
    assert max_gap(own.pagerank, ref.pagerank()) < TOLERANCE
    assert own.modularity is not None and abs(own.modularity - ref.modularity(own.community)) < TOLERANCE
    assert own.modularity > ref.louvain_modularity() - 0.02
    splits = {unit: s.split_sizes for unit, s in stored.items() if s and s.split_sizes}
    assert set(splits) == ref.articulation_points() and splits
    for unit in sorted(splits)[:25]:
        assert splits[unit] == ref.split_sizes(unit)
    assert result.cuts is not None and {(b.a, b.b) for b in result.cuts.bridges} == ref.bridges()
    freshness = writeback.Freshness(store)
    assert not any([await freshness.stale(s) for s in stored.values() if s])
