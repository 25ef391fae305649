"""The wish funnel and the wishes listing."""

from __future__ import annotations

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.filters import From
from service.api.shared.listing import listing, region_of
from service.api.shared.nodes import Info
from service.api.shared.writes import day
from service.api.wishes.types import Wish, WishFunnel
from service.graph.types import Condition, Op
from service.model import Label, WishStatus
from service.workflows.wishes import funnel


@strawberry.type
class WishQuery:
    @strawberry.field(description="The micro-wish funnel within a region and period of publication.")
    async def wish_funnel(self, info: Info, region_id: strawberry.ID | None = None, from_: From = None,
                          to: str | None = None) -> WishFunnel:
        region = await region_of(info, region_id)
        facts = await info.context.store.wish_facts(region, day(from_, "from"), day(to, "to"))
        f = funnel(facts.wishes, facts.contributors)
        return WishFunnel(published=f.published, dispatched=f.dispatched, accepted=f.accepted,
                          fulfilled=f.fulfilled, rated=f.rated, cancelled=f.cancelled, contributors=f.contributors,
                          warehouse_fulfilled=f.warehouse_fulfilled, median_days_to_fulfil=f.median_days_to_fulfil)

    @strawberry.field(description="Wishes, newest first; recipients are shown to admins only.")
    async def wishes(self, info: Info, region_id: strawberry.ID | None = None,
                     status: WishStatus | None = None,
                     first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Wish]:
        where = () if status is None else (Condition("status", Op.EQ, status.value),)
        return await listing(info, Label.WISH, region_id, where, first, after, "publishedOn")
