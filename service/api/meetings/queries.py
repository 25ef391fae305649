"""Meeting statistics and the meetings and matters listings."""

from __future__ import annotations

import datetime as dt

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.limits import DEFAULT_FIRST
from service.api.meetings.types import AllianceMeetingStats, Matter, Meeting, MeetingStats, MonthCount
from service.api.shared.connections import Connection
from service.api.shared.filters import From
from service.api.shared.listing import listing, nodes_by_id, region_of
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import day, today
from service.graph.types import Condition, Op
from service.model import Label, MatterStatus
from service.workflows import matters as rules
from service.workflows.wishes import check_date


@strawberry.type
class MeetingQuery:
    @strawberry.field(description="Joint meetings and matters within a region and period; overdue as of asOf.")
    async def meeting_stats(self, info: Info, region_id: strawberry.ID | None = None, from_: From = None,
                            to: str | None = None, as_of: str | None = None) -> MeetingStats:
        region = await region_of(info, region_id)
        facts = await info.context.store.meeting_facts(region, day(from_, "from"), day(to, "to"))
        summary = rules.summarise(facts.meetings, facts.matters, dt.date.fromisoformat(today(as_of, "asOf")))
        alliances = await nodes_by_id(info, [a.alliance_id for a in summary.per_alliance])
        per = [AllianceMeetingStats(alliance=wrap(alliances[a.alliance_id]), meetings=a.meetings, matters=a.matters,
                                    matters_done=a.done, overdue=a.overdue, last_held_on=a.last_held_on,
                                    by_month=[MonthCount(month=k, meetings=v) for k, v in a.by_month.items()])
               for a in summary.per_alliance if a.alliance_id in alliances]
        return MeetingStats(meetings=summary.meetings, matters=summary.matters,
                            important_matters=summary.important_matters, matters_done=summary.matters_done,
                            overdue=summary.overdue, completion_rate=summary.completion_rate, per_alliance=per)

    @strawberry.field(description="Meetings, latest first.")
    async def meetings(self, info: Info, region_id: strawberry.ID | None = None,
                       first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Meeting]:
        return await listing(info, Label.MEETING, region_id, (), first, after, "heldOn")

    @strawberry.field(description="Matters, latest deadline first; `overdueOn` keeps those not done and past due then.")
    async def matters(self, info: Info, region_id: strawberry.ID | None = None,
                      status: MatterStatus | None = None,
                      overdue_on: str | None = None,
                      first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Matter]:
        where: list[Condition] = []
        if status is not None:
            where.append(Condition("status", Op.EQ, status.value))
        if overdue_on is not None:
            on = check_date(overdue_on, "overdueOn")
            before = (dt.date.fromisoformat(on) - dt.timedelta(days=1)).isoformat()
            where += [Condition("due", Op.LTE, before),
                      Condition("status", Op.IN, [MatterStatus.OPEN.value, MatterStatus.IN_PROGRESS.value])]
        return await listing(info, Label.MATTER, region_id, tuple(where), first, after, "due")
