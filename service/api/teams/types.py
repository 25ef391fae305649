"""Team, its upsert input and the team membership payload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.shared.nodes import Entity, Info, entity, rel_nodes, rel_one
from service.graph.types import Node
from service.model import Label, RelType, TeamKind

if TYPE_CHECKING:
    from service.api.shared.refs import Member, Organisation


@entity(Label.TEAM)
@strawberry.type(description="A volunteer team, commando, think tank or stationed team.")
class Team(Entity):
    name: str | None
    kind: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def organised_by(
        self, info: Info
    ) -> Annotated["Organisation", strawberry.lazy("service.api.units.types")] | None:
        return await rel_one(info, self.id, RelType.ORGANISED_BY, True)

    @strawberry.field
    async def members(self, info: Info) -> list[Annotated["Member", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.SERVES_IN, False)


@strawberry.input(description="A volunteer team (志愿服务队), commando (党员突击队), think tank (智囊团) or "
                              "stationed team.")
class TeamInput:
    id: strawberry.ID
    name: str
    kind: TeamKind
    organiser_id: strawberry.ID = strawberry.field(
        description="The party organisation that organises it (ORGANISED_BY; it replaces an earlier one).")


@strawberry.type
class TeamMembershipPayload:
    team: Team
    member_id: strawberry.ID
    created: bool = strawberry.field(description="False when the member already served in the team.")
