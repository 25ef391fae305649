"""双报到: a member reports to the community where they live."""

from __future__ import annotations

import strawberry

from service.api.reporting.types import ReportPayload
from service.api.shared.nodes import Info
from service.api.shared.writes import in_scope, today
from service.model import Label


@strawberry.type
class ReportingMutation:
    @strawberry.mutation(description="双报到: an in-service member reports to the community (or village) where they "
                                     "live, optionally taking a service post there.")
    async def report_to_community(self, info: Info, member_id: strawberry.ID, organisation_id: strawberry.ID,
                                  on: str | None = None, post: str | None = None) -> ReportPayload:
        info.context.caller.require_writer("reportToCommunity")
        await in_scope(info, str(organisation_id), Label.ORGANISATION, "organisation")
        change = await info.context.store.report_to_community(str(member_id), str(organisation_id), today(on), post)
        return ReportPayload(member_id=strawberry.ID(change.member_id),
                             organisation_id=strawberry.ID(change.organisation_id), on=change.on, post=change.post,
                             created=change.created)
