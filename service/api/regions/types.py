"""Region, its listing inputs and the region statistics."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from service.api.shared.filters import StringFilter
from service.api.shared.nodes import Entity, Info, entity, rel_nodes, rel_one
from service.graph.types import Node
from service.model import Label, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Alliance, Enterprise, Organisation, ServiceCentre, Wish


@entity(Label.REGION)
@strawberry.type(description="An administrative region (GB/T 2260 code) or a grid.")
class Region(Entity):
    name: str | None
    level: str | None
    grid_level: int | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="The region this one is PART_OF.")
    async def parent(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.PART_OF, True)

    @strawberry.field
    async def children(self, info: Info) -> list[Region]:
        return await rel_nodes(info, self.id, RelType.PART_OF, False)

    @strawberry.field(description="Party organisations LOCATED_IN this region (not its subtree).")
    async def organisations(
        self, info: Info
    ) -> list[Annotated["Organisation", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.LOCATED_IN, False, Label.ORGANISATION)

    @strawberry.field
    async def enterprises(
        self, info: Info
    ) -> list[Annotated["Enterprise", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.LOCATED_IN, False, Label.ENTERPRISE)

    @strawberry.field(description="Alliances that COVER this region.")
    async def alliances(
        self, info: Info
    ) -> list[Annotated["Alliance", strawberry.lazy("service.api.alliances.types")]]:
        return await rel_nodes(info, self.id, RelType.COVERS, False)

    @strawberry.field
    async def service_centres(
        self, info: Info
    ) -> list[Annotated["ServiceCentre", strawberry.lazy("service.api.service_centres.types")]]:
        return await rel_nodes(info, self.id, RelType.IN, False, Label.SERVICE_CENTRE)

    @strawberry.field
    async def wishes(self, info: Info) -> list[Annotated["Wish", strawberry.lazy("service.api.wishes.types")]]:
        return await rel_nodes(info, self.id, RelType.IN, False, Label.WISH)


@strawberry.type(description="A count of nodes of one label, kind and status within a region subtree.")
class StatCount:
    label: str
    kind: str | None
    status: str | None
    count: int


@strawberry.type
class RegionStats:
    region_id: strawberry.ID
    total: int
    counts: list[StatCount]


@strawberry.input
class RegionWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    level: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.enum
class RegionSort(Enum):
    ID = "id"
    NAME = "name"
    LEVEL = "level"
