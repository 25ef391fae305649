"""Brokers: articulation points (units whose departure splits the network) and bridges (ties
whose loss does), each with the sizes of the pieces it would leave behind.

One iterative depth-first search per component (Hopcroft-Tarjan low points) finds both and the
piece sizes at once, in O(n + m); removing each candidate and recounting would be O(n * m).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True, slots=True)
class Bridge:
    a: str  # the smaller id
    b: str
    split_sizes: tuple[int, int]  # sizes of the two pieces, larger first


@dataclass(frozen=True, slots=True)
class CutReport:
    # articulation point -> sizes of the pieces its component falls into without it, largest first
    articulation: dict[str, tuple[int, ...]]
    bridges: list[Bridge]


def cut_points(g: nx.Graph) -> CutReport:
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    size: dict[str, int] = {}
    articulation: dict[str, tuple[int, ...]] = {}
    bridges: list[Bridge] = []
    clock = 0
    for root in g:
        if root in disc:
            continue
        # pieces[v]: sizes of the child subtrees that hang off v alone (low[child] >= disc[v])
        pieces: dict[str, list[int]] = {}
        cut_ties: list[tuple[str, str, int]] = []  # bridge ends and the size of the child's side
        disc[root] = low[root] = clock
        clock += 1
        size[root] = 1
        stack: list[tuple[str, str | None, list[str]]] = [(root, None, sorted(g[root], reverse=True))]
        while stack:
            v, parent, todo = stack[-1]
            if todo:
                w = todo.pop()
                if w == parent:
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                else:
                    disc[w] = low[w] = clock
                    clock += 1
                    size[w] = 1
                    stack.append((w, v, sorted(g[w], reverse=True)))
                continue
            stack.pop()
            if parent is None:
                continue
            low[parent] = min(low[parent], low[v])
            size[parent] += size[v]
            if low[v] >= disc[parent]:
                pieces.setdefault(parent, []).append(size[v])
            if low[v] > disc[parent]:
                cut_ties.append((min(parent, v), max(parent, v), size[v]))
        total = size[root]
        for v, parts in pieces.items():
            if v != root:
                parts = [*parts, total - 1 - sum(parts)]  # the rest, on the parent's side
            if len(parts) >= 2:
                articulation[v] = tuple(sorted(parts, reverse=True))
        bridges += [Bridge(a, b, (max(side, total - side), min(side, total - side))) for a, b, side in cut_ties]
    bridges.sort(key=lambda br: (br.a, br.b))
    return CutReport(articulation, bridges)
