"""Root fields over the graph itself: node(id:), search, neighbourhood and path. Each passes the
caller's region scope into the store query."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from service import masking
from service.api.graph.types import GraphEdge, GraphNode, Subgraph
from service.api.limits import MAX_NEIGHBOURHOOD_DEPTH, MAX_NEIGHBOURHOOD_NODES, MAX_SEARCH, check_first
from service.api.shared.listing import sees_withdrawn
from service.api.shared.nodes import Entity, Info, wrap
from service.errors import NotFound, OverLimit
from service.graph import types as port_types
from service.graph.types import Node


def _graph_node(info: Info, node: Node) -> GraphNode:
    key = "name" if "name" in node.props else "title"
    info.context.shown_personal(node.id, masking.is_personal(node.label, key), node.props.get(key))
    name = masking.node_property(node.label, key, node.props.get(key), info.context.caller.sees_personal_data)
    return GraphNode(id=strawberry.ID(node.id), label=node.label.value, name=None if name is None else str(name))


def _subgraph(info: Info, graph: port_types.Subgraph) -> Subgraph:
    """The store answered within the caller's region already (region_id on the port call)."""
    for e in graph.edges:
        info.context.shown_personal(e.start, bool(masking.personal_relationship_keys(e.type) & e.props.keys()), e.props)
    edges = [
        GraphEdge(type=e.type.value, start=strawberry.ID(e.start), end=strawberry.ID(e.end),
                  properties=cast(JSON, masking.relationship_properties(
                      e.type, e.props, info.context.caller.sees_personal_data)))
        for e in graph.edges
    ]
    return Subgraph(nodes=[_graph_node(info, n) for n in graph.nodes], edges=edges, truncated=graph.truncated)


@strawberry.type
class GraphQuery:
    @strawberry.field(description="Any entity by id; NOT_FOUND when absent or outside your region.")
    async def node(self, info: Info, id: strawberry.ID) -> Entity:
        found: Entity = wrap(await info.context.node(str(id)))
        return found

    @strawberry.field(description="Full-text search over names and titles (Chinese text works).")
    async def search(self, info: Info, text: str, first: int = 10) -> list[Entity]:
        check_first(first, MAX_SEARCH)
        if not text.strip():
            return []
        found = await info.context.store.search(text, first, region_id=info.context.region_id,
                                                include_withdrawn=sees_withdrawn(info))
        return [wrap(n) for n in found]

    @strawberry.field(description="Nodes and edges within `depth` hops; `truncated` when `limit` cut it short.")
    async def neighbourhood(self, info: Info, id: strawberry.ID, depth: int = 1, limit: int = 100) -> Subgraph:
        if not 1 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise OverLimit(f"depth is {depth}; ask for 1 to {MAX_NEIGHBOURHOOD_DEPTH}")
        check_first(limit, MAX_NEIGHBOURHOOD_NODES, "limit")
        ctx = info.context
        if ctx.region_id is not None:  # a scoped caller: the start must lie within its scope
            await ctx.node(str(id))
        try:
            found = await ctx.store.neighbourhood(str(id), depth, limit, ctx.region_id)
        except NotFound:
            await ctx.node(str(id))  # the API's NOT_FOUND (or MERGED)
            raise
        await ctx.confirm(found.nodes, str(id))
        return _subgraph(info, found)

    @strawberry.field(description="A shortest path between two nodes (any direction), or null when none.")
    async def path(
        self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")], to: strawberry.ID
    ) -> Subgraph | None:
        ctx = info.context
        if ctx.region_id is not None:  # a scoped caller: both ends must lie within its scope
            await ctx.node(str(from_))
            await ctx.node(str(to))
        found = await ctx.store.shortest_path(str(from_), str(to), region_id=ctx.region_id)
        await ctx.confirm([] if found is None else found.nodes, str(from_), str(to))
        return None if found is None else _subgraph(info, found)
