"""Backup and restore (service/backup.py) for Neo4j.

The export reads every label and type of the model in one explicit read transaction, streaming each
result. Neo4j's isolation is read committed, not a snapshot: a write committing while the export
reads may be half in it. So the export compares the database's last committed transaction before and
after (the bookmark `version()` reads) and reports whether none committed meanwhile; service/backup.py
tries again when one did."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from service.errors import Conflict
from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.statements import statement
from service.graph.types import Edge, Node
from service.model import Label, RelType
from service.registry import labels, relationship_types


async def export_graph(ex: Neo4jExecutor, sink: Callable[[Node | Edge], None]) -> bool:
    before = await ex.version()
    async with ex.read_transaction() as tx:
        for spec in labels():
            async for record in await tx.run(statement("export_nodes", label=spec.label)):
                props = record["props"]
                sink(Node(props["id"], spec.label, props))
        for rel in relationship_types():
            async for record in await tx.run(statement("export_relationships", type=rel.type)):
                sink(Edge(rel.type, record["start"], record["end"], record["props"]))
    return await ex.version() == before


async def restore_nodes(ex: Neo4jExecutor, label: Label, rows: Sequence[Mapping[str, Any]]) -> None:
    query = statement("create_nodes", label=label)

    async def write(tx: Transaction) -> None:
        await ex.run(query, {"rows": [dict(r) for r in rows]}, tx=tx)
        # the region tallies (census.py): a restore writes into an empty store, and a new region counts itself;
        # a new node of another label is in no region until restore_relationships links it
        if label is Label.REGION:
            ids = tuple(r["id"] for r in rows)
            await census.settle(ex, tx, census.Before(ids=ids, labels=frozenset({Label.REGION})))

    await ex.in_transaction(write)


async def restore_relationships(ex: Neo4jExecutor, type: RelType, start: Label, end: Label,
                                edges: Sequence[Edge]) -> None:
    by_start: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        by_start[e.start].append({"end": e.end, "props": dict(e.props)})
    groups = [{"start": s, "rows": rows} for s, rows in by_start.items()]
    query = statement("create_relationships", start=start, type=type, end=end)

    linked = census.links(type, start, end, [{"start": e.start, "end": e.end} for e in edges])

    async def write(tx: Transaction) -> None:
        counted = await census.before(ex, tx, (), linked=linked)  # nothing read nor settled without links
        [row] = await ex.run(query, {"groups": groups}, tx=tx)
        if row["created"] != len(edges):  # an end missing: rolled back, never half a group
            raise Conflict(f"{len(edges) - row['created']} of {len(edges)} {type} relationships name a "
                           f"{start} or {end} node the store does not hold")
        await census.settle(ex, tx, counted)

    await ex.in_transaction(write)
