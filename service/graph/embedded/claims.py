"""Claims on list items: checked and written in one IMMEDIATE transaction, which serialises
claimants across processes, so twenty units claiming the last parking space get one success."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from service.claims import ClaimOutcome, claim_outcome, claim_rejection
from service.errors import AllianceError, NotFound
from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor, dump
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.records import kept
from service.graph.types import Claim, Node
from service.model import Label, RelType
from service.registry import UNITS


def claim_items(ex: EmbeddedExecutor, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
    for c in claims:
        records.check_claim(c)
    out: list[Claim | AllianceError] = []
    if not claims:
        return out
    with ex.writing() as (db, mem):
        for c in claims:
            out.append(_claim_one(db, mem, c))
    return out


def claim_item(ex: EmbeddedExecutor, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str) -> Claim:
    claim = {"id": claim_id, "item_id": item_id, "claimant_id": claimant_id, "quantity": quantity, "on": on}
    [outcome] = claim_items(ex, [claim])
    if isinstance(outcome, AllianceError):
        raise outcome
    return outcome


def _claim_one(db: sqlite3.Connection, mem: MemoryGraph, c: Mapping[str, Any]) -> Claim | AllianceError:
    cid, item_id, unit_id, quantity = c["id"], c["item_id"], c["claimant_id"], c["quantity"]
    item = mem.nodes.get(item_id) if mem.has_label(item_id, Label.LIST_ITEM) else None
    unit = mem.nodes.get(unit_id)
    if unit is not None and unit.label not in UNITS:
        unit = None
    claimed = item.props.get("claimed", 0) if item else 0
    remaining = (item.props.get("quantity", 0) if item else 0) - claimed
    outcome = claim_outcome(c, item is not None, unit is not None, mem.claims.get(cid), remaining)
    if outcome is ClaimOutcome.REPEAT:
        props = mem.edge_props(RelType.CLAIMED, unit_id, item_id, cid) or {}
        return Claim(cid, item_id, unit_id, props["quantity"], props["on"], props["status"], remaining, False)
    if outcome is not ClaimOutcome.OK:
        return claim_rejection(outcome, id=cid, item_id=item_id, claimant_id=unit_id, remaining=remaining,
                               quantity=quantity)
    assert item is not None  # OK: the item exists
    props = {"id": cid, "on": c["on"], "quantity": quantity, "status": "ACTIVE"}
    item_props = kept(Label.LIST_ITEM, {**item.props, "claimed": claimed + quantity})
    db.execute('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, ?, ?)',
               (RelType.CLAIMED.value, unit_id, item_id, cid, dump(props)))
    db.execute("UPDATE nodes SET props = ? WHERE id = ?", (dump(item_props), item_id))
    mem.put_edge(RelType.CLAIMED, unit_id, item_id, props, cid)
    mem.put_node(Node(item_id, Label.LIST_ITEM, item_props))
    return Claim(cid, item_id, unit_id, quantity, c["on"], "ACTIVE", remaining - quantity, True)


def release_claim(ex: EmbeddedExecutor, claim_id: str) -> Claim:
    with ex.writing() as (db, mem):
        ends = mem.claims.get(claim_id)
        if ends is None:
            raise NotFound(f"no claim {claim_id!r}")
        unit_id, item_id = ends
        props = dict(mem.edge_props(RelType.CLAIMED, unit_id, item_id, claim_id) or {})
        item = mem.nodes[item_id]
        item_props = dict(item.props)
        if props["status"] == "ACTIVE":
            props.update(status="RELEASED", releasedOn=date.today().isoformat())
            claimed = item_props.get("claimed", 0) - props["quantity"]
            item_props = kept(Label.LIST_ITEM, {**item_props, "claimed": claimed})
            db.execute('UPDATE rels SET props = ? WHERE type = ? AND start = ? AND "end" = ? AND key = ?',
                       (dump(props), RelType.CLAIMED.value, unit_id, item_id, claim_id))
            db.execute("UPDATE nodes SET props = ? WHERE id = ?", (dump(item_props), item_id))
            mem.put_edge(RelType.CLAIMED, unit_id, item_id, props, claim_id)
            mem.put_node(Node(item_id, Label.LIST_ITEM, item_props))
        remaining = item_props.get("quantity", 0) - item_props.get("claimed", 0)
        return Claim(claim_id, item_id, unit_id, props["quantity"], props["on"], props["status"], remaining, False)


