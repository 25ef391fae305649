"""Claims on list items: checked and written atomically by claim_items.cypher, which takes the
item's lock before it reads the claimed total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import neo4j

from service.claims import claim_rejection
from service.errors import AllianceError, NotFound
from service.graph import records
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import statement
from service.graph.types import Claim


async def claim_items(ex: Neo4jExecutor, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
    for c in claims:
        records.check_claim(c)
    if not claims:
        return []
    rows = await ex.run(statement("claim_items"), {"claims": [dict(c) for c in claims]}, write=True)
    return [_outcome(r) for r in rows]


async def claim_item(
    ex: Neo4jExecutor, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str
) -> Claim:
    claim = {"id": claim_id, "item_id": item_id, "claimant_id": claimant_id, "quantity": quantity, "on": on}
    [outcome] = await claim_items(ex, [claim])
    if isinstance(outcome, AllianceError):
        raise outcome
    return outcome


async def release_claim(ex: Neo4jExecutor, claim_id: str) -> Claim:
    [r] = await ex.run(statement("release_claim"), {"claimId": claim_id, "on": date.today().isoformat()}, write=True)
    if not r["found"]:
        raise NotFound(f"no claim {claim_id!r}")
    return Claim(claim_id, r["itemId"], r["claimantId"], r["quantity"], r["on"], r["status"], r["remaining"], False)


def _outcome(r: neo4j.Record) -> Claim | AllianceError:
    if r["outcome"] in ("OK", "REPEAT"):
        return Claim(r["id"], r["itemId"], r["claimantId"], r["quantity"], r["on"], r["status"],
                     r["remaining"], r["outcome"] == "OK")
    return claim_rejection(r["outcome"], id=r["id"], item_id=r["itemId"], claimant_id=r["claimantId"],
                           remaining=r["remaining"], quantity=r["quantity"])
