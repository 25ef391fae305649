"""Meetings and matters: record a joint meeting with its decisions, assign a matter, complete it."""

from __future__ import annotations

import strawberry

from service.api.meetings.types import MatterPayload, MeetingPayload, RecordMeetingInput
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import day, in_scope, require_ends_in_scope, require_in_scope, today
from service.graph.workflow_types import MatterInput, MeetingRecord
from service.model import Label, MatterMode
from service.workflows.wishes import check_date


@strawberry.type
class MeetingMutation:
    @strawberry.mutation(description="Record a joint meeting of an alliance with its attendees, its rotating chair "
                                     "and the matters decided. Idempotent on the meeting id.")
    async def record_meeting(self, info: Info, input: RecordMeetingInput) -> MeetingPayload:
        info.context.caller.require_writer("recordMeeting")
        await in_scope(info, str(input.alliance_id), Label.ALLIANCE, "alliance")
        # recording an id again answers the meeting as it is: one of another region is neither shown nor touched
        await require_in_scope(info, await info.context.store.get_nodes([str(input.id)]), "meeting")
        await require_ends_in_scope(
            info, [*(str(a) for a in input.attendee_ids), None if input.chair_id is None else str(input.chair_id),
                   *(None if m.organisation_id is None else str(m.organisation_id) for m in input.matters)],
            (Label.ORGANISATION,), "organisation")
        record = MeetingRecord(
            id=str(input.id), alliance_id=str(input.alliance_id), held_on=check_date(input.held_on, "heldOn"),
            topic=input.topic, kind=input.kind, attendee_ids=tuple(str(a) for a in input.attendee_ids),
            chair_id=None if input.chair_id is None else str(input.chair_id),
            matters=tuple(MatterInput(id=str(m.id), title=m.title, mode=MatterMode(m.mode).value,
                                      organisation_id=None if m.organisation_id is None else str(m.organisation_id),
                                      person=m.person, due=day(m.due, "due")) for m in input.matters),
        )
        change = await info.context.store.record_meeting(record)
        return MeetingPayload(meeting=wrap(change.meeting), matters=[wrap(m) for m in change.matters],
                              created=change.created)

    @strawberry.mutation(description="跟踪落实: make a unit and a person responsible for a matter by a deadline "
                                     "(reassigning until it is done).")
    async def assign_matter(self, info: Info, matter_id: strawberry.ID, organisation_id: strawberry.ID, due: str,
                            person: str | None = None, on: str | None = None) -> MatterPayload:
        info.context.caller.require_writer("assignMatter")
        await in_scope(info, str(matter_id), Label.MATTER, "matter")
        await require_ends_in_scope(info, [str(organisation_id)], (Label.ORGANISATION,), "organisation")
        change = await info.context.store.assign_matter(str(matter_id), str(organisation_id), person,
                                                        check_date(due, "due"), today(on))
        return MatterPayload(matter=wrap(change.matter), previous_status=change.before)

    @strawberry.mutation(description="Mark an assigned matter done.")
    async def complete_matter(self, info: Info, matter_id: strawberry.ID, on: str | None = None) -> MatterPayload:
        info.context.caller.require_writer("completeMatter")
        await in_scope(info, str(matter_id), Label.MATTER, "matter")
        change = await info.context.store.complete_matter(str(matter_id), today(on))
        return MatterPayload(matter=wrap(change.matter), previous_status=change.before)
