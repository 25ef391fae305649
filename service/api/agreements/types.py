"""Agreement and a unit's side of one (AgreementParty), pairings, and the inputs of the listing and
of signAgreement."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service import masking
from service.api.corrections.types import AgreementVersion, Withdrawal, history, withdrawal
from service.api.prefetch import related
from service.api.shared.filters import DateFilter, StringFilter
from service.api.shared.nodes import Entity, Info, Loaded, entity, rel_nodes, rows_of, text, then, wrap
from service.graph.types import Node
from service.model import AgreementKind, AgreementStatus, Label, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import ListItem, Unit


@strawberry.type(description="A unit's side of an agreement (PARTY_TO).")
class AgreementParty:
    role: str | None
    signatory: str | None
    unit: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    agreement: Agreement


def party(info: Info, row_props: dict[str, object], unit: Node | Any, agreement: Node | Agreement) -> AgreementParty:
    """A PARTY_TO relationship as the caller may see it (the signatory is personal). Either end may be given
    as the object already built for it (the agreement whose parties these are), not built again per row."""
    context = info.context
    sees, signatory = context.caller.sees_personal_data, row_props.get("signatory")
    context.shown_personal(unit.id, "signatory" in masking.personal_relationship_keys(RelType.PARTY_TO), signatory)
    return AgreementParty(
        role=text(masking.relationship_property(RelType.PARTY_TO, "role", row_props.get("role"), sees)),
        signatory=text(masking.relationship_property(RelType.PARTY_TO, "signatory", signatory, sees)),
        unit=wrap(unit) if isinstance(unit, Node) else unit,
        agreement=wrap(agreement) if isinstance(agreement, Node) else agreement,
    )


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

    @strawberry.field(graphql_type=list[AgreementParty])
    @related(RelType.PARTY_TO, outgoing=False)
    def parties(self, info: Info) -> Loaded[list[AgreementParty]]:
        return then(rows_of(info, self.id, RelType.PARTY_TO, False),
                    lambda rows: [party(info, r.props, r.node, self) for r in rows])

    @strawberry.field(description="Its versions, newest first: each renewal (续签), status change or change of "
                                  "parties (by a load or a mutation, and a merge of units) with the values before "
                                  "and after, when, and by which operation and key.")
    async def history(self, info: Info) -> list[AgreementVersion]:
        return await history(info, self.id)

    @strawberry.field(description="When and why it was withdrawn; null while current.")
    def withdrawn(self) -> Withdrawal | None:
        return withdrawal(self.raw)

    @strawberry.field(description="List items the agreement INCLUDES.")
    async def items(self, info: Info) -> list[Annotated["ListItem", strawberry.lazy("service.api.lists.types")]]:
        return await rel_nodes(info, self.id, RelType.INCLUDES, True)


@strawberry.type(description="A unit sharing an ACTIVE agreement with the organisation, and those agreements.")
class PairedUnit:
    unit: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    agreements: list[Agreement]


@strawberry.input
class AgreementWhere:
    id: StringFilter | None = None
    title: StringFilter | None = None
    kind: StringFilter | None = None
    status: StringFilter | None = None
    signed_on: DateFilter | None = None
    valid_from: DateFilter | None = None
    valid_to: DateFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.enum
class AgreementSort(Enum):
    ID = "id"
    TITLE = "title"
    KIND = "kind"
    STATUS = "status"
    SIGNED_ON = "signedOn"
    VALID_FROM = "validFrom"
    VALID_TO = "validTo"


@strawberry.input
class AgreementPartyInput:
    unit_id: strawberry.ID = strawberry.field(description="An organisation id or an enterprise credit code.")
    role: str | None = strawberry.field(default=None, description="e.g. 甲方 / 乙方")
    signatory: str | None = None


@strawberry.input
class SignAgreementInput:
    id: strawberry.ID
    title: str
    kind: AgreementKind
    signed_on: str
    parties: list[AgreementPartyInput]
    valid_from: str | None = None
    valid_to: str | None = None
    status: AgreementStatus = AgreementStatus.ACTIVE
    item_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type
class SignAgreementPayload:
    agreement: Agreement
    created: bool = strawberry.field(description="False when this agreement was already recorded (idempotent).")
