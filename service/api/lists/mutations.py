"""claimItem and releaseClaim: atomic claims on list items."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry

from service import audit, rules
from service.api.lists.types import ClaimPayload, claim_payload
from service.api.shared.nodes import Info
from service.api.shared.writes import iso_date, require_in_scope
from service.errors import NotFound, ValidationFailed
from service.model import Label, RelType


@strawberry.type
class ListMutation:
    @strawberry.mutation(description="Atomically claim part of a list item; ALREADY_CLAIMED when not enough remains. "
                                     "Repeating a claimId is idempotent.")
    async def claim_item(
        self, info: Info, item_id: strawberry.ID, claimant_id: strawberry.ID, quantity: float = 1,
        on: str | None = None, claim_id: strawberry.ID | None = None,
    ) -> ClaimPayload:
        ctx = info.context
        ctx.caller.require_writer("claimItem")
        rules.claim_quantity(quantity)
        if ctx.region_id is not None:
            nodes = await ctx.store.get_nodes([str(item_id), str(claimant_id)])
            await require_in_scope(info, nodes, "item or claimant")
        new_claim = str(claim_id) if claim_id else f"CLAIM-{uuid.uuid4().hex[:16]}"
        audit.touch(new_claim)  # named in the audit record that commits with the claim
        claim = await ctx.store.claim_item(str(item_id), str(claimant_id), quantity,
                                           iso_date(on, "on") or date.today().isoformat(), new_claim)
        return claim_payload(claim)

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
            claimants = [r.node for r in claims if str(r.props.get("id")) == str(claim_id)]
            if not claimants:
                raise NotFound(f"no claim {str(claim_id)!r} on item {item.id!r}")
            # releasing changes the claim between both: the item and the claimant must lie inside
            await require_in_scope(info, [item, *claimants], "item or claimant")
        return claim_payload(await ctx.store.release_claim(str(claim_id)))
