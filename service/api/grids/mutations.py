"""网格员: a member made responsible for a grid."""

from __future__ import annotations

import strawberry

from service.api.grids.types import GridDutyPayload
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import in_scope, member
from service.errors import ValidationFailed
from service.graph.types import RelRow
from service.model import Label, RegionLevel, RelType


@strawberry.type
class GridMutation:
    @strawberry.mutation(description="Make a member responsible for a grid (网格员, RESPONSIBLE_FOR); the region must "
                                     "be a GRID. Assigning twice changes nothing.")
    async def assign_grid_duty(self, info: Info, member_id: strawberry.ID,
                               grid_id: strawberry.ID) -> GridDutyPayload:
        info.context.caller.require_writer("assignGridDuty")
        grid = await in_scope(info, str(grid_id), Label.REGION, "grid")
        if grid.get("level") != RegionLevel.GRID.value:
            raise ValidationFailed(f"region {grid.id!r} is a {grid.get('level') or 'region without a level'}, "
                                   "not a grid; members are responsible for grids")
        responsible = await member(info, str(member_id))
        done = await info.context.store.upsert_relationships(RelType.RESPONSIBLE_FOR, Label.MEMBER, Label.REGION,
                                                             [RelRow(responsible.id, grid.id)])
        return GridDutyPayload(grid=wrap(grid), member_id=strawberry.ID(responsible.id), created=done.created > 0)
