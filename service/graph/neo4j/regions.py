"""What a region subtree holds, counted by label, kind and status (fragments/census.cypher)."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import statement
from service.graph.types import Count
from service.model import Label


async def region_stats(ex: Neo4jExecutor, region_id: str) -> list[Count]:
    [row] = await ex.run(statement("region_stats"), {"regionId": region_id})
    return [Count(Label(label), kind, status, count) for label, kind, status, count in row["counts"]]
