"""The service centres listing."""

from __future__ import annotations

import strawberry

from service.api.limits import DEFAULT_FIRST
from service.api.service_centres.types import ServiceCentre
from service.api.shared.connections import Connection
from service.api.shared.listing import listing
from service.api.shared.nodes import Info
from service.model import Label


@strawberry.type
class ServiceCentreQuery:
    @strawberry.field(description="Party-and-people service centres in a region, by name.")
    async def service_centres(self, info: Info, region_id: strawberry.ID | None = None,
                              first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[ServiceCentre]:
        return await listing(info, Label.SERVICE_CENTRE, region_id, (), first, after, "name", descending=False)
