"""Mutations for the importer and admin roles: agreements, claims and unit upserts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import strawberry

import service.api.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.limits import MAX_BATCH
from service.api.types.base import Info, wrap
from service.api.types.entities import Agreement, ListItem
from service.errors import Forbidden, NotFound, OverLimit, ValidationFailed
from service.graph.types import Node, RelGroup, RelRow, UpsertResult
from service.model import AgreementKind, AgreementStatus, Label, OrgKind, OrgLevel, Ownership, RelType
from service.registry import UNITS


def _iso_date(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationFailed(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _batch(rows: Sequence[Any], what: str) -> None:
    if not rows:
        raise ValidationFailed(f"{what}: give at least one row")
    if len(rows) > MAX_BATCH:
        raise OverLimit(f"{what}: {len(rows)} rows; send at most {MAX_BATCH} per request")


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in row.items() if v is not None}


async def _require_in_scope(info: Info, nodes: Sequence[Node], what: str) -> None:
    if info.context.region_id is None:
        return
    seen = {n.id for n in await info.context.visible(nodes)}
    outside = sorted({n.id for n in nodes} - seen)
    if outside:
        raise Forbidden(f"{what} {', '.join(outside)} lie outside your key's region {info.context.region_id!r}")


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


@strawberry.type
class ClaimPayload:
    id: strawberry.ID
    item_id: strawberry.ID
    claimant_id: strawberry.ID
    quantity: float
    on: str
    status: str
    remaining: float = strawberry.field(description="The item's remaining quantity after this change.")
    created: bool = strawberry.field(description="False when this claim id was already recorded (idempotent).")

    @strawberry.field
    async def item(self, info: Info) -> ListItem | None:
        found = await info.context.store.get_node(str(self.item_id), Label.LIST_ITEM)
        return None if found is None else wrap(found)


@strawberry.type
class UpsertPayload:
    created: int
    updated: int
    unchanged: int


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


def _payload(result: UpsertResult) -> UpsertPayload:
    return UpsertPayload(created=result.created, updated=result.updated, unchanged=result.unchanged)


async def _upsert_units(
    info: Info, label: Label, rows: list[dict[str, Any]], links: list[tuple[RelType, Label, str, str]]
) -> UpsertPayload:
    """Nodes, then their LOCATED_IN / UNDER / BELONGS_TO links; every linked node must exist."""
    store = info.context.store
    targets = sorted({target for _, _, _, target in links})
    found = {n.id: n for n in await store.get_nodes(targets)} if targets else {}
    for type, end, _, target in links:
        node = found.get(target)
        if node is None or node.label is not end:
            raise NotFound(f"no {end.value} {target!r} to link with {type.value}")
    await _require_in_scope(info, list(found.values()), "linked nodes")
    if info.context.region_id is not None and label is not Label.MEMBER:
        unplaced = sorted({r["id"] for r in rows} - {start for t, _, start, _ in links if t is RelType.LOCATED_IN})
        if unplaced:
            raise Forbidden(f"a region-scoped key must give regionId for {', '.join(unplaced)}")
    result = await store.upsert_nodes(label, rows)
    grouped: dict[tuple[RelType, Label], list[RelRow]] = {}
    for type, end, start, target in links:
        grouped.setdefault((type, end), []).append(RelRow(start, target))
    for (type, end), rel_rows in grouped.items():
        await store.upsert_relationships(type, label, end, rel_rows)
    return _payload(result)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record a signed agreement with its parties and included list items. "
                                     "Idempotent on the agreement id.")
    async def sign_agreement(self, info: Info, input: SignAgreementInput) -> SignAgreementPayload:
        ctx = info.context
        ctx.caller.require_writer("signAgreement")
        if len(input.parties) < 2:
            raise ValidationFailed("an agreement needs at least two parties")
        party_ids = [str(p.unit_id) for p in input.parties]
        if len(set(party_ids)) != len(party_ids):
            raise ValidationFailed("a unit is named twice among the parties")
        item_ids = [str(x) for x in input.item_ids]
        found = {n.id: n for n in await ctx.store.get_nodes(party_ids + item_ids)}
        for pid in party_ids:
            if pid not in found or found[pid].label not in UNITS:
                raise NotFound(f"no organisation or enterprise {pid!r} to sign the agreement")
        for iid in item_ids:
            if iid not in found or found[iid].label is not Label.LIST_ITEM:
                raise NotFound(f"no list item {iid!r} to include")
        await _require_in_scope(info, list(found.values()), "parties or items")
        valid_from, valid_to = _iso_date(input.valid_from, "validFrom"), _iso_date(input.valid_to, "validTo")
        if valid_from and valid_to and valid_to < valid_from:
            raise ValidationFailed(f"validTo {valid_to} is before validFrom {valid_from}")
        row = _clean({"id": str(input.id), "title": input.title, "kind": input.kind,
                      "signedOn": _iso_date(input.signed_on, "signedOn"), "validFrom": valid_from,
                      "validTo": valid_to, "status": input.status})
        groups = [
            RelGroup(RelType.PARTY_TO, label, Label.AGREEMENT, rels)
            for label in UNITS
            if (rels := [RelRow(str(p.unit_id), str(input.id), _clean({"role": p.role, "signatory": p.signatory}))
                         for p in input.parties if found[str(p.unit_id)].label is label])
        ]
        if item_ids:
            groups.append(RelGroup(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM,
                                   [RelRow(str(input.id), i) for i in item_ids]))
        # the agreement, its parties and its items in one transaction: all of it or none
        batch = await ctx.store.upsert_batch([(Label.AGREEMENT, [row])], groups)
        result = batch.nodes[0]
        agreement = wrap(Node(str(input.id), Label.AGREEMENT, row))
        return SignAgreementPayload(agreement=agreement, created=result.created > 0)

    @strawberry.mutation(description="Atomically claim part of a list item; ALREADY_CLAIMED when not enough remains. "
                                     "Repeating a claimId is idempotent.")
    async def claim_item(
        self, info: Info, item_id: strawberry.ID, claimant_id: strawberry.ID, quantity: float = 1,
        on: str | None = None, claim_id: strawberry.ID | None = None,
    ) -> ClaimPayload:
        ctx = info.context
        ctx.caller.require_writer("claimItem")
        if not quantity > 0:
            raise ValidationFailed(f"quantity {quantity:g} must be above zero")
        if ctx.region_id is not None:
            nodes = await ctx.store.get_nodes([str(item_id), str(claimant_id)])
            await _require_in_scope(info, nodes, "item or claimant")
        claim = await ctx.store.claim_item(str(item_id), str(claimant_id), quantity,
                                           _iso_date(on, "on") or date.today().isoformat(),
                                           str(claim_id) if claim_id else f"CLAIM-{uuid.uuid4().hex[:16]}")
        return _claim_payload(claim)

    @strawberry.mutation(description="Release an active claim; releasing twice changes nothing.")
    async def release_claim(
        self, info: Info, claim_id: strawberry.ID, item_id: strawberry.ID | None = None
    ) -> ClaimPayload:
        ctx = info.context
        ctx.caller.require_writer("releaseClaim")
        if ctx.region_id is not None:
            if item_id is None:
                raise ValidationFailed("a region-scoped key must give the claim's itemId")
            item = await ctx.node(str(item_id), Label.LIST_ITEM)
            claims = await ctx.store.related([item.id], RelType.CLAIMED, False)
            if not any(str(r.props.get("id")) == str(claim_id) for r in claims):
                raise NotFound(f"no claim {str(claim_id)!r} on item {item.id!r}")
        return _claim_payload(await ctx.store.release_claim(str(claim_id)))

    @strawberry.mutation(description="Create or update party organisations by id (merged properties).")
    async def upsert_organisations(self, info: Info, rows: list[OrganisationInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertOrganisations")
        _batch(rows, "upsertOrganisations")
        links = [(RelType.LOCATED_IN, Label.REGION, str(r.id), str(r.region_id)) for r in rows if r.region_id]
        links += [(RelType.UNDER, Label.ORGANISATION, str(r.id), str(r.parent_id)) for r in rows if r.parent_id]
        data = [_clean({"id": str(r.id), "name": r.name, "kind": r.kind, "level": r.level}) for r in rows]
        return await _upsert_units(info, Label.ORGANISATION, data, links)

    @strawberry.mutation(description="Create or update enterprises by credit code (validated, with check character).")
    async def upsert_enterprises(self, info: Info, rows: list[EnterpriseInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertEnterprises")
        _batch(rows, "upsertEnterprises")
        links = [(RelType.LOCATED_IN, Label.REGION, str(r.id), str(r.region_id)) for r in rows if r.region_id]
        data = [_clean({"id": str(r.id), "name": r.name, "industry": r.industry, "ownership": r.ownership})
                for r in rows]
        return await _upsert_units(info, Label.ENTERPRISE, data, links)

    @strawberry.mutation(description="Create or update party members by id. Personal data is stored, never echoed.")
    async def upsert_members(self, info: Info, rows: list[MemberInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertMembers")
        _batch(rows, "upsertMembers")
        if info.context.region_id is not None and any(r.organisation_id is None for r in rows):
            raise Forbidden("a region-scoped key must give organisationId for every member")
        links = [(RelType.BELONGS_TO, Label.ORGANISATION, str(r.id), str(r.organisation_id))
                 for r in rows if r.organisation_id]
        data = [_clean({"id": str(r.id), "name": r.name, "joinedOn": _iso_date(r.joined_on, "joinedOn"),
                        "inService": r.in_service, "phone": r.phone, "idNumber": r.id_number, "address": r.address})
                for r in rows]
        return await _upsert_units(info, Label.MEMBER, data, links)


def _claim_payload(claim: Any) -> ClaimPayload:
    return ClaimPayload(id=strawberry.ID(claim.id), item_id=strawberry.ID(claim.item_id),
                        claimant_id=strawberry.ID(claim.claimant_id), quantity=float(claim.quantity), on=str(claim.on),
                        status=str(claim.status), remaining=float(claim.remaining), created=claim.created)
