"""Schema migrations and emptying the graph."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import migrations, statement


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


async def clear(ex: Neo4jExecutor) -> None:
    # Relationships first: a hub's relationships exceed the transaction memory pool when deleted
    # with the node. CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction.
    await ex.run_auto_commit(statement("clear_relationships"), statement("clear"))
