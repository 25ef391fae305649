"""Positions for big explorer views, computed once on the server instead of a live layout in the page.

The page sends only the shape of its view (a node count and index pairs), never names or ids, so nothing
personal crosses this endpoint; what it draws came from /graphql under the caller's key."""

from __future__ import annotations

import math

import networkx as nx

# Up to this many nodes networkx's spring layout (its dense numpy form, a few tenths of a second);
# from 500 nodes networkx switches to a sparse form that loops in Python (1,000 nodes: 5 s of CPU).
SMALL = 300
# Repulsion samples plus edges, summed over the iterations: the sampled layout's work, bounded so
# that the largest view (20,000 nodes, 200,000 edges) costs about as much as 80 iterations of a
# 20,000-node, 80,000-edge one (half a second); smaller views keep all 80 iterations.
WORK = 80 * (20_000 * 12 + 80_000)


def spring_positions(count: int, edges: list[tuple[int, int]], seed: int = 7) -> tuple[list[tuple[float, float]], str]:
    """Positions in roughly [-1, 1]², deterministic for a given view and seed, and the algorithm used."""
    if count == 0:
        return [], "none"
    if count <= SMALL:
        g = nx.Graph()
        g.add_nodes_from(range(count))
        g.add_edges_from(edges)
        pos = nx.spring_layout(g, seed=seed, iterations=60)
        return [(float(pos[i][0]), float(pos[i][1])) for i in range(count)], "networkx spring layout"
    iterations = max(10, min(80, WORK // (count * 12 + len(edges))))
    return (_sampled_fruchterman_reingold(count, edges, seed, iterations),
            "Fruchterman-Reingold, sampled repulsion (numpy)")


def _sampled_fruchterman_reingold(count: int, edges: list[tuple[int, int]], seed: int,
                                  iterations: int = 80, samples: int = 12) -> list[tuple[float, float]]:
    """Fruchterman-Reingold with the all-pairs repulsion estimated from a few random partners per node:
    linear in nodes and edges per iteration, so a 10k-node, 50k-edge view takes about a second."""
    import numpy as np

    rng = np.random.default_rng(seed)
    side = math.sqrt(count)
    pos = rng.random((count, 2)) * side
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    k = 1.0
    if edges:
        pairs = np.asarray(edges, dtype=np.int64)
        src, dst = pairs[:, 0], pairs[:, 1]
    else:
        src = dst = np.zeros(0, dtype=np.int64)
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    scale = (count - 1) / samples
    for _ in range(iterations):
        dx = np.zeros(count)
        dy = np.zeros(count)
        for _ in range(samples):
            other = rng.integers(0, count, count)
            ox = x - x[other]
            oy = y - y[other]
            push = (k * k * scale) / np.maximum(ox * ox + oy * oy, 1e-4)
            dx += ox * push
            dy += oy * push
        if len(src):
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            pull = np.sqrt(ex * ex + ey * ey) / k  # force = delta * dist / k, per edge
            fx = ex * pull
            fy = ey * pull
            # per-node sums (bincount is several times quicker than np.add.at)
            dx += np.bincount(dst, fx, count) - np.bincount(src, fx, count)
            dy += np.bincount(dst, fy, count) - np.bincount(src, fy, count)
        length = np.sqrt(dx * dx + dy * dy) + 1e-9
        step = np.minimum(length, temperature) / length
        x += dx * step
        y += dy * step
        temperature -= cooling
    pos = np.column_stack((x, y))
    pos -= pos.mean(axis=0)
    span = float(np.abs(pos).max()) or 1.0
    return [(float(x), float(y)) for x, y in pos / span]
