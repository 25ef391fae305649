"""listItems: the needs / resources / projects lists with their claim state."""

from __future__ import annotations

from typing import Any

import strawberry

from service.api.limits import DEFAULT_FIRST, check_first
from service.api.lists.types import ListItem, ListItemSort, ListItemWhere, listed_item
from service.api.shared.connections import Connection, connection
from service.api.shared.filters import SortDirection
from service.api.shared.listing import scoped_region, sees_withdrawn, selects
from service.api.shared.nodes import Info
from service.graph.types import ItemQuery


def item_query(info: Info, w: ListItemWhere, region: str | None, **paging: Any) -> ItemQuery:
    """The store query a ListItemWhere stands for (the listing, and its totals in service/api/aggregates)."""
    return ItemQuery(
        list=w.list.value if w.list else None, category=w.category, status=w.status,
        publisher_id=None if w.publisher_id is None else str(w.publisher_id), region_id=region,
        unclaimed=w.unclaimed, include_withdrawn=sees_withdrawn(info), **paging,
    )


@strawberry.type
class ListQuery:
    @strawberry.field(description="The needs / resources / projects lists with claim state.")
    async def list_items(
        self, info: Info, where: ListItemWhere | None = None, order_by: ListItemSort | None = None,
        direction: SortDirection = SortDirection.ASC,
        first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[ListItem]:
        check_first(first)
        w = where or ListItemWhere()
        region = await scoped_region(info, w.region_id)
        key = str(order_by.value) if order_by is not None else "id"
        # the publishers read with the page only for a field that shows them unchecked (lists/types.py)
        with_publisher = info.context.region_id is None and selects(info, "publisher")
        page = await info.context.store.list_items(item_query(
            info, w, region, order_by=key, descending=direction is SortDirection.DESC, first=first, after=after,
            with_publisher=with_publisher))
        # each item keeps the listing's claim state and publisher id (see lists/types.py)
        return connection(page, key, listed_item, lambda item: item.node)
