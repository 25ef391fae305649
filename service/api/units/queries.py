"""The organisations and enterprises listings."""

from __future__ import annotations

import strawberry

from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.filters import SortDirection
from service.api.shared.listing import filtered
from service.api.shared.nodes import Info
from service.api.units.types import (
    Enterprise,
    EnterpriseSort,
    EnterpriseWhere,
    Organisation,
    OrganisationSort,
    OrganisationWhere,
)
from service.model import Label


@strawberry.type
class UnitQuery:
    @strawberry.field
    async def organisations(
        self, info: Info, where: OrganisationWhere | None = None, order_by: OrganisationSort | None = None,
        direction: SortDirection = SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Organisation]:
        return await filtered(info, Label.ORGANISATION, where, ("id", "name", "kind", "level"), order_by,
                              direction, first, after)

    @strawberry.field
    async def enterprises(
        self, info: Info, where: EnterpriseWhere | None = None, order_by: EnterpriseSort | None = None,
        direction: SortDirection = SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Enterprise]:
        return await filtered(info, Label.ENTERPRISE, where, ("id", "name", "industry", "ownership", "wishWarehouse"),
                              order_by,
                              direction, first, after)
