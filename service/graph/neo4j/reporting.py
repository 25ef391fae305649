"""Dual reporting (双报到): in-service members report to the community where they live."""

from __future__ import annotations

from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.rejections import report_rejection
from service.graph.types import Node
from service.graph.workflow_types import ReportChange
from service.workflows.reporting import RECEIVING_KINDS, ReportFact


async def report_to_community(
    ex: Neo4jExecutor, member_id: str, organisation_id: str, on: str, post: str | None
) -> ReportChange:
    [r] = await ex.run(statement("report_to_community"), {
        "memberId": member_id, "organisationId": organisation_id, "on": on, "post": post,
        "kinds": sorted(RECEIVING_KINDS)}, write=True)
    outcome = r["outcome"]
    if outcome not in ("OK", "REPEAT"):
        raise report_rejection(outcome, member_id, r["current"] if outcome == "ELSEWHERE" else organisation_id)
    return ReportChange(member_id, organisation_id, r["on"], r["post"], outcome == "OK")


async def reporting_facts(ex: Neo4jExecutor, region_id: str | None) -> list[ReportFact]:
    rows = await ex.run(statement("reporting_facts"), {"regionId": region_id})
    return [ReportFact(r["memberId"], r["unitId"], r["communityId"], r["on"], r["post"]) for r in rows]


async def unreported_members(ex: Neo4jExecutor, unit_id: str) -> list[Node]:
    return [to_node(r["m"]) for r in await ex.run(statement("unreported_members"), {"unitId": unit_id})]
