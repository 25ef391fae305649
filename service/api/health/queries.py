"""organisationHealth: branch sizes, quiet alliances and overdue agreements as of a day."""

from __future__ import annotations

import datetime as dt

import strawberry

from service.api.health.types import BranchSize, OrganisationHealth, QuietAlliance
from service.api.shared.listing import nodes_by_id, region_of
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import today
from service.graph.workflow_types import HealthFacts
from service.workflows import health


def _parts(facts: HealthFacts) -> tuple[list[health.BranchFact], list[health.AllianceFact],
                                        list[health.AgreementFact]]:
    return facts.branches, facts.alliances, facts.agreements


@strawberry.type
class HealthQuery:
    @strawberry.field(description="Branches outside 3–50 full members, alliances without a meeting in the last "
                                  "quarter, agreements past their end still ACTIVE; as of asOf (default today).")
    async def organisation_health(self, info: Info, region_id: strawberry.ID | None = None,
                                  as_of: str | None = None) -> OrganisationHealth:
        region = await region_of(info, region_id)
        day = today(as_of, "asOf")
        h = health.assess(*_parts(await info.context.store.health_facts(region)), dt.date.fromisoformat(day))
        nodes = await nodes_by_id(info, [b.id for b in h.too_small + h.too_large] + [a.id for a in h.quiet_alliances]
                                  + [a.id for a in h.overdue_agreements])
        return OrganisationHealth(
            as_of=day,
            branches_too_small=[BranchSize(organisation=wrap(nodes[b.id]), full_members=b.full_members)
                                for b in h.too_small if b.id in nodes],
            branches_too_large=[BranchSize(organisation=wrap(nodes[b.id]), full_members=b.full_members)
                                for b in h.too_large if b.id in nodes],
            quiet_alliances=[QuietAlliance(alliance=wrap(nodes[a.id]), last_held_on=a.last_held_on)
                             for a in h.quiet_alliances if a.id in nodes],
            overdue_agreements=[wrap(nodes[a.id]) for a in h.overdue_agreements if a.id in nodes],
        )
