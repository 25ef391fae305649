"""Nodes by id: upserts (one statement per label), lookups by id and by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.errors import Conflict
from service.graph import records
from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Node, UpsertResult
from service.model import Label
from service.registry import label_spec


async def upsert_nodes(ex: Neo4jExecutor, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
    label = records.as_label(label)
    prepared = records.prepare_nodes(label, rows)
    if not prepared:
        return UpsertResult()
    counted_ids = census.counted(label, prepared) if label_spec(label).region_path is not None else []
    if not counted_ids:
        return await write_nodes(ex, label, prepared)  # no row moves a region count (a record, a name, a score)

    async def counted(tx: Transaction) -> UpsertResult:  # with the region tallies (census.py)
        read = await census.before(ex, tx, [label], counted_ids)
        out = await write_nodes(ex, label, prepared, tx)
        if read.rows or label is Label.REGION:  # else all new, and a new node is in no region until linked
            await census.settle(ex, tx, read)
        return out

    return await ex.in_transaction(counted)


async def write_nodes(
    ex: Neo4jExecutor, label: Label, prepared: list[dict[str, Any]], tx: Transaction | None = None
) -> UpsertResult:
    """Prepared rows of one label (records.prepare_nodes), merged by id; in `tx` when given."""
    [row] = await ex.run(statement("upsert_nodes", label=label), {"rows": prepared}, write=True, tx=tx)
    return nodes_written(label, row)


async def count_by_label(ex: Neo4jExecutor) -> dict[Label, int]:
    counts = {Label(r["label"]): r["count"] for r in await ex.run(statement("count_by_label"))}
    return {label: counts.get(label, 0) for label in Label}


def nodes_written(label: Label, row: Mapping[str, Any]) -> UpsertResult:
    """upsert_nodes' answer as counts; ids that other labels use raise (and roll back)."""
    if row["conflicts"]:
        clash = ", ".join(f"{c['id']!r} is a {c['label']}" for c in row["conflicts"][:5])
        raise Conflict(f"cannot write {label} nodes: ids already used by other labels: {clash}")
    return UpsertResult(row["created"], row["updated"], row["unchanged"])


async def get_nodes(ex: Neo4jExecutor, ids: Sequence[str]) -> list[Node]:
    return [to_node(r["n"]) for r in await ex.run(statement("get_nodes"), {"ids": list(ids)})]


async def get_node(ex: Neo4jExecutor, id: str, label: Label | None = None) -> Node | None:
    found = await get_nodes(ex, [id])
    if not found or (label is not None and found[0].label is not label):
        return None
    return found[0]


async def find_by_names(ex: Neo4jExecutor, label: Label, names: Sequence[str]) -> list[Node]:
    label = records.as_label(label)
    if not names:
        return []
    rows = await ex.run(statement("find_by_names", label=label), {"names": sorted(set(names))})
    return [to_node(r["n"]) for r in rows]
