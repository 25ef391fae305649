"""Alliance, an organisation's membership of one, and the listing's inputs."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from service.api.shared.filters import StringFilter
from service.api.shared.nodes import Entity, Info, entity, rel, rel_nodes, rel_one, text, wrap
from service.graph.types import Node
from service.model import Label, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Meeting, Member, Organisation, Region


@strawberry.type(description="An organisation's membership of an alliance (MEMBER_OF).")
class AllianceMembership:
    role: str | None
    since: str | None
    organisation: Annotated["Organisation", strawberry.lazy("service.api.units.types")]
    alliance: Alliance


def membership(props: dict[str, object], organisation: Any, alliance: Any) -> AllianceMembership:
    """A MEMBER_OF relationship between an organisation and an alliance (objects already built)."""
    return AllianceMembership(role=text(props.get("role")), since=text(props.get("since")),
                              organisation=organisation, alliance=alliance)


@entity(Label.ALLIANCE)
@strawberry.type(description="A regional party-building alliance.")
class Alliance(Entity):
    name: str | None
    kind: str | None
    model: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def led_by(self, info: Info) -> Annotated["Organisation", strawberry.lazy("service.api.units.types")] | None:
        return await rel_one(info, self.id, RelType.LED_BY, True)

    @strawberry.field
    async def covers(self, info: Info) -> list[Annotated["Region", strawberry.lazy("service.api.regions.types")]]:
        return await rel_nodes(info, self.id, RelType.COVERS, True)

    @strawberry.field
    async def members(self, info: Info) -> list[AllianceMembership]:
        return [membership(r.props, wrap(r.node), self) for r in await rel(info, self.id, RelType.MEMBER_OF, False)]

    @strawberry.field(description="Part-time committee members (SERVES_ON).")
    async def committee_members(
        self, info: Info
    ) -> list[Annotated["Member", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.SERVES_ON, False)

    @strawberry.field
    async def meetings(self, info: Info) -> list[Annotated["Meeting", strawberry.lazy("service.api.meetings.types")]]:
        return await rel_nodes(info, self.id, RelType.OF, False)


@strawberry.input
class AllianceWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None
    model: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.enum
class AllianceSort(Enum):
    ID = "id"
    NAME = "name"
    KIND = "kind"
