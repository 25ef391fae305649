"""Grids (网格) in a region subtree with their branches and responsible members."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import statement
from service.workflows.grids import GridFact


async def grid_facts(ex: Neo4jExecutor, region_id: str | None) -> list[GridFact]:
    rows = await ex.run(statement("grid_facts"), {"regionId": region_id})
    return [GridFact(r["id"], None if r["gridLevel"] is None else int(r["gridLevel"]), r["placeId"], r["branches"],
                     r["responsible"]) for r in rows]
