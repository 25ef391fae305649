"""Root query fields: the canonical alliance questions dashboards depend on.

Every root field passes the caller's region scope into the store query; results reached from
outside the scope are refused (NOT_FOUND / FORBIDDEN), never filtered client-side."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from service import masking
from service.api.limits import (
    DEFAULT_FIRST,
    MAX_NEIGHBOURHOOD_DEPTH,
    MAX_NEIGHBOURHOOD_NODES,
    MAX_SEARCH,
    check_first,
)
from service.api.types import inputs as i
from service.api.types.base import Info, wrap
from service.api.types.connections import (
    Connection,
    GraphEdge,
    GraphNode,
    RegionStats,
    StatCount,
    Subgraph,
    connection,
)
from service.api.types.entities import Agreement, Alliance, Enterprise, Entity, ListItem, Organisation, Region, Unit
from service.auth import region_within
from service.errors import Forbidden, NotFound, OverLimit
from service.graph import types as port_types
from service.graph.types import Condition, ItemQuery, Node, Query
from service.model import Label


async def scoped_region(info: Info, region_id: str | None) -> str | None:
    """The region subtree a root field may read: the asked one within the caller's scope."""
    ctx = info.context
    scope = ctx.region_id
    if region_id is None or region_id == scope:
        return scope
    if scope is None:
        return region_id
    if await region_within(ctx.store, region_id, scope):
        return region_id
    if await region_within(ctx.store, scope, region_id):  # an enclosing region narrows to the key's own
        return scope
    raise Forbidden(f"region {region_id!r} is outside your key's region {scope!r}")


def _where(where: Any, *props: str) -> tuple[Condition, ...]:
    found: list[Condition] = []
    if where is None:
        return ()
    for prop in props:
        found += i.conditions(prop, getattr(where, _snake(prop)))
    return tuple(found)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


async def _listing(
    info: Info, label: Label, where: Any, props: tuple[str, ...], order_by: Enum | None,
    direction: i.SortDirection, first: int, after: str | None,
) -> Connection[Any]:
    check_first(first)
    region = await scoped_region(info, getattr(where, "region_id", None) if where else None)
    key = str(order_by.value) if order_by is not None else "id"
    page = await info.context.store.list_nodes(Query(
        label, where=_where(where, *props), region_id=region, order_by=key,
        descending=direction is i.SortDirection.DESC, first=first, after=after,
    ))
    return connection(page, key, wrap)


@strawberry.type(description="A unit sharing an ACTIVE agreement with the organisation, and those agreements.")
class PairedUnit:
    unit: Unit
    agreements: list[Agreement]


def _graph_node(info: Info, node: Node) -> GraphNode:
    key = "name" if "name" in node.props else "title"
    name = masking.node_property(node.label, key, node.props.get(key), info.context.caller.sees_personal_data)
    return GraphNode(id=strawberry.ID(node.id), label=node.label.value, name=None if name is None else str(name))


def _subgraph(info: Info, graph: port_types.Subgraph) -> Subgraph:
    """The store answered within the caller's region already (region_id on the port call)."""
    edges = [
        GraphEdge(type=e.type.value, start=strawberry.ID(e.start), end=strawberry.ID(e.end),
                  properties=cast(JSON, masking.relationship_properties(
                      e.type, e.props, info.context.caller.sees_personal_data)))
        for e in graph.edges
    ]
    return Subgraph(nodes=[_graph_node(info, n) for n in graph.nodes], edges=edges, truncated=graph.truncated)


@strawberry.type(name="Query")
class Query_:
    @strawberry.field(description="Units paired with an organisation, or with a community's party organisation "
                                  "when given the community's region id.")
    async def paired_units(self, info: Info, organisation_id: strawberry.ID) -> list[PairedUnit]:
        ctx = info.context
        await ctx.node(str(organisation_id))
        pairings = await ctx.store.paired_units(str(organisation_id), ctx.region_id)
        return [PairedUnit(unit=wrap(p.unit), agreements=[wrap(a) for a in p.agreements]) for p in pairings]

    @strawberry.field(description="The needs / resources / projects lists with claim state.")
    async def list_items(
        self, info: Info, where: i.ListItemWhere | None = None, order_by: i.ListItemSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC,
        first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[ListItem]:
        check_first(first)
        w = where or i.ListItemWhere()
        region = await scoped_region(info, w.region_id)
        key = str(order_by.value) if order_by is not None else "id"
        page = await info.context.store.list_items(ItemQuery(
            list=w.list.value if w.list else None, category=w.category, status=w.status,
            publisher_id=None if w.publisher_id is None else str(w.publisher_id), region_id=region,
            unclaimed=w.unclaimed, order_by=key,
            descending=direction is i.SortDirection.DESC, first=first, after=after,
        ))
        nodes = port_types.Page([Node(it.node.id, it.node.label, {**it.node.props, "claimed": it.claimed})
                           for it in page.items], page.total, page.end_cursor, page.has_next)
        return connection(nodes, key, wrap)

    @strawberry.field
    async def organisations(
        self, info: Info, where: i.OrganisationWhere | None = None, order_by: i.OrganisationSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Organisation]:
        return await _listing(info, Label.ORGANISATION, where, ("id", "name", "kind", "level"), order_by,
                              direction, first, after)

    @strawberry.field
    async def enterprises(
        self, info: Info, where: i.EnterpriseWhere | None = None, order_by: i.EnterpriseSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Enterprise]:
        return await _listing(info, Label.ENTERPRISE, where, ("id", "name", "industry", "ownership"), order_by,
                              direction, first, after)

    @strawberry.field
    async def agreements(
        self, info: Info, where: i.AgreementWhere | None = None, order_by: i.AgreementSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Agreement]:
        props = ("id", "title", "kind", "status", "signedOn", "validFrom", "validTo")
        return await _listing(info, Label.AGREEMENT, where, props, order_by, direction, first, after)

    @strawberry.field
    async def alliances(
        self, info: Info, where: i.AllianceWhere | None = None, order_by: i.AllianceSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Alliance]:
        return await _listing(info, Label.ALLIANCE, where, ("id", "name", "kind", "model"), order_by,
                              direction, first, after)

    @strawberry.field
    async def regions(
        self, info: Info, where: i.RegionWhere | None = None, order_by: i.RegionSort | None = None,
        direction: i.SortDirection = i.SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Region]:
        return await _listing(info, Label.REGION, where, ("id", "name", "level"), order_by, direction, first, after)

    @strawberry.field(description="Any entity by id; NOT_FOUND when absent or outside your region.")
    async def node(self, info: Info, id: strawberry.ID) -> Entity:
        found: Entity = wrap(await info.context.node(str(id)))
        return found

    @strawberry.field(description="Full-text search over names and titles (Chinese text works).")
    async def search(self, info: Info, text: str, first: int = 10) -> list[Entity]:
        check_first(first, MAX_SEARCH)
        if not text.strip():
            return []
        found = await info.context.store.search(text, first, region_id=info.context.region_id)
        return [wrap(n) for n in found]

    @strawberry.field(description="Counts by label, kind and status within a region subtree (dashboard KPIs).")
    async def region_stats(self, info: Info, region_id: strawberry.ID) -> RegionStats:
        ctx = info.context
        await ctx.node(str(region_id), Label.REGION)
        counts = await ctx.store.region_stats(str(region_id))
        return RegionStats(
            region_id=region_id, total=sum(c.count for c in counts),
            counts=[StatCount(label=c.label.value, kind=None if c.kind is None else str(c.kind),
                              status=None if c.status is None else str(c.status), count=c.count) for c in counts],
        )

    @strawberry.field(description="Nodes and edges within `depth` hops; `truncated` when `limit` cut it short.")
    async def neighbourhood(self, info: Info, id: strawberry.ID, depth: int = 1, limit: int = 100) -> Subgraph:
        if not 1 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise OverLimit(f"depth is {depth}; ask for 1 to {MAX_NEIGHBOURHOOD_DEPTH}")
        check_first(limit, MAX_NEIGHBOURHOOD_NODES, "limit")
        await info.context.node(str(id))
        ctx = info.context
        return _subgraph(info, await ctx.store.neighbourhood(str(id), depth, limit, ctx.region_id))

    @strawberry.field(description="A shortest path between two nodes (any direction), or null when none.")
    async def path(
        self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")], to: strawberry.ID
    ) -> Subgraph | None:
        ctx = info.context
        await ctx.node(str(from_))
        await ctx.node(str(to))
        found = await ctx.store.shortest_path(str(from_), str(to), region_id=ctx.region_id)
        return None if found is None else _subgraph(info, found)

    @strawberry.field(description="Who you are to this API: role and region scope.")
    def me(self, info: Info) -> Caller_:
        caller = info.context.caller
        region = None if caller.region_id is None else strawberry.ID(caller.region_id)
        return Caller_(role=caller.role.value, region_id=region)


@strawberry.type(name="Caller")
class Caller_:
    role: str
    region_id: strawberry.ID | None


__all__ = ["NotFound", "Query_"]
