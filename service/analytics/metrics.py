"""Centrality and community metrics of the alliance network, the way Gephi and Neo4j GDS report them.

- degree: the number of distinct partners (unweighted); `strength` is the weighted degree.
- betweenness: unweighted shortest paths, normalised by (n-1)(n-2)/2 over the whole projection
  (Gephi's and networkx's normalisation). Computed per connected component: exact (Brandes) for a
  component of at most `exact_limit` nodes (EXACT_LIMIT = 5,000 by default, above every demo
  profile's largest component, 1,667 nodes in urumqi-etdz); a larger component is estimated from
  `pivots` source nodes (PIVOTS = 1,000) drawn with a fixed seed, networkx's unbiased estimator.
  Error: each pivot adds a term in [0, n/(n-1)] to a node's normalised score, so by Hoeffding the
  estimate is within eps = sqrt(ln(2n/delta) / (2k)) of the exact value for all n nodes at once
  with probability 1 - delta (k = 1,000, n = 20,000, delta = 0.05: eps = 0.082); sampling without
  replacement keeps Hoeffding's bound. Measured errors are far smaller: on baiyun (963 units, one
  component of 949) 200 pivots miss exact betweenness by at most 0.0097 (top score 0.041) where
  eps = 0.16; tests/analytics/test_metrics.py checks the bound on huadu.
- closeness: harmonic, sum over other units of 1/distance, divided by n-1 of the whole projection
  (0 for an isolated unit; well defined on disconnected graphs). Exact per component like
  betweenness; a component above `exact_limit` is estimated from the same number of pivots
  (Eppstein-Wang sampling, unbiased: a non-pivot scales by n_c/k, a pivot by (n_c-1)/(k-1)); each
  pivot's term is again in [0, 1], so the same eps bounds the error (baiyun, 200 pivots: 0.018).
- pagerank: weighted, damping 0.85, uniform teleport and dangling redistribution, iterated to an
  L1 change below n * 1e-15 (so it agrees with an exact solver to about 1e-12).
- communities: Louvain on the weights, resolution 1, seed SEED, with weighted modularity; ids
  renumbered by size (largest first, ties by smallest member id), so they are stable across stores.

Engines (Options.engine, setting ALLIANCE_ANALYTICS_ENGINE): the interface is networkx (an nx.Graph in,
dicts by unit id out). `networkx` computes in networkx's own Python code; `igraph` hands the graph to
igraph's C code (service/analytics/compiled.py), with the same exact/sampled split and the same pivots;
`auto` (the default) takes igraph for a projection of at least ENGINE_THRESHOLD units when igraph is
installed, networkx otherwise. Both match igraph's reference values within 1e-9 (tests/analytics); the
Louvain partitions are each engine's own (modularity checked against igraph's for both).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import networkx as nx

from service.analytics import compiled
from service.analytics.compiled import Compiled, Tick
from service.settings import AnalyticsEngine, Settings

EXACT_LIMIT = 5_000
PIVOTS = 1_000
SEED = 2026
DAMPING = 0.85
PAGERANK_TOL = 1e-15
# from this many units in the projection `auto` computes in igraph: huadu (2,201 units) stays in networkx
# (about a second), a city or a province (22k-264k units) goes to C (bench/RESULTS.md, "Analytics at scale")
ENGINE_THRESHOLD = 5_000


@dataclass(frozen=True, slots=True)
class Options:
    exact_limit: int = EXACT_LIMIT
    pivots: int = PIVOTS
    seed: int = SEED
    backend: str | None = None  # a networkx dispatch backend for betweenness, e.g. "parallel"
    engine: AnalyticsEngine = AnalyticsEngine.AUTO
    engine_threshold: int = ENGINE_THRESHOLD


def options_for(settings: Settings) -> Options:
    """The options the settings name (ALLIANCE_ANALYTICS_ENGINE); the rest at their defaults."""
    return Options(engine=settings.analytics_engine)


def engine_for(g: nx.Graph, options: Options) -> Compiled | None:
    """The compiled graph to compute on, or None for networkx's own code."""
    if options.engine is AnalyticsEngine.NETWORKX:
        return None
    if options.engine is AnalyticsEngine.IGRAPH:
        if not compiled.available():
            raise RuntimeError("analytics engine 'igraph' asked for, but python-igraph is not installed")
        return Compiled(g)
    if g.number_of_nodes() >= options.engine_threshold and compiled.available():
        return Compiled(g)
    return None


def _quiet(done: int) -> None:
    return None


def degree(g: nx.Graph) -> dict[str, float]:
    return {v: float(d) for v, d in g.degree()}


def strength(g: nx.Graph) -> dict[str, float]:
    return {v: float(d) for v, d in g.degree(weight="weight")}


def _components(g: nx.Graph) -> list[list[str]]:
    """Components with their nodes in the graph's (sorted) order, largest first."""
    order = {v: i for i, v in enumerate(g)}
    comps = [sorted(c, key=order.__getitem__) for c in nx.connected_components(g)]
    return sorted(comps, key=lambda c: (-len(c), c[0]))


def _backend(options: Options) -> dict[str, Any]:
    return {} if options.backend is None else {"backend": options.backend}


def error_bound(n: int, pivots: int, delta: float = 0.05) -> float:
    """Hoeffding's eps for sampled betweenness or closeness: every one of n estimates is within
    eps of the exact value with probability at least 1 - delta."""
    return math.sqrt(math.log(2 * n / delta) / (2 * pivots))


def betweenness(
    g: nx.Graph, options: Options = Options(), engine: Compiled | None = None, tick: Tick = _quiet,
) -> tuple[dict[str, float], int]:
    """Normalised betweenness and the number of pivots used (0: exact everywhere). `engine`: the graph
    already compiled by engine_for (else chosen here); `tick` hears the units done so far."""
    engine = engine or engine_for(g, options)
    if engine is not None:
        return engine.betweenness(options.exact_limit, options.pivots, options.seed, tick)
    n = g.number_of_nodes()
    scores = dict.fromkeys(g, 0.0)
    if n <= 2:
        return scores, 0
    scale = 2.0 / ((n - 1) * (n - 2))
    sampled = done = 0
    for comp in _components(g):
        done += len(comp)
        if len(comp) <= 2:
            continue
        sub = g.subgraph(comp).copy()
        if len(comp) <= options.exact_limit:
            raw = nx.betweenness_centrality(sub, normalized=False, **_backend(options))
        else:
            # networkx's k-source estimator, its pivots drawn from the component in graph order (the
            # subgraph's own order follows a set's, which varies between processes)
            k = min(options.pivots, len(comp))
            raw = nx.betweenness_centrality_subset(sub, _pivots(comp, k, options.seed), comp, normalized=False)
            raw = {v: value * len(comp) / k for v, value in raw.items()}
            sampled += k
        for v, value in raw.items():
            scores[v] = value * scale
        tick(done)
    return scores, sampled


def _pivots(comp: list[str], k: int, seed: int) -> list[str]:
    return random.Random(seed).sample(comp, k)


def closeness(
    g: nx.Graph, options: Options = Options(), engine: Compiled | None = None, tick: Tick = _quiet,
) -> tuple[dict[str, float], int]:
    """Harmonic closeness divided by n-1, and the number of pivots used (0: exact)."""
    engine = engine or engine_for(g, options)
    if engine is not None:
        return engine.closeness(options.exact_limit, options.pivots, options.seed, tick)
    n = g.number_of_nodes()
    scores = dict.fromkeys(g, 0.0)
    if n <= 1:
        return scores, 0
    sampled = done = 0
    for comp in _components(g):
        done += len(comp)
        if len(comp) == 1:
            continue
        sub = g.subgraph(comp).copy()
        if len(comp) <= options.exact_limit:
            raw = nx.harmonic_centrality(sub)
        else:
            k = min(options.pivots, len(comp))
            raw = _sampled_harmonic(sub, comp, k, options.seed)
            sampled += k
        for v, value in raw.items():
            scores[v] = value / (n - 1)
        tick(done)
    return scores, sampled


def _sampled_harmonic(sub: nx.Graph, comp: list[str], k: int, seed: int) -> dict[str, float]:
    pivots = _pivots(comp, k, seed)
    sums = dict.fromkeys(comp, 0.0)
    for s in pivots:
        for v, d in nx.single_source_shortest_path_length(sub, s).items():
            if d:
                sums[v] += 1.0 / d
    chosen = set(pivots)
    n_c = len(comp)
    return {
        v: total * ((n_c - 1) / (k - 1) if v in chosen else n_c / k) if k > 1 else total * n_c
        for v, total in sums.items()
    }


def pagerank(g: nx.Graph, options: Options = Options(), engine: Compiled | None = None) -> dict[str, float]:
    n = g.number_of_nodes()
    if n == 0:
        return {}
    engine = engine or engine_for(g, options)
    if engine is not None:
        return engine.pagerank(DAMPING)
    result: dict[str, float] = nx.pagerank(g, alpha=DAMPING, weight="weight", tol=PAGERANK_TOL, max_iter=100_000)
    return result


def communities(
    g: nx.Graph, options: Options = Options(), engine: Compiled | None = None,
) -> tuple[dict[str, int], float]:
    """Community id per unit and the weighted modularity of the partition."""
    seed = options.seed
    membership: dict[str, int]
    if g.number_of_edges() == 0:
        membership = {v: i for i, v in enumerate(g)}
        modularity = 0.0
    elif (engine := engine or engine_for(g, options)) is not None:
        membership, modularity = engine.communities(seed)
    else:
        parts = nx.community.louvain_communities(g, weight="weight", resolution=1.0, seed=seed)
        modularity = float(nx.community.modularity(g, parts, weight="weight", resolution=1.0))
        membership = {v: i for i, part in enumerate(parts) for v in part}
    return _by_size(g, membership), modularity


def _by_size(g: nx.Graph, membership: dict[str, int]) -> dict[str, int]:
    """Communities renumbered largest first, ties by their smallest member id; one pass over the units
    (a list per community would be 100,000s of small lists on a province, each one a collector's load)."""
    sizes: dict[int, int] = {}
    smallest: dict[int, str] = {}
    for v, c in membership.items():
        sizes[c] = sizes.get(c, 0) + 1
        if c not in smallest or v < smallest[c]:
            smallest[c] = v
    number = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], smallest[c])))}
    return {v: number[membership[v]] for v in g}
