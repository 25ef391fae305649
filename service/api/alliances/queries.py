"""The alliances listing."""

from __future__ import annotations

import strawberry

from service.api.alliances.types import Alliance, AllianceSort, AllianceWhere
from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.filters import SortDirection
from service.api.shared.listing import filtered
from service.api.shared.nodes import Info
from service.model import Label


@strawberry.type
class AllianceQuery:
    @strawberry.field
    async def alliances(
        self, info: Info, where: AllianceWhere | None = None, order_by: AllianceSort | None = None,
        direction: SortDirection = SortDirection.ASC, first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[Alliance]:
        return await filtered(info, Label.ALLIANCE, where, ("id", "name", "kind", "model"), order_by,
                              direction, first, after)
