"""The teams listing."""

from __future__ import annotations

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.listing import listing
from service.api.shared.nodes import Info
from service.api.teams.types import Team
from service.graph.types import Condition, Op
from service.model import Label, TeamKind


@strawberry.type
class TeamQuery:
    @strawberry.field(description="Volunteer teams, commandos, think tanks and stationed teams organised by units "
                                  "within a region, by name.")
    async def teams(self, info: Info, region_id: strawberry.ID | None = None,
                    kind: TeamKind | None = None,
                    first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Team]:
        where = () if kind is None else (Condition("kind", Op.EQ, kind.value),)
        return await listing(info, Label.TEAM, region_id, where, first, after, "name", descending=False)
