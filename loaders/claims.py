"""The claims hook: a claims file writes no relationships of its own but asks the store's atomic
claim_items, which applies the claim rule (service.claims) under the item's lock. A dry run applies
the same rule to the store's figures and to the claims the file accepted before, writing nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.claims import ClaimOutcome, claim_outcome, claim_rejection
from service.errors import AllianceError
from service.graph.port import GraphStore
from service.model import Label, RelType

Outcome = bool | AllianceError  # created (True), an idempotent repeat (False), or why it was refused


async def write_claims(store: GraphStore, claims: Sequence[Mapping[str, Any]]) -> list[Outcome]:
    done = await store.claim_items(claims) if claims else []
    return [o if isinstance(o, AllianceError) else o.created for o in done]


class DryRunClaims:
    """The rule over a file's claims, batch after batch: what is left of each item starts from the store's
    figures and goes down with each claim accepted; a claim id meets the claims on the file's items."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.remaining: dict[str, float] = {}  # item id -> quantity less claims, for the items seen
        self.priors: dict[str, tuple[str, str]] = {}  # claim id -> (claimant, item)

    async def outcomes(self, claims: Sequence[Mapping[str, Any]]) -> list[Outcome]:
        items = {c["item_id"] for c in claims} - set(self.remaining)
        if items:
            for node in await self.store.get_nodes(sorted(items)):
                if node.label is Label.LIST_ITEM:
                    self.remaining[node.id] = (node.get("quantity", 0) or 0) - (node.get("claimed", 0) or 0)
            for r in await self.store.related(sorted(items), RelType.CLAIMED, outgoing=False):
                self.priors[str(r.props.get("id"))] = (r.node.id, r.source_id)
        out: list[Outcome] = []
        for c in claims:
            item_id, left = c["item_id"], self.remaining.get(c["item_id"], 0)
            # the claimant was resolved as an organisation or enterprise before the claim was made
            outcome = claim_outcome(c, item_id in self.remaining, True, self.priors.get(c["id"]), left)
            if outcome is ClaimOutcome.OK:
                self.remaining[item_id] = left - c["quantity"]
                self.priors[c["id"]] = (c["claimant_id"], item_id)
                out.append(True)
            elif outcome is ClaimOutcome.REPEAT:
                out.append(False)
            else:
                out.append(claim_rejection(outcome, id=c["id"], item_id=item_id, claimant_id=c["claimant_id"],
                                           remaining=left, quantity=c["quantity"]))
        return out
