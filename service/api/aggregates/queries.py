"""Root fields of totals: the listing's own `…Where` in, one figure per field out, so a dashboard
tile (distinct 乙方 signatory units, pooled parking spaces, part-time committee members) is one call
instead of paging through every node."""

from __future__ import annotations

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.aggregates.types import (
    AgreementTotals,
    AllianceTotals,
    EnterpriseTotals,
    ListItemTotals,
    OrganisationTotals,
    TeamTotals,
)
from service.api.agreements.types import AgreementWhere
from service.api.alliances.types import AllianceWhere
from service.api.lists.queries import item_query
from service.api.lists.types import ListItemWhere
from service.api.shared.listing import region_of, scoped_region, selection
from service.api.shared.nodes import Info
from service.api.units.types import EnterpriseWhere, OrganisationWhere
from service.graph.types import Condition, Op, Query
from service.model import Label, TeamKind


@strawberry.type
class AggregateQuery:
    @strawberry.field(description="Sums over the list items `listItems` would list with this filter.")
    async def list_item_totals(self, info: Info, where: ListItemWhere | None = None) -> ListItemTotals:
        w = where or ListItemWhere()
        t = await info.context.store.item_totals(item_query(info, w, await scoped_region(info, w.region_id)))
        return ListItemTotals(items=t.items, quantity=t.quantity, claimed=t.claimed, remaining=t.remaining,
                              publishers=t.publishers)

    @strawberry.field(description="Counts over the agreements `agreements` would list with this filter.")
    async def agreement_totals(self, info: Info, where: AgreementWhere | None = None) -> AgreementTotals:
        return AgreementTotals(selected=await selection(info, Label.AGREEMENT, where))

    @strawberry.field(description="Counts over the alliances `alliances` would list with this filter.")
    async def alliance_totals(self, info: Info, where: AllianceWhere | None = None) -> AllianceTotals:
        return AllianceTotals(selected=await selection(info, Label.ALLIANCE, where))

    @strawberry.field(description="Counts over the organisations `organisations` would list with this filter.")
    async def organisation_totals(self, info: Info, where: OrganisationWhere | None = None) -> OrganisationTotals:
        return OrganisationTotals(selected=await selection(info, Label.ORGANISATION, where))

    @strawberry.field(description="Counts over the enterprises `enterprises` would list with this filter.")
    async def enterprise_totals(self, info: Info, where: EnterpriseWhere | None = None) -> EnterpriseTotals:
        return EnterpriseTotals(selected=await selection(info, Label.ENTERPRISE, where))

    @strawberry.field(description="Counts over the teams `teams` would list with these arguments.")
    async def team_totals(self, info: Info, region_id: strawberry.ID | None = None,
                          kind: TeamKind | None = None) -> TeamTotals:
        where = () if kind is None else (Condition("kind", Op.EQ, kind.value),)
        return TeamTotals(selected=Query(Label.TEAM, where=where, region_id=await region_of(info, region_id)))
