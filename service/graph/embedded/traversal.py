"""Walks from one node: its neighbourhood (breadth first), a shortest path to another, and the
units paired with an organisation through ACTIVE agreements; each optionally confined to a region
subtree (the mirrors of neighbourhood.cypher, shortest_path.cypher and paired_units.cypher)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from service.errors import NotFound
from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import MemoryGraph, key_type
from service.graph.types import Edge, Pairing, Subgraph
from service.model import Label, RelType


def neighbourhood(ex: EmbeddedExecutor, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
    records.check_depth(depth, limit)
    with ex.reading() as mem:
        regions = mem.subtree(region_id) if region_id is not None else None
        if id not in mem.nodes or (regions is not None and not mem.in_scope(mem.nodes[id], regions)):
            raise NotFound(f"no node {id!r}")
        keep = (lambda _: True) if regions is None else (lambda n: mem.in_scope(mem.nodes[n], regions))
        ids, truncated = bfs(mem.neighbours, id, depth, limit, keep)
        nodes = [mem.nodes[i] for i in ids]
        edges = records.keep_internal(nodes, ((i, _out_rows(mem, i)) for i in ids))
    return Subgraph(nodes, edges, truncated)


def shortest_path(
    ex: EmbeddedExecutor, source: str, target: str, max_depth: int = 8, region_id: str | None = None
) -> Subgraph | None:
    with ex.reading() as mem:
        if source not in mem.nodes or target not in mem.nodes:
            return None
        regions = mem.subtree(region_id) if region_id is not None else None

        def keep(n: str) -> bool:  # every node on the path within the region subtree, if one is given
            return regions is None or mem.in_scope(mem.nodes[n], regions)

        if not (keep(source) and keep(target)):
            return None
        path = _shortest(mem, source, target, max_depth, keep)
        if path is None:
            return None
        edges = []
        for a, b in itertools.pairwise(path):
            forward = mem.edges_between(a, b)
            start, end, data = (a, b, forward) if forward else (b, a, mem.edges_between(b, a))
            first = sorted(data)[0]
            edges.append(Edge(key_type(first), start, end, dict(data[first])))
        return Subgraph([mem.nodes[i] for i in path], edges)


def paired_units(ex: EmbeddedExecutor, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
    with ex.reading() as mem:
        regions = mem.subtree(region_id) if region_id is not None else None
        node = mem.nodes.get(organisation_id)
        if node is None:
            return []
        if node.label is Label.ORGANISATION:
            owners = [node.id]
        elif node.label is Label.REGION:
            # a region's own party organisation: the one of the region's kind located there
            owners = [u for u in mem.into(node.id, RelType.LOCATED_IN)
                      if mem.has_label(u, Label.ORGANISATION)
                      and mem.nodes[u].props.get("kind") == node.props.get("level")]
        else:
            owners = []
        paired: dict[str, set[str]] = {}
        for owner in owners:
            for agreement in mem.out(owner, RelType.PARTY_TO):
                if mem.nodes[agreement].props.get("status") != "ACTIVE":
                    continue
                for unit in mem.into(agreement, RelType.PARTY_TO):
                    if unit != owner and (regions is None or mem.in_scope(mem.nodes[unit], regions)):
                        paired.setdefault(unit, set()).add(agreement)
        return [Pairing(mem.nodes[u], [mem.nodes[a] for a in sorted(paired[u])]) for u in sorted(paired)]


def _shortest(mem: MemoryGraph, source: str, target: str, max_depth: int,
              keep: Callable[[str], bool]) -> list[str] | None:
    """A shortest path either way along relationships through nodes `keep` accepts, of at most
    max_depth hops (breadth first from both ends, the smaller frontier first, as networkx's
    bidirectional search did), or None."""
    if source == target:
        return [source]
    before: dict[str, str | None] = {source: None}  # node -> the node it was reached from, per side
    after: dict[str, str | None] = {target: None}
    ahead, behind = [source], [target]
    for _ in range(max_depth):
        forward = len(ahead) <= len(behind)
        frontier, seen, other = (ahead, before, after) if forward else (behind, after, before)
        nxt: list[str] = []
        for node in frontier:
            for n in sorted(mem.neighbours(node)):
                if n in seen or not keep(n):
                    continue
                seen[n] = node
                if n in other:  # the two searches meet at n
                    return _joined(before, after, n)
                nxt.append(n)
        if not nxt:
            return None
        if forward:
            ahead = nxt
        else:
            behind = nxt
    return None


def _joined(before: dict[str, str | None], after: dict[str, str | None], meet: str) -> list[str]:
    path: list[str] = []
    at: str | None = meet
    while at is not None:
        path.append(at)
        at = before[at]
    path.reverse()
    at = after[meet]
    while at is not None:
        path.append(at)
        at = after[at]
    return path


def _out_rows(mem: MemoryGraph, node_id: str) -> list[dict[str, Any]]:
    return [{"type": e.type.value, "end": e.end, "props": e.props} for e in mem.outgoing(node_id)]


def bfs(
    neighbours: Callable[[str], Iterable[str]], start: str, depth: int, cap: int,
    keep: Callable[[str], bool] = lambda _: True,
) -> tuple[list[str], bool]:
    """Distinct nodes within `depth` hops of start (start first), at most `cap` of those `keep`
    accepts (the walk passes through the others without answering them); truncated flag."""
    seen = {start}
    order = [start]
    frontier = [start]
    for _ in range(depth):
        nxt: list[str] = []
        for node in frontier:
            for other in sorted(set(neighbours(node))):
                if other in seen:
                    continue
                seen.add(other)
                nxt.append(other)
                if keep(other):
                    if len(order) >= cap:
                        return order, True
                    order.append(other)
        frontier = nxt
    return order, False
