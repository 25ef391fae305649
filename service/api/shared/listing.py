"""Root-field reading helpers: the caller's region scope, paged listings of one label, nodes by id.

Every root field passes the caller's region scope into the store query; results reached from
outside the scope are refused (NOT_FOUND / FORBIDDEN), never filtered client-side."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

import strawberry
from graphql import FieldNode, FragmentSpreadNode, SelectionSetNode

from service.api.limits import check_first
from service.api.shared.connections import Connection, connection
from service.api.shared.filters import SortDirection, conditions
from service.api.shared.nodes import Info, camel, wrap
from service.auth import region_within
from service.errors import Forbidden
from service.graph.types import Condition, Node, Op, Query
from service.model import Label
from service.roles import Role


def selects(info: Info, name: str) -> bool:
    """Whether the query asks for a field `name` anywhere below the field being resolved (through fragments
    too): what a listing may leave unread when it does not. Read from the document, not strawberry's
    `selected_fields`, which converts every argument of the selection first."""
    fragments = info._raw_info.fragments
    seen: set[str] = set()

    def below(selection_set: SelectionSetNode | None) -> bool:
        for node in selection_set.selections if selection_set is not None else ():
            if isinstance(node, FieldNode) and node.name.value == name:
                return True
            if isinstance(node, FragmentSpreadNode):
                spread = node.name.value
                if spread in seen or spread not in fragments:
                    continue
                seen.add(spread)
                if below(fragments[spread].selection_set):
                    return True
            elif below(getattr(node, "selection_set", None)):
                return True
        return False

    return any(below(field.selection_set) for field in info._raw_info.field_nodes)


def sees_withdrawn(info: Info) -> bool:
    """Withdrawn units, agreements and items stay in listings, totals and search for an admin only."""
    return info.context.caller.role is Role.ADMIN


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


async def region_of(info: Info, region_id: strawberry.ID | None) -> str | None:
    """scoped_region for a root field's optional `regionId` argument."""
    return await scoped_region(info, None if region_id is None else str(region_id))


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _where(where: Any, *props: str) -> tuple[Condition, ...]:
    found: list[Condition] = []
    if where is None:
        return ()
    for prop in props:
        value = getattr(where, _snake(prop))
        if isinstance(value, bool):  # a flag such as an enterprise's wishWarehouse
            found.append(Condition(prop, Op.EQ, value))
        else:
            found += conditions(prop, value)
    return tuple(found)


async def selection(info: Info, label: Label, where: Any) -> Query:
    """What `filtered` lists for a `…Where` (a condition per field it has, and its region), unpaged:
    the totals over a listing (service/api/aggregates) select with the listing's own filters."""
    region = await scoped_region(info, getattr(where, "region_id", None) if where else None)
    props = () if where is None else tuple(
        camel(f.python_name) for f in where.__strawberry_definition__.fields if f.python_name != "region_id")
    return Query(label, where=_where(where, *props), region_id=region, include_withdrawn=sees_withdrawn(info))


async def filtered(
    info: Info, label: Label, where: Any, props: tuple[str, ...], order_by: Enum | None,
    direction: SortDirection, first: int, after: str | None,
) -> Connection[Any]:
    """A page of one label filtered by a `…Where` input (a filter per property in `props`, and
    `regionId`), sorted by a `…Sort` value or by id."""
    check_first(first)
    region = await scoped_region(info, getattr(where, "region_id", None) if where else None)
    key = str(order_by.value) if order_by is not None else "id"
    page = await info.context.store.list_nodes(Query(
        label, where=_where(where, *props), region_id=region, order_by=key,
        descending=direction is SortDirection.DESC, first=first, after=after, include_withdrawn=sees_withdrawn(info),
    ))
    return connection(page, key, wrap)


async def listing(info: Info, label: Label, region_id: strawberry.ID | None, where: tuple[Condition, ...],
                  first: int, after: str | None, order_by: str, descending: bool = True) -> Connection[Any]:
    """A page of one label within a region, under fixed conditions and a fixed order."""
    check_first(first)
    region = await region_of(info, region_id)
    page = await info.context.store.list_nodes(Query(label, where=where, region_id=region, order_by=order_by,
                                                     descending=descending, first=first, after=after,
                                                     include_withdrawn=sees_withdrawn(info)))
    return connection(page, order_by, wrap)


async def nodes_by_id(info: Info, ids: Sequence[str]) -> dict[str, Node]:
    """Nodes by id in one store call (for the statistics' organisations and alliances)."""
    wanted = sorted(set(ids))
    return {n.id: n for n in await info.context.store.get_nodes(wanted)} if wanted else {}
