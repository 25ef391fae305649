"""Full analytics refresh (read the projection, compute every metric, write the results back) and
the same metrics in networkx alone, with a networkx dispatch backend, and in igraph on one graph.

    .venv/bin/python -m bench.bench_analytics                          # huadu at scale 1 and 10, embedded
    .venv/bin/python -m bench.bench_analytics --store neo4j --scales 1 # a local Neo4j is started
    ALLIANCE_NEO4J_URI=… ALLIANCE_NEO4J_PASSWORD=… .venv/bin/python -m bench.bench_analytics --store neo4j

Targets (issue 5): huadu < 10 s, huadu --scale 10 < 2 min. The Neo4j graph is CLEARED.
Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from service.analytics import metrics, projection
from service.analytics.analysis import analyze
from service.analytics.brokers import cut_points
from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.settings import AnalyticsEngine

TARGETS = {1: 10.0, 10: 120.0}


@contextmanager
def opened(kind: str) -> Iterator[GraphStore]:
    if kind == "embedded":
        with tempfile.TemporaryDirectory(prefix="bench-analytics-") as tmp:
            yield EmbeddedStore(Path(tmp))
        return
    from bench.common import neo4j_store

    with neo4j_store() as store:
        yield store


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def dispatch_backend() -> tuple[str | None, str]:
    """The nx-parallel backend when it imports against this networkx, else why not."""
    try:
        import nx_parallel  # noqa: F401
    except ImportError as exc:
        return None, f"nx-parallel not usable here: {exc.__class__.__name__}: {exc}"
    return "parallel", "nx-parallel"


WHOLE_GRAPH_SOURCES = 300  # above this many units, whole-graph betweenness is timed on a sample of sources


def networkx_alone(g: nx.Graph, backend: str | None) -> dict[str, float]:
    """The textbook calls on the whole graph (no per-component split), optionally dispatched.
    Each Brandes source costs O(n) set-up on top of its BFS, so on a graph of many components
    the exact run is quadratic; on a large graph it is timed from WHOLE_GRAPH_SOURCES sources
    and scaled by n / sources (every source costs about the same there)."""
    extra: dict[str, Any] = {} if backend is None else {"backend": backend}
    n = g.number_of_nodes()
    if n > 5_000:
        k = WHOLE_GRAPH_SOURCES
        between = timed(lambda: nx.betweenness_centrality(g, k=k, seed=metrics.SEED, **extra)) * n / k
    else:
        between = timed(lambda: nx.betweenness_centrality(g, **extra))
    return {
        "betweenness": between,
        "closeness": timed(lambda: nx.harmonic_centrality(g)),
        "pagerank": timed(lambda: nx.pagerank(g, weight="weight", tol=metrics.PAGERANK_TOL, max_iter=100_000)),
        "communities": timed(lambda: nx.community.louvain_communities(g, weight="weight", seed=metrics.SEED)),
        "brokers": timed(lambda: (list(nx.articulation_points(g)), list(nx.bridges(g)))),
    }


def service_metrics(g: nx.Graph) -> dict[str, float]:
    """The service's networkx engine (per component); bench_analytics_scale compares it with igraph's."""
    options = metrics.Options(engine=AnalyticsEngine.NETWORKX)
    return {
        "betweenness": timed(lambda: metrics.betweenness(g, options)),
        "closeness": timed(lambda: metrics.closeness(g, options)),
        "pagerank": timed(lambda: metrics.pagerank(g, options)),
        "communities": timed(lambda: metrics.communities(g, options)),
        "brokers": timed(lambda: cut_points(g)),
    }


def igraph_metrics(g: nx.Graph) -> dict[str, float]:
    import igraph as ig

    index = {v: i for i, v in enumerate(g)}
    h = ig.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in g.edges()])
    h.es["weight"] = [w for _, _, w in g.edges(data="weight")]
    return {
        "betweenness": timed(lambda: h.betweenness(directed=False)),
        "closeness": timed(lambda: h.harmonic_centrality(normalized=True)),
        "pagerank": timed(lambda: h.pagerank(directed=False, weights="weight")),
        "communities": timed(lambda: h.community_multilevel(weights="weight")),
        "brokers": timed(lambda: (h.articulation_points(), h.bridges())),
    }


async def one(kind: str, profile: str, scale: int) -> list[str]:
    rows = []
    with opened(kind) as store:
        try:
            await store.migrate()
            await store.clear()
            dataset = generate(profile, scale=scale)
            started = time.perf_counter()
            await load_dataset(store, dataset)
            load_s = time.perf_counter() - started
            steps: dict[str, float] = {}
            last = [time.perf_counter()]

            def progress(step: str, done: int, total: int) -> None:
                now = time.perf_counter()
                steps[step] = steps.get(step, 0.0) + now - last[0]
                last[0] = now

            started = time.perf_counter()
            result = await analyze(store, progress=progress)
            refresh = time.perf_counter() - started
            g = result.network.graph
            network = await projection.load(store)
        finally:
            await store.close()
    target = TARGETS.get(scale)
    verdict = "" if target is None else f" (target < {target:g} s: {'met' if refresh < target else 'MISSED'})"
    comps = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    rows.append(f"| {profile} ×{scale}, {kind} | {g.number_of_nodes():,} units, {g.number_of_edges():,} ties, "
                f"largest component {comps[0] if comps else 0:,} | load {load_s:.1f} s (not part of the refresh) |")
    detail = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
    rows.append(f"| full refresh | **{refresh:.2f} s**{verdict} | {detail} |")
    backend, note = dispatch_backend()
    sides = {"service (per component)": service_metrics(network.graph),
             "networkx alone (whole graph; betweenness extrapolated above 5,000 units)":
                 networkx_alone(network.graph, None)}
    if backend is not None:
        sides[f"networkx + {note}"] = networkx_alone(network.graph, backend)
    sides["igraph 1.0 (C)"] = igraph_metrics(network.graph)
    for name, times in sides.items():
        total = sum(times.values())
        rows.append(f"| {name} | {total:.2f} s | " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()) + " |")
    if backend is None:
        rows.append(f"| networkx dispatch backend | — | {note} |")
    return rows


async def run(kind: str, profile: str, scales: list[int]) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print("| run | figure | detail |\n|---|---|---|")
    for scale in scales:
        for row in await one(kind, profile, scale):
            print(row, flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--profile", default="huadu")
    parser.add_argument("--scales", default="1,10", help="comma-separated scales")
    args = parser.parse_args()
    asyncio.run(run(args.store, args.profile, [int(s) for s in args.scales.split(",")]))


if __name__ == "__main__":
    main()
