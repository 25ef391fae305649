"""Upserts of organisations, enterprises and members, with the links that place them."""

from __future__ import annotations

from typing import Any

import strawberry

from service.api.shared.nodes import Info
from service.api.shared.writes import UpsertPayload, check_batch, clean, iso_date, require_in_scope, upsert_payload
from service.api.units.types import EnterpriseInput, MemberInput, OrganisationInput
from service.errors import Forbidden, NotFound
from service.graph.types import RelRow
from service.model import Label, RelType


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
    await require_in_scope(info, list(found.values()), "linked nodes")
    # an existing node is changed (renamed, moved) only when it lies wholly inside: moving it touches both regions
    await require_in_scope(info, await store.get_nodes(sorted({str(r["id"]) for r in rows})), label.value)
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
    return upsert_payload(result)


@strawberry.type
class UnitMutation:
    @strawberry.mutation(description="Create or update party organisations by id (merged properties).")
    async def upsert_organisations(self, info: Info, rows: list[OrganisationInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertOrganisations")
        check_batch(rows, "upsertOrganisations")
        links = [(RelType.LOCATED_IN, Label.REGION, str(r.id), str(r.region_id)) for r in rows if r.region_id]
        links += [(RelType.UNDER, Label.ORGANISATION, str(r.id), str(r.parent_id)) for r in rows if r.parent_id]
        data = [clean({"id": str(r.id), "name": r.name, "kind": r.kind, "level": r.level}) for r in rows]
        return await _upsert_units(info, Label.ORGANISATION, data, links)

    @strawberry.mutation(description="Create or update enterprises by credit code (validated, with check character).")
    async def upsert_enterprises(self, info: Info, rows: list[EnterpriseInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertEnterprises")
        check_batch(rows, "upsertEnterprises")
        links = [(RelType.LOCATED_IN, Label.REGION, str(r.id), str(r.region_id)) for r in rows if r.region_id]
        data = [clean({"id": str(r.id), "name": r.name, "industry": r.industry, "ownership": r.ownership,
                       "wishWarehouse": r.wish_warehouse})
                for r in rows]
        return await _upsert_units(info, Label.ENTERPRISE, data, links)

    @strawberry.mutation(description="Create or update party members by id. Personal data is stored, never echoed.")
    async def upsert_members(self, info: Info, rows: list[MemberInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertMembers")
        check_batch(rows, "upsertMembers")
        if info.context.region_id is not None and any(r.organisation_id is None for r in rows):
            raise Forbidden("a region-scoped key must give organisationId for every member")
        links = [(RelType.BELONGS_TO, Label.ORGANISATION, str(r.id), str(r.organisation_id))
                 for r in rows if r.organisation_id]
        data = [clean({"id": str(r.id), "name": r.name, "joinedOn": iso_date(r.joined_on, "joinedOn"),
                        "inService": r.in_service, "phone": r.phone, "idNumber": r.id_number, "address": r.address})
                for r in rows]
        return await _upsert_units(info, Label.MEMBER, data, links)
