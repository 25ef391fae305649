"""ServiceCentre and its upsert input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from service.api.shared.nodes import Entity, Info, entity, rel_one
from service.graph.types import Node
from service.model import Label, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Organisation, Region


@entity(Label.SERVICE_CENTRE)
@strawberry.type(description="A party-and-people service centre (党群服务中心).")
class ServiceCentre(Entity):
    name: str | None
    area_m2: float | None
    offers: list[str] | None = strawberry.field(description="The services it offers (服务项目).")
    raw: strawberry.Private[Node]

    @strawberry.field
    async def region(self, info: Info) -> Annotated["Region", strawberry.lazy("service.api.regions.types")] | None:
        return await rel_one(info, self.id, RelType.IN, True)

    @strawberry.field
    async def run_by(self, info: Info) -> Annotated["Organisation", strawberry.lazy("service.api.units.types")] | None:
        return await rel_one(info, self.id, RelType.RUN_BY, True)


@strawberry.input(description="A party-and-people service centre or station (党群服务中心 / 服务站).")
class ServiceCentreInput:
    id: strawberry.ID
    name: str
    region_id: strawberry.ID = strawberry.field(description="The region it is IN (it replaces an earlier one).")
    offers: list[str] | None = strawberry.field(
        default=None, description="The services it offers (服务项目); given, it replaces the old list.")
    run_by_id: strawberry.ID | None = strawberry.field(default=None, description="The organisation running it.")
    area_m2: float | None = None
