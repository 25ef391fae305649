"""Metrics against igraph on synthetic graphs and a demo network, from either engine (networkx's
code or igraph's behind the same interface); sampling against exact and engine against engine;
articulation points and bridges with their split sizes; determinism; which engine `auto` picks."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from service.analytics import metrics, projection
from service.analytics.analysis import compute
from service.analytics.brokers import cut_points
from service.demo import load_dataset
from service.graph.embedded import EmbeddedStore
from service.settings import AnalyticsEngine
from tests.analytics.conftest import dataset
from tests.analytics.reference import TOLERANCE, Reference, max_gap


def _random_graph(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(rng.randint(3, 60), rng.randint(0, 90), seed=seed)
    g = nx.relabel_nodes(g, {v: f"U{v:03d}" for v in g})
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g))
    for a, b in sorted(g.edges()):
        ordered.add_edge(a, b, weight=rng.choice([0.25, 0.5, 1.0, 1.25, 2.0, 1 / 3]))
    return ordered


ENGINES = [AnalyticsEngine.NETWORKX, AnalyticsEngine.IGRAPH]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", range(12))
def test_every_metric_matches_igraph_on_random_graphs(seed: int, engine: AnalyticsEngine) -> None:
    g = _random_graph(seed)
    ref = Reference(g)
    options = metrics.Options(engine=engine)
    assert max_gap(metrics.degree(g), ref.degree()) == 0
    assert max_gap(metrics.strength(g), ref.strength()) < TOLERANCE
    assert max_gap(metrics.betweenness(g, options)[0], ref.betweenness()) < TOLERANCE
    assert max_gap(metrics.closeness(g, options)[0], ref.closeness()) < TOLERANCE
    assert max_gap(metrics.pagerank(g, options), ref.pagerank()) < TOLERANCE
    community, modularity = metrics.communities(g, options)
    assert set(community) == set(g)
    assert abs(modularity - ref.modularity(community)) < TOLERANCE
    cuts = cut_points(g)
    assert set(cuts.articulation) == ref.articulation_points()
    assert {(b.a, b.b) for b in cuts.bridges} == ref.bridges()
    for unit, sizes in cuts.articulation.items():
        assert sizes == ref.split_sizes(unit)
    for bridge in cuts.bridges:
        cut = g.copy()
        cut.remove_edge(bridge.a, bridge.b)
        sides = (len(nx.node_connected_component(cut, bridge.a)), len(nx.node_connected_component(cut, bridge.b)))
        assert bridge.split_sizes == tuple(sorted(sides, reverse=True))


def test_a_star_and_a_path_by_hand() -> None:
    star = nx.Graph()
    star.add_nodes_from(["A", "B", "C", "D", "E"])
    star.add_edges_from([("A", x, {"weight": 1.0}) for x in "BCD"])  # E is isolated
    between, pivots = metrics.betweenness(star)
    assert pivots == 0 and between["A"] == pytest.approx(3 / 6) and between["B"] == 0  # 3 pairs of 4·3/2
    closeness, _ = metrics.closeness(star)
    assert closeness["A"] == pytest.approx(3 / 4) and closeness["B"] == pytest.approx((1 + 0.5 + 0.5) / 4)
    assert closeness["E"] == 0.0
    cuts = cut_points(star)
    assert cuts.articulation == {"A": (1, 1, 1)}
    assert [(b.a, b.b, b.split_sizes) for b in cuts.bridges] == [("A", x, (3, 1)) for x in "BCD"]


def test_louvain_is_seeded_and_renumbered_by_size() -> None:
    g = _random_graph(99)
    first, q1 = metrics.communities(g)
    again, q2 = metrics.communities(g)
    assert first == again and q1 == q2
    sizes = [sum(1 for c in first.values() if c == i) for i in range(max(first.values()) + 1)]
    assert sizes == sorted(sizes, reverse=True)


async def test_sampled_estimates_stay_within_the_documented_bound(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "huadu")
    await store.migrate()
    await load_dataset(store, dataset("huadu"))
    g = (await projection.load(store)).graph
    await store.close()
    exact_b, none = metrics.betweenness(g)
    exact_c, _ = metrics.closeness(g)
    options = metrics.Options(exact_limit=100, pivots=100)  # the 399-unit component is sampled
    sampled_b, pivots = metrics.betweenness(g, options)
    sampled_c, _ = metrics.closeness(g, options)
    assert none == 0 and pivots >= 100
    bound = metrics.error_bound(g.number_of_nodes(), 100)
    assert 0 < max_gap(sampled_b, exact_b) < bound
    assert 0 < max_gap(sampled_c, exact_c) < bound
    # far inside the bound on average, and the most central unit is still found
    assert sum(abs(sampled_b[v] - exact_b[v]) for v in g) / len(g) < bound / 20
    top = max(exact_b, key=lambda v: exact_b[v])
    assert top in sorted(sampled_b, key=lambda v: -sampled_b[v])[:5]
    assert metrics.betweenness(g, options) == (sampled_b, pivots)  # the fixed seed repeats
    # igraph's engine: the same estimates from the same pivots, exact and sampled
    for asked in (metrics.Options(), options):
        compiled = metrics.Options(exact_limit=asked.exact_limit, pivots=asked.pivots, engine=AnalyticsEngine.IGRAPH)
        networkx = metrics.Options(exact_limit=asked.exact_limit, pivots=asked.pivots, engine=AnalyticsEngine.NETWORKX)
        for metric in (metrics.betweenness, metrics.closeness):
            (mine, k1), (theirs, k2) = metric(g, compiled), metric(g, networkx)
            assert k1 == k2 and max_gap(mine, theirs) < TOLERANCE, metric.__name__


def test_auto_takes_igraph_from_the_threshold() -> None:
    g = _random_graph(5)
    n = g.number_of_nodes()
    assert metrics.engine_for(g, metrics.Options(engine_threshold=n + 1)) is None
    assert metrics.engine_for(g, metrics.Options(engine_threshold=n)) is not None
    assert metrics.engine_for(g, metrics.Options(engine=AnalyticsEngine.NETWORKX, engine_threshold=1)) is None
    assert metrics.engine_for(g, metrics.Options(engine=AnalyticsEngine.IGRAPH)) is not None
    assert compute(projection.build([]), options=metrics.Options(engine=AnalyticsEngine.IGRAPH)).engine == "igraph"


async def test_same_ties_in_any_order_give_identical_results(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "conghua")
    await store.migrate()
    await load_dataset(store, dataset("conghua"))
    ties = await store.analytics_network()
    await store.close()
    shuffled = list(ties)
    random.Random(7).shuffle(shuffled)
    for engine in ENGINES:
        options = metrics.Options(engine=engine)
        a, b = compute(projection.build(ties), options=options), compute(projection.build(shuffled), options=options)
        assert a.version == b.version and a.engine == b.engine == engine.value
        assert (a.betweenness, a.closeness, a.pagerank, a.community, a.modularity) == \
               (b.betweenness, b.closeness, b.pagerank, b.community, b.modularity)
        assert a.cuts == b.cuts
