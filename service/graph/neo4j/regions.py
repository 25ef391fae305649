"""What a region subtree holds, counted by label, kind and status: from the region tallies (census.py)."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import statement
from service.graph.types import Count
from service.model import Label


async def region_stats(ex: Neo4jExecutor, region_id: str) -> list[Count]:
    [row] = await ex.run(statement("region_stats"), {"regionId": region_id})
    return [Count(Label(label), kind, status, count) for label, kind, status, count in row["counts"]]


async def region_census(ex: Neo4jExecutor, region_id: str) -> list[Count]:
    """region_stats walked from the region down (fragments/census.cypher) instead of read from the tallies:
    what the tallies must equal (tests/contract/test_region_tallies.py)."""
    [row] = await ex.run(statement("region_census"), {"regionId": region_id})
    return [Count(Label(label), kind, status, count) for label, kind, status, count in row["counts"]]
