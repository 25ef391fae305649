"""Schema migrations and emptying the graph."""

from __future__ import annotations

import re

from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.statements import migrations, statement

_CONSTRAINT = re.compile(r"\s*CREATE\s+CONSTRAINT\b", re.IGNORECASE)
_INDEX = re.compile(r"\s*CREATE\s+(\w+\s+)?INDEX\b", re.IGNORECASE)  # range, text, point, full-text…
# Migrations that count what the stores keep (the region tallies and entries): the importer cannot write those,
# so an imported database runs their batched parts too, which migrate_imported skips for every other migration.
RECOUNTED = frozenset({"012_region_tallies", "013_region_entries"})


async def migrate(ex: Neo4jExecutor) -> list[str]:
    """Apply the schema files not recorded as a :Migration yet, in order; their names."""
    done = {r["name"] for r in await ex.run(statement("migration_applied"))}
    applied = []
    for name, parts in migrations():
        if name in done:
            continue
        for part in parts:
            if "IN TRANSACTIONS" in part:  # a backfill in batches: it needs an auto-commit transaction
                await ex.run_auto_commit(part)
            else:
                await ex.run(part, write=True)
        await ex.run(statement("migration_record"), {"name": name}, write=True)
        applied.append(name)
    await ex.run("CALL db.awaitIndexes(300)")
    return applied


async def migrate_imported(ex: Neo4jExecutor, overlap: bool = False) -> list[str]:
    """The migrations of a database the offline importer just wrote from the staged graph (loaders/bulk.py):
    its data is already in the current form (the staging writes what the store writes, kept properties
    included), so the backfills of existing data (`IN TRANSACTIONS`) are skipped (but not the item tallies
    of 011_item_tallies, one aggregation the importer cannot write, nor the region tallies of RECOUNTED), and
    the schema is built in few passes:
    the uniqueness constraints one by one (each populates and checks its own index), then every other index
    in ONE transaction, which Neo4j populates in one scan of the store (`overlap`: the constraints built
    while that scan runs instead, to share two cores; not shown faster on the shared machine,
    bench/RESULTS.md, issue 16); any other statement runs as migrate() runs it; then all are recorded.
    Their names."""
    done = {r["name"] for r in await ex.run(statement("migration_applied"))}
    pending = [(name, parts) for name, parts in migrations() if name not in done]
    parts = [part for name, parts in pending for part in parts if "IN TRANSACTIONS" not in part or name in RECOUNTED]
    constraints = [part for part in parts if _CONSTRAINT.match(part)]
    indexes = [part for part in parts if _INDEX.match(part)]

    async def create(tx: Transaction) -> None:
        for part in indexes:
            await ex.run(part, tx=tx)

    if not overlap:
        for part in constraints:
            await ex.run(part, write=True)
    if indexes:
        await ex.in_transaction(create)
    if overlap:
        for part in constraints:
            await ex.run(part, write=True)
    for part in parts:
        if "IN TRANSACTIONS" in part:
            await ex.run_auto_commit(part)
        elif part not in constraints and part not in indexes:
            await ex.run(part, write=True)
    for name, _ in pending:
        await ex.run(statement("migration_record"), {"name": name}, write=True)
    await ex.run("CALL db.awaitIndexes(3600)")  # populating over a large import takes its time
    return [name for name, _ in pending]


async def clear(ex: Neo4jExecutor) -> None:
    # Relationships first: a hub's relationships exceed the transaction memory pool when deleted
    # with the node. CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction.
    await ex.run_auto_commit(statement("clear_relationships"), statement("clear"))
    await ex.run(statement("clear_tallies"), write=True)  # a few hundred records: one transaction
    await ex.run_auto_commit(statement("clear_region_tallies"), statement("clear_region_entries"))
