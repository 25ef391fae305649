"""Root fields over agreements: pairings and the listing."""

from __future__ import annotations

import strawberry

from service.api.agreements.types import Agreement, AgreementSort, AgreementWhere, PairedUnit
from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.filters import SortDirection
from service.api.shared.listing import filtered
from service.api.shared.nodes import Info, wrap
from service.model import Label


@strawberry.type
class AgreementQuery:
    @strawberry.field(description="Units paired with an organisation, or with a community's party organisation "
                                  "when given the community's region id.")
    async def paired_units(self, info: Info, organisation_id: strawberry.ID) -> list[PairedUnit]:
        ctx = info.context
        if ctx.region_id is not None:  # a scoped caller: the organisation itself must lie within its scope
            await ctx.node(str(organisation_id))
        pairings = await ctx.store.paired_units(str(organisation_id), ctx.region_id)
        if not pairings and ctx.region_id is None:  # none, or no such node: NOT_FOUND told apart only now
            await ctx.node(str(organisation_id))
        return [PairedUnit(unit=wrap(p.unit), agreements=[wrap(a) for a in p.agreements]) for p in pairings]

    @strawberry.field
    async def agreements(
        self, info: Info, where: AgreementWhere | None = None, order_by: AgreementSort | None = None,
        direction: SortDirection = SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Agreement]:
        props = ("id", "title", "kind", "status", "signedOn", "validFrom", "validTo")
        return await filtered(info, Label.AGREEMENT, where, props, order_by, direction, first, after)
