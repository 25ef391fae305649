"""Dual reporting within a region, and the members of a unit who have not reported yet."""

from __future__ import annotations

from dataclasses import replace

import strawberry

from service.api.reporting.types import CommunityReporting, ReportingStats, UnitReporting
from service.api.shared.listing import nodes_by_id, region_of
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import in_scope
from service.api.units.types import Member
from service.model import Label
from service.workflows import reporting


@strawberry.type
class ReportingQuery:
    @strawberry.field(description="Dual reporting (双报到) to the communities within a region.")
    async def reporting_stats(self, info: Info, region_id: strawberry.ID | None = None) -> ReportingStats:
        region = await region_of(info, region_id)
        facts = await info.context.store.reporting_facts(region)
        if info.context.region_id is not None:
            # a scoped key counts and names only its region's units: a member of a unit elsewhere who reported
            # here counts as a reporting member, their unit as unknown (双报到 crosses regions, the scope does not)
            units = await nodes_by_id(info, [f.unit_id for f in facts if f.unit_id is not None])
            inside = {n.id for n in await info.context.visible(list(units.values()))}
            facts = [f if f.unit_id is None or f.unit_id in inside else replace(f, unit_id=None) for f in facts]
        summary = reporting.summarise(facts)
        orgs = await nodes_by_id(info, [c.community_id for c in summary.by_community]
                                 + [u.unit_id for u in summary.by_unit])
        return ReportingStats(
            units=summary.units, members=summary.members,
            by_community=[CommunityReporting(community=wrap(orgs[c.community_id]), members=c.members, units=c.units)
                          for c in summary.by_community if c.community_id in orgs],
            by_unit=[UnitReporting(unit=wrap(orgs[u.unit_id]), members=u.members, communities=u.communities)
                     for u in summary.by_unit if u.unit_id in orgs],
        )

    @strawberry.field(description="In-service members of a unit who have not reported to a community yet.")
    async def unreported_members(self, info: Info, unit_id: strawberry.ID) -> list[Member]:
        unit = await in_scope(info, str(unit_id), Label.ORGANISATION, "organisation")
        return [wrap(n) for n in await info.context.store.unreported_members(unit.id)]
