"""Meeting, Matter and who a matter is assigned to, the meeting statistics, and the inputs and
payloads of the meeting and matter mutations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service import masking
from service.api.shared.nodes import Entity, Info, entity, rel, rel_nodes, rel_one, text, wrap
from service.graph.types import Node
from service.model import Label, MatterMode, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Alliance, Organisation


@entity(Label.MEETING)
@strawberry.type(description="A joint meeting (联席会议).")
class Meeting(Entity):
    held_on: str | None
    kind: str | None
    topic: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def alliance(
        self, info: Info
    ) -> Annotated["Alliance", strawberry.lazy("service.api.alliances.types")] | None:
        return await rel_one(info, self.id, RelType.OF, True)

    @strawberry.field
    async def attendees(
        self, info: Info
    ) -> list[Annotated["Organisation", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.ATTENDED, False)

    @strawberry.field
    async def matters(self, info: Info) -> list[Matter]:
        return await rel_nodes(info, self.id, RelType.DECIDED_AT, False)


@strawberry.type(description="Who a matter is ASSIGNED_TO, and the person responsible.")
class MatterAssignment:
    person: str | None
    organisation: Annotated["Organisation", strawberry.lazy("service.api.units.types")]


@entity(Label.MATTER)
@strawberry.type(description="A matter decided at a meeting (五事联办) and followed to completion.")
class Matter(Entity):
    title: str | None
    status: str | None
    due: str | None
    done_on: str | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="五事联办, in the form recordMeeting takes it (MAJOR for 大事共议): what is sent "
                                  "comes back; the pages show its display name.")
    def mode(self) -> MatterMode | None:
        stored = self.raw.props.get("mode")
        return None if stored is None else MatterMode(stored)

    @strawberry.field
    async def meeting(self, info: Info) -> Meeting | None:
        return await rel_one(info, self.id, RelType.DECIDED_AT, True)

    @strawberry.field
    async def assigned_to(self, info: Info) -> list[MatterAssignment]:
        sees = info.context.caller.sees_personal_data
        found = await rel(info, self.id, RelType.ASSIGNED_TO, True)
        for r in found:
            info.context.shown_personal(self.id, "person" in masking.personal_relationship_keys(RelType.ASSIGNED_TO),
                                        r.props.get("person"))
        return [MatterAssignment(person=text(masking.relationship_properties(RelType.ASSIGNED_TO, r.props, sees)
                                             .get("person")), organisation=wrap(r.node))
                for r in found]


@strawberry.type
class MonthCount:
    month: str = strawberry.field(description="YYYY-MM")
    meetings: int


@strawberry.type(description="One alliance's joint meetings and matters in the period.")
class AllianceMeetingStats:
    alliance: Annotated["Alliance", strawberry.lazy("service.api.alliances.types")]
    meetings: int
    matters: int
    matters_done: int
    overdue: int
    last_held_on: str | None
    by_month: list[MonthCount]


@strawberry.type(description="Joint meetings (联席会议) and matters (五事联办) held in the period.")
class MeetingStats:
    meetings: int
    matters: int
    important_matters: int = strawberry.field(description="Matters decided as 要事共决.")
    matters_done: int
    overdue: int = strawberry.field(description="Not done and past their deadline on asOf.")
    completion_rate: float = strawberry.field(description="Done / decided, 0 to 1 (0 when nothing was decided).")
    per_alliance: list[AllianceMeetingStats]


@strawberry.type
class MeetingPayload:
    meeting: Meeting
    matters: list[Matter]
    created: bool = strawberry.field(description="False when this meeting id was already recorded.")


@strawberry.type
class MatterPayload:
    matter: Matter
    previous_status: str | None


@strawberry.input
class MatterDecidedInput:
    id: strawberry.ID
    title: str
    mode: MatterMode
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="Responsible unit, if named.")
    person: str | None = None
    due: str | None = None


@strawberry.input
class RecordMeetingInput:
    id: strawberry.ID
    alliance_id: strawberry.ID
    held_on: str
    topic: str | None = None
    kind: str | None = strawberry.field(default=None, description="e.g. 联席会议")
    attendee_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    chair_id: strawberry.ID | None = strawberry.field(default=None, description="The rotating chair (轮值理事单位).")
    matters: list[MatterDecidedInput] = strawberry.field(default_factory=list)
