"""One analysis run: load the projection, compute the asked metrics, write them back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import StrEnum

from service.analytics import metrics, projection, writeback
from service.analytics.brokers import cut_points
from service.analytics.projection import Network, Scope
from service.analytics.results import Analysis
from service.graph.port import GraphStore

# progress(step, done, total): steps are "load", each metric's name, then "write"
Progress = Callable[[str, int, int], None]


class Metric(StrEnum):
    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"
    CLOSENESS = "closeness"
    COMMUNITIES = "communities"
    BROKERS = "brokers"


ALL_METRICS: tuple[Metric, ...] = tuple(Metric)


def _quiet(step: str, done: int, total: int) -> None:
    return None


def compute(
    network: Network, asked: Iterable[Metric] = ALL_METRICS, options: metrics.Options | None = None,
    progress: Progress = _quiet, now: datetime | None = None,
) -> Analysis:
    """Degree and strength always (they cost nothing); the rest as asked. The engine (networkx or
    igraph, metrics.engine_for) is chosen and the graph converted once for every metric. Each metric
    reports (name, units done, units) as it goes: per component on networkx, at its end on igraph."""
    options = options or metrics.Options()
    wanted = set(asked) | {Metric.DEGREE}
    steps = [m for m in ALL_METRICS if m in wanted]
    g = network.graph
    n = g.number_of_nodes()
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    result = Analysis(network, network.version, moment, metrics.degree(g), metrics.strength(g))
    engine = metrics.engine_for(g, options) if wanted - {Metric.DEGREE, Metric.BROKERS} else None
    result.engine = "networkx" if engine is None else "igraph"
    for metric in steps:
        name = metric.value
        progress(name, 0, n)

        def tick(done: int, name: str = name) -> None:
            progress(name, min(done, n - 1), n)  # the step ends with (n, n) below, once its result is in

        if metric is Metric.BETWEENNESS:
            result.betweenness, result.betweenness_pivots = metrics.betweenness(g, options, engine, tick)
        elif metric is Metric.CLOSENESS:
            result.closeness, result.closeness_pivots = metrics.closeness(g, options, engine, tick)
        elif metric is Metric.PAGERANK:
            result.pagerank = metrics.pagerank(g, options, engine)
        elif metric is Metric.COMMUNITIES:
            result.community, result.modularity = metrics.communities(g, options, engine)
        elif metric is Metric.BROKERS:
            result.cuts = cut_points(g)
        progress(name, n, n)
    return result


async def analyze(
    store: GraphStore, scope: Scope | None = None, asked: Iterable[Metric] = ALL_METRICS,
    options: metrics.Options | None = None, progress: Progress = _quiet, write: bool = True,
) -> Analysis:
    """Compute the metrics of `scope` (the whole graph by default) and, unless `write` is
    False, write them onto its units. The computation runs in a worker thread (progress is
    reported from there): a service analysing in the background keeps answering meanwhile."""
    scope = scope or Scope()
    progress("load", 0, 1)
    network = await projection.load(store, scope)
    progress("load", 1, 1)
    result = await asyncio.to_thread(compute, network, asked, options, progress)
    if write:
        await writeback.write(store, result, progress)
    return result
