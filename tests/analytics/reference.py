"""igraph, an independent implementation, on the same projection: the reference every metric
must match within 1e-9."""

from __future__ import annotations

import igraph as ig
import networkx as nx

TOLERANCE = 1e-9


class Reference:
    def __init__(self, g: nx.Graph) -> None:
        self.names = list(g)
        index = {v: i for i, v in enumerate(self.names)}
        self.g = ig.Graph(n=len(self.names), edges=[(index[a], index[b]) for a, b in g.edges()])
        self.g.es["weight"] = [float(w) for _, _, w in g.edges(data="weight")]
        self.n = len(self.names)

    def _by_name(self, values: list[float]) -> dict[str, float]:
        return dict(zip(self.names, values, strict=True))

    def degree(self) -> dict[str, float]:
        return self._by_name([float(d) for d in self.g.degree()])

    def strength(self) -> dict[str, float]:
        return self._by_name(self.g.strength(weights="weight"))

    def betweenness(self) -> dict[str, float]:
        n = self.n
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
        return self._by_name([b * scale for b in self.g.betweenness(directed=False)])

    def closeness(self) -> dict[str, float]:
        if self.n <= 1:
            return self._by_name([0.0] * self.n)
        return self._by_name(self.g.harmonic_centrality(normalized=True))

    def pagerank(self) -> dict[str, float]:
        return self._by_name(self.g.pagerank(directed=False, damping=0.85, weights="weight"))

    def modularity(self, community: dict[str, int]) -> float:
        return float(self.g.modularity([community[v] for v in self.names], weights="weight"))

    def louvain_modularity(self) -> float:
        return float(self.g.community_multilevel(weights="weight").modularity)

    def articulation_points(self) -> set[str]:
        return {self.names[i] for i in self.g.articulation_points()}

    def bridges(self) -> set[tuple[str, str]]:
        pairs = (self.g.es[e].tuple for e in self.g.bridges())
        return {(min(self.names[a], self.names[b]), max(self.names[a], self.names[b])) for a, b in pairs}

    def split_sizes(self, unit: str) -> tuple[int, ...]:
        """Piece sizes of the unit's component once the unit is removed, by deleting it."""
        i = self.names.index(unit)
        component = self.g.subcomponent(i)
        sub = self.g.induced_subgraph([v for v in component if v != i])
        return tuple(sorted((len(c) for c in sub.connected_components()), reverse=True))


def max_gap(mine: dict[str, float], theirs: dict[str, float]) -> float:
    assert mine.keys() == theirs.keys()
    return max((abs(mine[v] - theirs[v]) for v in mine), default=0.0)
