"""The audit trail's records (service/audit.py) in Neo4j: AuditRecord nodes created inside the write
transaction they record (executor.in_transaction) or on their own; never merged (nodes.py refuses the label),
deleted only by `prune` (retention)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from service import audit
from service.errors import AuditFailed
from service.graph.neo4j.parameters import unlogged
from service.graph.neo4j.results import after, page, to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Node, Page

if TYPE_CHECKING:
    from service.graph.neo4j.executor import Neo4jExecutor, Transaction


async def write_in_transaction(tx: Transaction, row: Mapping[str, Any]) -> None:
    """The record in the caller's transaction; any failure is AUDIT_FAILED, which rolls the transaction back."""
    try:
        await (await tx.run(statement("audit_append"), unlogged({"row": dict(row)}))).consume()
    except Exception as exc:
        raise AuditFailed("the audit record could not be written, so nothing was done") from exc


async def append(ex: Neo4jExecutor, row: Mapping[str, Any]) -> None:
    await ex.in_transaction(write_in_transaction, row)


async def audit_log(ex: Neo4jExecutor, query: audit.AuditQuery) -> Page[Node]:
    query = audit.checked(query)
    params = {"since": query.since, "until": query.until, "keyId": query.key_id, "operation": query.operation,
              "entityId": query.entity_id, "limit": query.first + 1, **after(query.after)}
    rows = await ex.run(statement("audit_log"), params)
    return page(rows, query.first, lambda r: to_node(r["n"]))


async def prune(ex: Neo4jExecutor, before: str) -> int:
    [row] = await ex.run(statement("audit_prune"), {"before": before}, write=True)
    return int(row["deleted"])
