"""Root fields over regions: the listing and the dashboard's counts."""

from __future__ import annotations

import strawberry

from service.api.limits import DEFAULT_FIRST
from service.api.regions.types import Region, RegionSort, RegionStats, RegionWhere, StatCount
from service.api.shared.connections import Connection
from service.api.shared.filters import SortDirection
from service.api.shared.listing import filtered
from service.api.shared.nodes import Info
from service.model import Label


@strawberry.type
class RegionQuery:
    @strawberry.field
    async def regions(
        self, info: Info, where: RegionWhere | None = None, order_by: RegionSort | None = None,
        direction: SortDirection = SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Region]:
        return await filtered(info, Label.REGION, where, ("id", "name", "level"), order_by, direction, first, after)

    @strawberry.field(description="Counts by label, kind and status within a region subtree (dashboard KPIs).")
    async def region_stats(self, info: Info, region_id: strawberry.ID) -> RegionStats:
        ctx = info.context
        if ctx.region_id is not None:  # a scoped caller: the region must lie within its scope
            await ctx.node(str(region_id), Label.REGION)
        counts = await ctx.store.region_stats(str(region_id))
        if not counts:  # an existing region counts at least itself: NOT_FOUND (or MERGED), asked only now
            await ctx.node(str(region_id), Label.REGION)
        return RegionStats(
            region_id=region_id, total=sum(c.count for c in counts),
            counts=[StatCount(label=c.label.value, kind=None if c.kind is None else str(c.kind),
                              status=None if c.status is None else str(c.status), count=c.count) for c in counts],
        )
