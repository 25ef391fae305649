"""signAgreement: an agreement with its parties and items, in one transaction."""

from __future__ import annotations

import strawberry

from service import rules
from service.api.agreements.types import SignAgreementInput, SignAgreementPayload
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import clean, iso_date, require_in_scope
from service.errors import NotFound
from service.graph.types import Node, RelGroup, RelRow
from service.model import Label, RelType
from service.registry import UNITS


@strawberry.type
class AgreementMutation:
    @strawberry.mutation(description="Record a signed agreement with its parties and included list items. "
                                     "Idempotent on the agreement id.")
    async def sign_agreement(self, info: Info, input: SignAgreementInput) -> SignAgreementPayload:
        ctx = info.context
        ctx.caller.require_writer("signAgreement")
        rules.agreement_parties([(str(p.unit_id), p.role) for p in input.parties])
        party_ids = [str(p.unit_id) for p in input.parties]
        item_ids = [str(x) for x in input.item_ids]
        found = {n.id: n for n in await ctx.store.get_nodes(party_ids + item_ids)}
        for pid in party_ids:
            if pid not in found or found[pid].label not in UNITS:
                raise NotFound(f"no organisation or enterprise {pid!r} to sign the agreement")
        for iid in item_ids:
            if iid not in found or found[iid].label is not Label.LIST_ITEM:
                raise NotFound(f"no list item {iid!r} to include")
        await require_in_scope(info, list(found.values()), "parties or items")
        # re-signing an agreement replaces its parties: the agreement as it is must lie inside too
        await require_in_scope(info, await ctx.store.get_nodes([str(input.id)]), "agreement")
        valid_from, valid_to = iso_date(input.valid_from, "validFrom"), iso_date(input.valid_to, "validTo")
        rules.agreement_dates(valid_from, valid_to)
        row = clean({"id": str(input.id), "title": input.title, "kind": input.kind,
                     "signedOn": iso_date(input.signed_on, "signedOn"), "validFrom": valid_from,
                     "validTo": valid_to, "status": input.status})
        groups = [
            RelGroup(RelType.PARTY_TO, label, Label.AGREEMENT, rels)
            for label in UNITS
            if (rels := [RelRow(str(p.unit_id), str(input.id), clean({"role": p.role, "signatory": p.signatory}))
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
