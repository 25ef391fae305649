"""Withdrawals and unit merges on Neo4j, each in one transaction: the node read, checked
(service/graph/corrections.py) and written; a merge reads both units' relationships, deletes the
duplicate and writes the plan onto the unit kept with the upsert statements, then its record."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from service.graph import corrections, provenance, versions
from service.graph.corrections import Link
from service.graph.neo4j import census
from service.graph.neo4j.batches import agreement_states
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.relationships import relationships_written
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Node
from service.model import Label, RelType


async def _node(ex: Neo4jExecutor, tx: Transaction, node_id: str) -> Node | None:
    rows = await ex.run(statement("get_nodes"), {"ids": [node_id]}, tx=tx)
    return to_node(rows[0]["n"]) if rows else None


async def withdraw(ex: Neo4jExecutor, node_id: str, reason: str, at: str) -> Node:
    reason = corrections.check_reason(reason)
    props = corrections.withdrawn_props(reason, at, provenance.current())
    return await ex.in_transaction(_withdraw, ex, node_id, props)


async def _withdraw(tx: Transaction, ex: Neo4jExecutor, node_id: str, props: dict[str, Any]) -> Node:
    corrections.check_withdrawal(node_id, await _node(ex, tx, node_id))
    [row] = await ex.run(statement("withdraw"), {"id": node_id, "at": props["withdrawn"],
                                                 "reason": props["withdrawnReason"], "keyId": props["withdrawnBy"]},
                         write=True, tx=tx)
    return to_node(row["n"])


async def _links(ex: Neo4jExecutor, tx: Transaction, node_id: str) -> list[Link]:
    rows = await ex.run(statement("unit_links"), {"id": node_id}, tx=tx)
    return [Link(RelType(r["type"]), r["outgoing"], r["other"], Label(r["otherLabel"]), dict(r["props"]))
            for r in rows]


async def merge_units(ex: Neo4jExecutor, keep_id: str, remove_id: str, at: str) -> Node:
    return await ex.in_transaction(_merge, ex, keep_id, remove_id, at, provenance.current())


async def _merge(tx: Transaction, ex: Neo4jExecutor, keep_id: str, remove_id: str, at: str,
                 actor: provenance.Actor) -> Node:
    keep, remove = corrections.check_merge(keep_id, remove_id, await _node(ex, tx, keep_id),
                                           await _node(ex, tx, remove_id))
    remove_links = await _links(ex, tx, remove.id)
    plan = corrections.plan_merge(keep, remove, await _links(ex, tx, keep.id), remove_links)
    agreements = corrections.party_agreements(remove_links)
    before = await agreement_states(ex, tx, agreements) if agreements else {}
    counted = await census.before(ex, tx, [keep.label, remove.label], [keep.id, remove.id], [
        link for (type, start, end), rows in plan.writes.items()
        for link in census.links(type, start, end, [{"start": r.start, "end": r.end} for r in rows])],
        moved=[remove.id])
    await ex.run(statement("delete_unit", label=remove.label), {"id": remove.id}, write=True, tx=tx)
    for (type, start, end), rows in plan.writes.items():
        [row] = await ex.run(statement("upsert_relationships", start=start, type=type, end=end),
                             {"rows": [{"start": r.start, "end": r.end, "props": r.props} for r in rows]},
                             write=True, tx=tx)
        relationships_written(type, start, end, row)  # a missing end raises and rolls back
    claims: dict[tuple[Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for c in plan.claims:
        claims[(keep.label, Label.LIST_ITEM)].append({"start": c.start, "rows": [{"end": c.end, "props": c.props}]})
    for (start, end), groups in claims.items():
        await ex.run(statement("create_relationships", start=start, type=RelType.CLAIMED, end=end),
                     {"groups": groups}, write=True, tx=tx)
    await census.settle(ex, tx, counted)
    record = corrections.merge_record(keep, remove, plan, at, actor)
    await ex.run(statement("create_nodes", label=Label.UNIT_MERGE), {"rows": [record]}, write=True, tx=tx)
    if before:
        versioned = versions.version_rows(before, await agreement_states(ex, tx, sorted(before)), at, actor)
        if versioned:
            await ex.run(statement("create_nodes", label=Label.AGREEMENT_VERSION), {"rows": versioned},
                         write=True, tx=tx)
    return Node(record["id"], Label.UNIT_MERGE, record)
