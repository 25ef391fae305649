"""The compiled engine behind the networkx interface: igraph (C) computes the metrics of an nx.Graph
when the projection is big (metrics.Options.engine, README "Analytics").

The analytics code keeps taking and returning networkx's shapes (an nx.Graph in, dicts by unit id
out); this module converts the graph once, in the graph's own node order, and computes the same
quantities as metrics.py's networkx path:

- betweenness and harmonic closeness exact for every component of at most `exact_limit` units and,
  above that, the same estimators from the same pivots (random.Random(seed).sample of the component
  in graph order), so the two engines agree within 1e-9 whether exact or sampled;
- PageRank: igraph's PRPACK, an exact solver, within 1e-12 of networkx's iteration to n * 1e-15;
- communities: igraph's Louvain (multilevel) with its random source seeded, weighted modularity.
  A different implementation from networkx's, so the partition may differ; both are Louvain optima
  and tests/analytics check either against igraph's modularity.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable

import networkx as nx
import numpy as np

Tick = Callable[[int], None]  # units done so far within the current metric

# igraph draws Louvain's node order from one process-wide generator: seeded under this lock, so two
# analyses in two threads cannot reseed it under each other
_RNG_LOCK = threading.Lock()
_DISTANCE_CHUNK = 64  # pivots whose distance rows are held at once (64 x component size floats)


def available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _quiet(done: int) -> None:
    return None


class Compiled:
    """One nx.Graph converted to igraph, vertex i being the i-th node of the nx.Graph."""

    def __init__(self, g: nx.Graph) -> None:
        import igraph as ig

        self.names: list[str] = list(g)
        index = {v: i for i, v in enumerate(self.names)}
        edges = [(index[a], index[b]) for a, b in g.edges()]
        self.graph = ig.Graph(n=len(self.names), edges=edges)
        self.graph.es["weight"] = [float(w) for _, _, w in g.edges(data="weight")]
        self.n = len(self.names)
        # component of each vertex and its size, as arrays: a province has 100,000s of components (most
        # of them one unit), and a list for each would be that many containers for the garbage collector
        self.membership = np.asarray(self.graph.connected_components().membership, dtype=np.int64)
        self.sizes = np.bincount(self.membership) if self.n else np.zeros(0, dtype=np.int64)

    def _by_name(self, values: list[float] | np.ndarray) -> dict[str, float]:
        return {name: float(v) for name, v in zip(self.names, values, strict=True)}

    def _split(self, exact_limit: int, smallest: int) -> tuple[list[int], list[list[int]]]:
        """The vertices of the components computed exactly, ascending (as igraph's induced subgraph
        numbers them), and the components sampled."""
        size = self.sizes[self.membership]
        exact = np.flatnonzero((size >= smallest) & (size <= exact_limit)).tolist()
        big = np.flatnonzero(self.sizes > exact_limit)  # the few components sampled, largest first as metrics'
        order = sorted(big.tolist(), key=lambda c: (-int(self.sizes[c]), int(np.argmax(self.membership == c))))
        return exact, [np.flatnonzero(self.membership == c).tolist() for c in order]

    def betweenness(
        self, exact_limit: int, pivots: int, seed: int, tick: Tick = _quiet,
    ) -> tuple[dict[str, float], int]:
        n = self.n
        scores = np.zeros(n)
        if n <= 2:
            return self._by_name(scores), 0
        scale = 2.0 / ((n - 1) * (n - 2))
        exact, sampled = self._split(exact_limit, 3)
        if not sampled:
            scores = np.asarray(self.graph.betweenness(directed=False)) * scale
        elif exact:
            scores[exact] = np.asarray(self.graph.induced_subgraph(exact).betweenness(directed=False)) * scale
        tick(len(exact))
        used, done = 0, len(exact)
        for comp in sampled:
            k = min(pivots, len(comp))
            sources = _pivots(comp, k, seed)
            sub = self.graph.induced_subgraph(comp)  # keeps ascending order: vertex j of sub is comp[j]
            position = {v: j for j, v in enumerate(comp)}
            raw = sub.betweenness(directed=False, sources=[position[s] for s in sources], targets=None)
            # networkx's k-source estimator: the pivots' dependencies scaled by n_c / k
            scores[comp] = np.asarray(raw) * (len(comp) / k) * scale
            used += k
            done += len(comp)
            tick(done)
        return self._by_name(scores), used

    def closeness(
        self, exact_limit: int, pivots: int, seed: int, tick: Tick = _quiet,
    ) -> tuple[dict[str, float], int]:
        n = self.n
        scores = np.zeros(n)
        if n <= 1:
            return self._by_name(scores), 0
        exact, sampled = self._split(exact_limit, 2)
        if not sampled:
            scores = np.asarray(self.graph.harmonic_centrality(normalized=False)) / (n - 1)
        elif exact:
            sums = self.graph.induced_subgraph(exact).harmonic_centrality(normalized=False)
            scores[exact] = np.asarray(sums) / (n - 1)
        tick(len(exact))
        used, done = 0, len(exact)
        for comp in sampled:
            k = min(pivots, len(comp))
            sources = _pivots(comp, k, seed)
            sub = self.graph.induced_subgraph(comp)
            position = {v: j for j, v in enumerate(comp)}
            sums = np.zeros(len(comp))
            for start in range(0, k, _DISTANCE_CHUNK):
                rows = np.asarray(sub.distances(source=[position[s] for s in sources[start:start + _DISTANCE_CHUNK]]),
                                  dtype=float)
                with np.errstate(divide="ignore"):
                    inverse = np.where(rows > 0, 1.0 / rows, 0.0)  # a pivot's own distance 0 adds nothing
                sums += inverse.sum(axis=0)
            # Eppstein-Wang as metrics._sampled_harmonic: a pivot scales by (n_c-1)/(k-1), another unit by n_c/k
            n_c = len(comp)
            factor = np.full(n_c, n_c / k if k > 1 else float(n_c))
            if k > 1:
                factor[[position[s] for s in sources]] = (n_c - 1) / (k - 1)
            scores[comp] = sums * factor / (n - 1)
            used += k
            done += len(comp)
            tick(done)
        return self._by_name(scores), used

    def pagerank(self, damping: float) -> dict[str, float]:
        if self.n == 0:
            return {}
        return self._by_name(self.graph.pagerank(directed=False, damping=damping, weights="weight"))

    def communities(self, seed: int) -> tuple[dict[str, int], float]:
        """Louvain's community of each unit and the partition's weighted modularity (resolution 1)."""
        import igraph as ig

        with _RNG_LOCK:
            ig.set_random_number_generator(random.Random(seed))
            try:
                found = self.graph.community_multilevel(weights="weight")
            finally:
                ig.set_random_number_generator(random)  # igraph's default source
        membership: list[int] = found.membership
        modularity = float(self.graph.modularity(membership, weights="weight"))
        return dict(zip(self.names, membership, strict=True)), modularity if math.isfinite(modularity) else 0.0


def _pivots(comp: list[int], k: int, seed: int) -> list[int]:
    """The k pivots of a sampled component: the same draw as metrics.py's networkx path makes from the
    component's units in graph order."""
    return random.Random(seed).sample(comp, k)
