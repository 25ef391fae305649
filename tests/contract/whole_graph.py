"""Whole-graph reads the tests check stores with, built from port calls: the port itself has no
whole-graph read (the service never needs one), so these are not adapter methods."""

from __future__ import annotations

from service.graph.port import GraphStore
from service.graph.records import MAX_PAGE
from service.graph.types import Edge, Node, Query
from service.model import Label, RelType


async def nodes_of(store: GraphStore, label: Label, region_id: str | None = None) -> list[Node]:
    """Every node of `label` (within the region subtree when given), by id, page by page."""
    out: list[Node] = []
    after = None
    while True:
        page = await store.list_nodes(Query(label, region_id=region_id, first=MAX_PAGE, after=after))
        out += page.items
        if not page.has_next:
            return out
        after = page.end_cursor


async def region_subtree(store: GraphStore, region_id: str) -> list[Node]:
    """The regions whose PART_OF chain reaches `region_id`, itself included, by id."""
    return await nodes_of(store, Label.REGION, region_id)


async def edge_list(store: GraphStore, region_id: str | None = None) -> tuple[list[Node], list[Edge]]:
    """Every node (of the region subtree when given) and every relationship between two of them."""
    nodes = [n for label in Label for n in await nodes_of(store, label, region_id)]
    ids = [n.id for n in nodes]
    kept = set(ids)
    edges = [
        Edge(type, r.source_id, r.node.id, r.props)
        for type in RelType
        for r in await store.related(ids, type, outgoing=True)
        if r.node.id in kept
    ]
    return nodes, edges
