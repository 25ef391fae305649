"""The facts organisation health is assessed on: branch sizes, alliances' last meetings, agreements'
end dates, read in one statement (health_facts.cypher)."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.statements import statement
from service.graph.workflow_types import HealthFacts
from service.workflows.health import AgreementFact, AllianceFact, BranchFact


async def health_facts(ex: Neo4jExecutor, region_id: str | None) -> HealthFacts:
    facts = HealthFacts()
    for r in await ex.run(statement("health_facts"), {"regionId": region_id}):
        if r["kind"] == "BRANCH":
            facts.branches.append(BranchFact(r["id"], r["count"]))
        elif r["kind"] == "ALLIANCE":
            facts.alliances.append(AllianceFact(r["id"], r["date"]))
        else:
            facts.agreements.append(AgreementFact(r["id"], r["date"]))
    return facts
