"""The facts the analytics projection and the coverage report read, one statement each."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import to_item, to_node
from service.graph.neo4j.statements import statement
from service.graph.types import CoverageFacts, Tie, UnitTies


async def analytics_network(
    ex: Neo4jExecutor, region_id: str | None = None, alliance_id: str | None = None
) -> list[UnitTies]:
    rows = await ex.run(statement("analytics_network"), {"regionId": region_id, "allianceId": alliance_id})
    return [
        UnitTies(
            node=to_node(r["u"]), region_id=min(r["regions"], default=None),
            agreements=tuple(Tie(t["id"], t["size"]) for t in r["agreements"]),
            alliances=tuple(Tie(t["id"], t["size"]) for t in r["alliances"]),
            claimed_from=tuple(r["claimedFrom"]), signed=r["signed"], published=r["published"], claims=r["claims"],
        )
        for r in rows
    ]


async def analytics_gaps(ex: Neo4jExecutor, region_id: str | None, published_before: str) -> CoverageFacts:
    [r] = await ex.run(statement("analytics_gaps"), {"regionId": region_id, "publishedBefore": published_before})
    return CoverageFacts(
        unpaired=sorted((to_node(n) for n in r["unpaired"]), key=lambda n: n.id),
        aging=[to_item(a) for a in r["aging"]],
        idle=sorted((to_node(n) for n in r["idle"]), key=lambda n: n.id),
    )
