"""One GraphQL type per label of shared/domain.md; relationships resolve through DataLoaders."""

from __future__ import annotations

from typing import Annotated

import strawberry

from service import masking
from service.api.types.analytics import UnitAnalytics, days_unclaimed, unit_analytics
from service.api.types.base import Info, entity, rel, rel_nodes, rel_one, wrap
from service.graph.types import Node
from service.model import Label, RelType

_O, _E, _M = Label.ORGANISATION, Label.ENTERPRISE, Label.MEMBER


@strawberry.interface(name="Node", description="Anything with a stable id: node(id:) finds it.")
class Entity:
    id: strawberry.ID


@entity(Label.REGION)
@strawberry.type(description="An administrative region (GB/T 2260 code) or a grid.")
class Region(Entity):
    name: str | None
    level: str | None
    grid_level: int | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="The region this one is PART_OF.")
    async def parent(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.PART_OF, True)

    @strawberry.field
    async def children(self, info: Info) -> list[Region]:
        return await rel_nodes(info, self.id, RelType.PART_OF, False)

    @strawberry.field(description="Party organisations LOCATED_IN this region (not its subtree).")
    async def organisations(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.LOCATED_IN, False, _O)

    @strawberry.field
    async def enterprises(self, info: Info) -> list[Enterprise]:
        return await rel_nodes(info, self.id, RelType.LOCATED_IN, False, _E)

    @strawberry.field(description="Alliances that COVER this region.")
    async def alliances(self, info: Info) -> list[Alliance]:
        return await rel_nodes(info, self.id, RelType.COVERS, False)

    @strawberry.field
    async def service_centres(self, info: Info) -> list[ServiceCentre]:
        return await rel_nodes(info, self.id, RelType.IN, False, Label.SERVICE_CENTRE)

    @strawberry.field
    async def wishes(self, info: Info) -> list[Wish]:
        return await rel_nodes(info, self.id, RelType.IN, False, Label.WISH)


@strawberry.type(description="A unit's side of an agreement (PARTY_TO).")
class AgreementParty:
    role: str | None
    signatory: str | None
    unit: Unit
    agreement: Agreement


@strawberry.type(description="An organisation's membership of an alliance (MEMBER_OF).")
class AllianceMembership:
    role: str | None
    since: str | None
    organisation: Organisation
    alliance: Alliance


@strawberry.type(description="A claim on a list item (CLAIMED).")
class ItemClaim:
    id: strawberry.ID | None
    on: str | None
    quantity: float | None
    status: str | None
    claimant: Unit
    item: ListItem


def _party(info: Info, row_props: dict[str, object], unit: Node, agreement: Node) -> AgreementParty:
    props = masking.relationship_properties(RelType.PARTY_TO, row_props, info.context.caller.sees_personal_data)
    return AgreementParty(
        role=_text(props.get("role")), signatory=_text(props.get("signatory")),
        unit=wrap(unit), agreement=wrap(agreement),
    )


def _claim(props: dict[str, object], unit: Node, item: Node) -> ItemClaim:
    quantity = props.get("quantity")
    return ItemClaim(
        id=strawberry.ID(str(props["id"])) if props.get("id") is not None else None,
        on=_text(props.get("on")), quantity=float(quantity) if isinstance(quantity, (int, float)) else None,
        status=_text(props.get("status")), claimant=wrap(unit), item=wrap(item),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def personal(info: Info, node: Node, key: str) -> str | None:
    """A node's property as the caller may see it (masked as the registry declares)."""
    return _text(masking.node_property(node.label, key, node.props.get(key), info.context.caller.sees_personal_data))


@entity(Label.ORGANISATION)
@strawberry.type(description="A party organisation.")
class Organisation(Entity):
    name: str | None
    kind: str | None
    level: str | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="Party secretary (书记); masked but for admin.")
    def secretary(self, info: Info) -> str | None:
        return personal(info, self.raw, "secretary")

    @strawberry.field(description="Contact person (联系人); masked but for admin.")
    def contact(self, info: Info) -> str | None:
        return personal(info, self.raw, "contact")

    @strawberry.field(description="Phone (电话); masked but for admin.")
    def phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "phone")

    @strawberry.field(description="The contact person's phone; masked but for admin.")
    def contact_phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "contactPhone")

    @strawberry.field(description="The organisation this one is UNDER (party hierarchy).")
    async def parent(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.UNDER, True)

    @strawberry.field
    async def children(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.UNDER, False)

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.LOCATED_IN, True)

    @strawberry.field(description="The enterprise this party organisation is EMBEDDED_IN.")
    async def enterprise(self, info: Info) -> Enterprise | None:
        return await rel_one(info, self.id, RelType.EMBEDDED_IN, True)

    @strawberry.field
    async def memberships(self, info: Info) -> list[AllianceMembership]:
        return [
            AllianceMembership(role=_text(r.props.get("role")), since=_text(r.props.get("since")),
                               organisation=self, alliance=wrap(r.node))
            for r in await rel(info, self.id, RelType.MEMBER_OF, True)
        ]

    @strawberry.field(description="Alliances this organisation leads (LED_BY).")
    async def leads(self, info: Info) -> list[Alliance]:
        return await rel_nodes(info, self.id, RelType.LED_BY, False)

    @strawberry.field
    async def agreements(self, info: Info) -> list[AgreementParty]:
        return [_party(info, r.props, self.raw, r.node) for r in await rel(info, self.id, RelType.PARTY_TO, True)]

    @strawberry.field
    async def published(self, info: Info) -> list[ListItem]:
        return await rel_nodes(info, self.id, RelType.PUBLISHED, True)

    @strawberry.field
    async def claims(self, info: Info) -> list[ItemClaim]:
        return [_claim(r.props, self.raw, r.node) for r in await rel(info, self.id, RelType.CLAIMED, True)]

    @strawberry.field(description="Members who BELONG_TO this organisation.")
    async def members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.BELONGS_TO, False)

    @strawberry.field(description="In-service members who REPORTED_TO this organisation (双报到).")
    async def reported_members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.REPORTED_TO, False)

    @strawberry.field
    async def teams(self, info: Info) -> list[Team]:
        return await rel_nodes(info, self.id, RelType.ORGANISED_BY, False)

    @strawberry.field
    async def meetings_attended(self, info: Info) -> list[Meeting]:
        return await rel_nodes(info, self.id, RelType.ATTENDED, True)

    @strawberry.field(description="Matters ASSIGNED_TO this organisation.")
    async def matters(self, info: Info) -> list[Matter]:
        return await rel_nodes(info, self.id, RelType.ASSIGNED_TO, False)

    @strawberry.field(description="Scores from the last `alliance analyze` that covered it; null before any.")
    def analytics(self) -> UnitAnalytics | None:
        return unit_analytics(self.raw)


@entity(Label.ENTERPRISE)
@strawberry.type(description="An enterprise; its id is the unified social credit code.")
class Enterprise(Entity):
    name: str | None
    industry: str | None
    ownership: str | None
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

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.LOCATED_IN, True)

    @strawberry.field(description="Party organisations EMBEDDED_IN this enterprise.")
    async def party_organisations(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.EMBEDDED_IN, False)

    @strawberry.field
    async def agreements(self, info: Info) -> list[AgreementParty]:
        return [_party(info, r.props, self.raw, r.node) for r in await rel(info, self.id, RelType.PARTY_TO, True)]

    @strawberry.field
    async def published(self, info: Info) -> list[ListItem]:
        return await rel_nodes(info, self.id, RelType.PUBLISHED, True)

    @strawberry.field
    async def claims(self, info: Info) -> list[ItemClaim]:
        return [_claim(r.props, self.raw, r.node) for r in await rel(info, self.id, RelType.CLAIMED, True)]

    @strawberry.field(description="Scores from the last `alliance analyze` that covered it; null before any.")
    def analytics(self) -> UnitAnalytics | None:
        return unit_analytics(self.raw)


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
    async def alliances(self, info: Info) -> list[Alliance]:
        return await rel_nodes(info, self.id, RelType.SERVES_ON, True)

    @strawberry.field
    async def teams(self, info: Info) -> list[Team]:
        return await rel_nodes(info, self.id, RelType.SERVES_IN, True)

    @strawberry.field(description="Regions (grids) the member is RESPONSIBLE_FOR.")
    async def responsible_for(self, info: Info) -> list[Region]:
        return await rel_nodes(info, self.id, RelType.RESPONSIBLE_FOR, True)


@entity(Label.ALLIANCE)
@strawberry.type(description="A regional party-building alliance.")
class Alliance(Entity):
    name: str | None
    kind: str | None
    model: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def led_by(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.LED_BY, True)

    @strawberry.field
    async def covers(self, info: Info) -> list[Region]:
        return await rel_nodes(info, self.id, RelType.COVERS, True)

    @strawberry.field
    async def members(self, info: Info) -> list[AllianceMembership]:
        return [
            AllianceMembership(role=_text(r.props.get("role")), since=_text(r.props.get("since")),
                               organisation=wrap(r.node), alliance=self)
            for r in await rel(info, self.id, RelType.MEMBER_OF, False)
        ]

    @strawberry.field(description="Part-time committee members (SERVES_ON).")
    async def committee_members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.SERVES_ON, False)

    @strawberry.field
    async def meetings(self, info: Info) -> list[Meeting]:
        return await rel_nodes(info, self.id, RelType.OF, False)


@entity(Label.AGREEMENT)
@strawberry.type(description="A co-building agreement (共建协议).")
class Agreement(Entity):
    title: str | None
    kind: str | None
    status: str | None
    signed_on: str | None
    valid_from: str | None
    valid_to: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def parties(self, info: Info) -> list[AgreementParty]:
        return [_party(info, r.props, r.node, self.raw) for r in await rel(info, self.id, RelType.PARTY_TO, False)]

    @strawberry.field(description="List items the agreement INCLUDES.")
    async def items(self, info: Info) -> list[ListItem]:
        return await rel_nodes(info, self.id, RelType.INCLUDES, True)


@entity(Label.LIST_ITEM)
@strawberry.type(description="A need, resource or project on a unit's list (三张清单).")
class ListItem(Entity):
    list_: str | None = strawberry.field(name="list", description="NEED, RESOURCE or PROJECT.")
    title: str | None
    category: str | None
    quantity: float | None
    unit: str | None
    status: str | None
    published_on: str | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="Quantity under active claims.")
    def claimed(self) -> float:
        return float(self.raw.props.get("claimed") or 0)

    @strawberry.field(description="Quantity still open to claim.")
    def remaining(self) -> float:
        return float(self.raw.props.get("quantity") or 0) - float(self.raw.props.get("claimed") or 0)

    @strawberry.field(description="Days since published while quantity is still open to claim; null when fully "
                                  "claimed, closed or undated.")
    def days_unclaimed(self) -> int | None:
        return days_unclaimed(self.raw.props)

    @strawberry.field
    async def publisher(self, info: Info) -> Unit | None:
        return await rel_one(info, self.id, RelType.PUBLISHED, False)

    @strawberry.field
    async def agreements(self, info: Info) -> list[Agreement]:
        return await rel_nodes(info, self.id, RelType.INCLUDES, False)

    @strawberry.field
    async def claims(self, info: Info) -> list[ItemClaim]:
        return [_claim(r.props, r.node, self.raw) for r in await rel(info, self.id, RelType.CLAIMED, False)]


@entity(Label.WISH)
@strawberry.type(description="A resident's micro-wish (微心愿). Recipient fields are shown to admins only.")
class Wish(Entity):
    title: str | None
    category: str | None
    status: str | None
    rating: float | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipient")

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient_phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipientPhone")

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient_address(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipientAddress")

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.IN, True)

    @strawberry.field
    async def dispatched_to(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.DISPATCHED_TO, True)

    @strawberry.field
    async def accepted_by(self, info: Info) -> list[Actor]:
        return await rel_nodes(info, self.id, RelType.ACCEPTED, False)

    @strawberry.field
    async def contributors(self, info: Info) -> list[Actor]:
        return await rel_nodes(info, self.id, RelType.CONTRIBUTED, False)


@entity(Label.MEETING)
@strawberry.type(description="A joint meeting (联席会议).")
class Meeting(Entity):
    held_on: str | None
    kind: str | None
    topic: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def alliance(self, info: Info) -> Alliance | None:
        return await rel_one(info, self.id, RelType.OF, True)

    @strawberry.field
    async def attendees(self, info: Info) -> list[Organisation]:
        return await rel_nodes(info, self.id, RelType.ATTENDED, False)

    @strawberry.field
    async def matters(self, info: Info) -> list[Matter]:
        return await rel_nodes(info, self.id, RelType.DECIDED_AT, False)


@strawberry.type(description="Who a matter is ASSIGNED_TO, and the person responsible.")
class MatterAssignment:
    person: str | None
    organisation: Organisation


@entity(Label.MATTER)
@strawberry.type(description="A matter decided at a meeting (五事联办) and followed to completion.")
class Matter(Entity):
    title: str | None
    mode: str | None
    status: str | None
    due: str | None
    done_on: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def meeting(self, info: Info) -> Meeting | None:
        return await rel_one(info, self.id, RelType.DECIDED_AT, True)

    @strawberry.field
    async def assigned_to(self, info: Info) -> list[MatterAssignment]:
        sees = info.context.caller.sees_personal_data
        return [MatterAssignment(person=_text(masking.relationship_properties(RelType.ASSIGNED_TO, r.props, sees)
                                              .get("person")), organisation=wrap(r.node))
                for r in await rel(info, self.id, RelType.ASSIGNED_TO, True)]


@entity(Label.TEAM)
@strawberry.type(description="A volunteer team, commando, think tank or stationed team.")
class Team(Entity):
    name: str | None
    kind: str | None
    raw: strawberry.Private[Node]

    @strawberry.field
    async def organised_by(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.ORGANISED_BY, True)

    @strawberry.field
    async def members(self, info: Info) -> list[Member]:
        return await rel_nodes(info, self.id, RelType.SERVES_IN, False)


@entity(Label.SERVICE_CENTRE)
@strawberry.type(description="A party-and-people service centre (党群服务中心).")
class ServiceCentre(Entity):
    name: str | None
    area_m2: float | None
    offers: list[str] | None = strawberry.field(description="The services it offers (服务项目).")
    raw: strawberry.Private[Node]

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await rel_one(info, self.id, RelType.IN, True)

    @strawberry.field
    async def run_by(self, info: Info) -> Organisation | None:
        return await rel_one(info, self.id, RelType.RUN_BY, True)


Unit = Annotated[Organisation | Enterprise, strawberry.union("Unit", description="An organisation or enterprise.")]
Actor = Annotated[Member | Organisation | Enterprise, strawberry.union("Actor")]

ENTITY_TYPES: list[type] = [Region, Organisation, Enterprise, Member, Alliance, Agreement, ListItem, Wish,
                            Meeting, Matter, Team, ServiceCentre]
