"""Organisation, Enterprise and Member, the Unit and Actor unions, and the inputs of their listings
and upserts."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.agreements.types import AgreementParty, party
from service.api.alliances.types import AllianceMembership, membership
from service.api.analytics.types import UnitAnalytics, unit_analytics
from service.api.corrections.types import Withdrawal, withdrawal
from service.api.lists.types import ItemClaim, claim
from service.api.prefetch import related
from service.api.shared.filters import StringFilter
from service.api.shared.nodes import (
    Entity,
    Info,
    Loaded,
    entity,
    personal,
    rel,
    rel_nodes,
    rel_one,
    rows_of,
    then,
    wrap,
)
from service.graph.types import Node
from service.model import Label, OrgKind, OrgLevel, Ownership, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Alliance, ListItem, Matter, Meeting, Region, Team


@strawberry.type
class UnitFields:
    """What both unit types show: their contacts (personal data, masked by the registry's rule), the
    agreements they are party to, the items they published and claimed, and their analytics."""

    id: strawberry.ID
    raw: strawberry.Private[Node]

    @strawberry.field(description="Contact person (联系人); masked but for admin.")
    def contact(self, info: Info) -> str | None:
        return personal(info, self.raw, "contact")

    @strawberry.field(description="Phone (电话); masked but for admin.")
    def phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "phone")

    @strawberry.field(description="The contact person's phone; masked but for admin.")
    def contact_phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "contactPhone")

    @strawberry.field(graphql_type=list[AgreementParty])
    @related(RelType.PARTY_TO, outgoing=True)
    def agreements(self, info: Info) -> Loaded[list[AgreementParty]]:
        return then(rows_of(info, self.id, RelType.PARTY_TO, True),
                    lambda rows: [party(info, r.props, self, r.node) for r in rows])

    @strawberry.field
    async def published(self, info: Info) -> list[Annotated["ListItem", strawberry.lazy("service.api.lists.types")]]:
        return await rel_nodes(info, self.id, RelType.PUBLISHED, True)

    @strawberry.field
    async def claims(self, info: Info) -> list[ItemClaim]:
        return [claim(r.props, self.raw, r.node) for r in await rel(info, self.id, RelType.CLAIMED, True)]

    @strawberry.field(description="When and why it was withdrawn; null while current.")
    def withdrawn(self) -> Withdrawal | None:
        return withdrawal(self.raw)

    @strawberry.field(description="Scores from the last `alliance analyze` that covered it; null before any.")
    def analytics(self) -> UnitAnalytics | None:
        return unit_analytics(self.raw)


@entity(Label.ORGANISATION)
@strawberry.type(description="A party organisation.")
class Organisation(Entity, UnitFields):
    name: str | None
    kind: str | None
    level: str | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="Party secretary (书记); masked but for admin.")
    def secretary(self, info: Info) -> str | None:
        return personal(info, self.raw, "secretary")

    @strawberry.field(description="The organisation this one is UNDER (party hierarchy).")
    async def parent(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.UNDER, True)

    @strawberry.field
    async def children(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.UNDER, False)

    @strawberry.field
    async def region(self, info: Info) -> Annotated["Region", strawberry.lazy("service.api.regions.types")] | None:
        return await rel_one(info, self.id, RelType.LOCATED_IN, True)

    @strawberry.field(description="The enterprise this party organisation is EMBEDDED_IN.")
    async def enterprise(self, info: Info) -> Enterprise | None:
        return await rel_one(info, self.id, RelType.EMBEDDED_IN, True)

    @strawberry.field
    async def memberships(self, info: Info) -> list[AllianceMembership]:
        return [membership(r.props, self, wrap(r.node)) for r in await rel(info, self.id, RelType.MEMBER_OF, True)]

    @strawberry.field(description="Alliances this organisation leads (LED_BY).")
    async def leads(self, info: Info) -> list[Annotated["Alliance", strawberry.lazy("service.api.alliances.types")]]:
        return await rel_nodes(info, self.id, RelType.LED_BY, False)


    @strawberry.field(description="Members who BELONG_TO this organisation.")
    async def members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.BELONGS_TO, False)

    @strawberry.field(description="In-service members who REPORTED_TO this organisation (双报到).")
    async def reported_members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.REPORTED_TO, False)

    @strawberry.field
    async def teams(self, info: Info) -> list[Annotated["Team", strawberry.lazy("service.api.teams.types")]]:
        return await rel_nodes(info, self.id, RelType.ORGANISED_BY, False)

    @strawberry.field
    async def meetings_attended(
        self, info: Info
    ) -> list[Annotated["Meeting", strawberry.lazy("service.api.meetings.types")]]:
        return await rel_nodes(info, self.id, RelType.ATTENDED, True)

    @strawberry.field(description="Matters ASSIGNED_TO this organisation.")
    async def matters(self, info: Info) -> list[Annotated["Matter", strawberry.lazy("service.api.meetings.types")]]:
        return await rel_nodes(info, self.id, RelType.ASSIGNED_TO, False)


@entity(Label.ENTERPRISE)
@strawberry.type(description="An enterprise; its id is the unified social credit code.")
class Enterprise(Entity, UnitFields):
    name: str | None
    industry: str | None
    ownership: str | None
    wish_warehouse: bool | None = strawberry.field(
        description="A wish warehouse (如愿义仓): it donates goods for residents' micro-wishes at zero profit.")
    raw: strawberry.Private[Node]

    @strawberry.field
    async def region(self, info: Info) -> Annotated["Region", strawberry.lazy("service.api.regions.types")] | None:
        return await rel_one(info, self.id, RelType.LOCATED_IN, True)

    @strawberry.field(description="Party organisations EMBEDDED_IN this enterprise.")
    async def party_organisations(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.EMBEDDED_IN, False)


@entity(Label.MEMBER)
@strawberry.type(description="A party member. Name, phone, ID number and address are masked for all roles but admin.")
class Member(Entity):
    joined_on: str | None
    in_service: bool | None
    raw: strawberry.Private[Node]

    @strawberry.field
    def name(self, info: Info) -> str | None:
        return personal(info, self.raw, "name")

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "phone")

    @strawberry.field
    def id_number(self, info: Info) -> str | None:
        return personal(info, self.raw, "idNumber")

    @strawberry.field
    def address(self, info: Info) -> str | None:
        return personal(info, self.raw, "address")

    @strawberry.field(description="The organisation the member BELONGS_TO.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.BELONGS_TO, True)

    @strawberry.field(description="Where the member REPORTED_TO (在职党员双报到).")
    async def reported_to(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.REPORTED_TO, True)

    @strawberry.field(description="Alliances the member SERVES_ON (兼职委员).")
    async def alliances(
        self, info: Info
    ) -> list[Annotated["Alliance", strawberry.lazy("service.api.alliances.types")]]:
        return await rel_nodes(info, self.id, RelType.SERVES_ON, True)

    @strawberry.field
    async def teams(self, info: Info) -> list[Annotated["Team", strawberry.lazy("service.api.teams.types")]]:
        return await rel_nodes(info, self.id, RelType.SERVES_IN, True)

    @strawberry.field(description="Regions (grids) the member is RESPONSIBLE_FOR.")
    async def responsible_for(
        self, info: Info
    ) -> list[Annotated["Region", strawberry.lazy("service.api.regions.types")]]:
        return await rel_nodes(info, self.id, RelType.RESPONSIBLE_FOR, True)


Unit = Annotated[Organisation | Enterprise, strawberry.union("Unit", description="An organisation or enterprise.")]
Actor = Annotated[Member | Organisation | Enterprise, strawberry.union("Actor")]


@strawberry.input
class OrganisationWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None
    level: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class EnterpriseWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    industry: StringFilter | None = None
    ownership: StringFilter | None = None
    wish_warehouse: bool | None = strawberry.field(
        default=None, description="true: only wish warehouses (如愿义仓); false: only the others.")
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.enum
class OrganisationSort(Enum):
    ID = "id"
    NAME = "name"
    KIND = "kind"
    LEVEL = "level"


@strawberry.enum
class EnterpriseSort(Enum):
    ID = "id"
    NAME = "name"
    INDUSTRY = "industry"
    OWNERSHIP = "ownership"


@strawberry.input
class OrganisationInput:
    id: strawberry.ID
    name: str
    kind: OrgKind
    level: OrgLevel
    region_id: strawberry.ID | None = strawberry.field(default=None, description="LOCATED_IN this region.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="UNDER this organisation.")


@strawberry.input
class EnterpriseInput:
    id: strawberry.ID = strawberry.field(description="The 18-character unified social credit code.")
    name: str
    industry: str | None = None
    ownership: Ownership | None = None
    region_id: strawberry.ID | None = None
    wish_warehouse: bool | None = strawberry.field(default=None, description="Acts as a wish warehouse (如愿义仓).")


@strawberry.input
class MemberInput:
    id: strawberry.ID
    name: str
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="BELONGS_TO this organisation.")
    joined_on: str | None = None
    in_service: bool | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
