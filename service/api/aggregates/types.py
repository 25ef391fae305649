"""The totals types. Each field is one store statement over the listing's selection (the same
`…Where` filters and region scope as the listing), asked only when the field is."""

from __future__ import annotations

import dataclasses

import strawberry

from service.api.shared.nodes import Info
from service.graph.aggregate_types import LinkQuery
from service.graph.types import Condition, Op, Query
from service.model import RelType


async def _count(info: Info, selected: Query) -> int:
    return (await info.context.store.list_nodes(dataclasses.replace(selected, first=1))).total


async def _reached(info: Info, selected: Query, type: RelType, outgoing: bool, **where: str | None) -> int:
    """Distinct nodes the selection links to over `type` (within its region)."""
    conds = tuple(Condition(k, Op.EQ, v) for k, v in where.items() if v is not None)
    return (await info.context.store.link_totals(LinkQuery(selected, type, outgoing, conds))).reached


async def _linked(info: Info, selected: Query, type: RelType, outgoing: bool) -> int:
    """Nodes of the selection with at least one link of `type` (to a node within its region)."""
    return (await info.context.store.link_totals(LinkQuery(selected, type, outgoing))).linked


@strawberry.type(description="Sums over the list items a ListItemWhere selects (one statement).")
class ListItemTotals:
    items: int = strawberry.field(description="List items selected.")
    quantity: float = strawberry.field(
        description="Their quantity summed, e.g. pooled parking spaces (list RESOURCE, category 停车位).")
    claimed: float = strawberry.field(description="Quantity claimed (认领) by ACTIVE claims, summed.")
    remaining: float = strawberry.field(description="Quantity still unclaimed, summed.")
    publishers: int = strawberry.field(
        description="Distinct units that published them: one publisher, one list (三张清单).")


@strawberry.type(description="Counts over the agreements an AgreementWhere selects.")
class AgreementTotals:
    selected: strawberry.Private[Query]

    @strawberry.field(description="Agreements selected.")
    async def agreements(self, info: Info) -> int:
        return await _count(info, self.selected)

    @strawberry.field(description="Distinct units PARTY_TO them, in `role` when given (甲方: the street or "
                                  "community party organisation; 乙方: the signing stationed unit).")
    async def parties(self, info: Info, role: str | None = None) -> int:
        return await _reached(info, self.selected, RelType.PARTY_TO, False, role=role)


@strawberry.type(description="Counts over the alliances an AllianceWhere selects.")
class AllianceTotals:
    selected: strawberry.Private[Query]

    @strawberry.field(description="Alliances selected.")
    async def alliances(self, info: Info) -> int:
        return await _count(info, self.selected)

    @strawberry.field(description="Distinct organisations MEMBER_OF them, in `role` when given (LEAD, CORE, …).")
    async def member_organisations(self, info: Info, role: str | None = None) -> int:
        return await _reached(info, self.selected, RelType.MEMBER_OF, False, role=role)

    @strawberry.field(description="Distinct part-time committee members (兼职委员, SERVES_ON).")
    async def committee_members(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.SERVES_ON, False)

    @strawberry.field(description="Distinct regions they cover (COVERS).")
    async def covered_regions(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.COVERS, True)

    @strawberry.field(description="Meetings held by them (OF).")
    async def meetings(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.OF, False)


@strawberry.type(description="Counts over the teams a kind and region select.")
class TeamTotals:
    selected: strawberry.Private[Query]

    @strawberry.field(description="Teams selected.")
    async def teams(self, info: Info) -> int:
        return await _count(info, self.selected)

    @strawberry.field(description="Distinct members serving in them (SERVES_IN), e.g. think-tank people.")
    async def members(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.SERVES_IN, False)


@strawberry.type(description="Counts over the organisations an OrganisationWhere selects.")
class OrganisationTotals:
    selected: strawberry.Private[Query]

    @strawberry.field(description="Organisations selected.")
    async def organisations(self, info: Info) -> int:
        return await _count(info, self.selected)

    @strawberry.field(description="Of those, how many have at least one member (BELONGS_TO).")
    async def with_members(self, info: Info) -> int:
        return await _linked(info, self.selected, RelType.BELONGS_TO, False)

    @strawberry.field(description="Distinct members belonging to them.")
    async def members(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.BELONGS_TO, False)

    @strawberry.field(description="Distinct members who reported to them (在职党员双报到, REPORTED_TO).")
    async def reported_members(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.REPORTED_TO, False)


@strawberry.type(description="Counts over the enterprises an EnterpriseWhere selects "
                             "(`wishWarehouse: true` for the wish warehouses, 如愿义仓).")
class EnterpriseTotals:
    selected: strawberry.Private[Query]

    @strawberry.field(description="Enterprises selected.")
    async def enterprises(self, info: Info) -> int:
        return await _count(info, self.selected)

    @strawberry.field(description="Distinct party organisations EMBEDDED_IN them.")
    async def party_organisations(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.EMBEDDED_IN, False)

    @strawberry.field(description="Distinct micro-wishes they CONTRIBUTED to (a wish warehouse's goods included).")
    async def wishes_contributed(self, info: Info) -> int:
        return await _reached(info, self.selected, RelType.CONTRIBUTED, True)
