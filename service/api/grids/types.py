"""Grid coverage and the grid duty payload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from service.api.shared.refs import Region


@strawberry.type(description="Grids of one level within a region and how many have a party branch (coverage).")
class GridCoverage:
    region: Annotated["Region", strawberry.lazy("service.api.regions.types")] | None = strawberry.field(
        description="Null for the whole graph.")
    grid_level: int | None
    grids: int
    covered: int = strawberry.field(description="Grids with at least one party organisation located in them.")
    with_responsible: int = strawberry.field(description="Grids with at least one member responsible for them.")
    coverage: float = strawberry.field(description="covered / grids, 0 to 1.")


@strawberry.type
class GridDutyPayload:
    grid: Annotated["Region", strawberry.lazy("service.api.regions.types")]
    member_id: strawberry.ID
    created: bool = strawberry.field(description="False when the member was already responsible for the grid.")
