"""Grid coverage per grid level."""

from __future__ import annotations

import strawberry

from service.api.grids.types import GridCoverage
from service.api.shared.listing import nodes_by_id, region_of
from service.api.shared.nodes import Info, wrap
from service.workflows import grids


@strawberry.type
class GridQuery:
    @strawberry.field(description="Grid coverage per grid level: the asked region first, then each community, "
                                  "village or street holding grids.")
    async def grid_coverage(self, info: Info, region_id: strawberry.ID | None = None) -> list[GridCoverage]:
        region = await region_of(info, region_id)
        rows = grids.coverage(await info.context.store.grid_facts(region), region)
        places = await nodes_by_id(info, [r.region_id for r in rows if r.region_id is not None])
        return [GridCoverage(region=wrap(places[r.region_id]) if r.region_id in places else None,
                             grid_level=r.grid_level, grids=r.grids, covered=r.covered,
                             with_responsible=r.with_responsible, coverage=r.coverage)
                for r in rows if r.region_id is None or r.region_id in places]
