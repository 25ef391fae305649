"""Dual reporting (双报到) on the embedded store: in-service members report to the community where
they live, one community per member."""

from __future__ import annotations

from service.graph.embedded.executor import EmbeddedExecutor, put_edge
from service.graph.embedded.scope import scoped, within
from service.graph.rejections import report_rejection
from service.graph.types import Node
from service.graph.workflow_types import ReportChange
from service.model import Label, RelType
from service.workflows.reporting import ReportFact, report_outcome


def report_to_community(
    ex: EmbeddedExecutor, member_id: str, organisation_id: str, on: str, post: str | None
) -> ReportChange:
    with ex.writing() as (db, mem):
        member = mem.nodes.get(member_id)
        if member is None or member.label is not Label.MEMBER:
            raise report_rejection("NO_MEMBER", member_id)
        org = mem.nodes.get(organisation_id)
        if org is None or org.label is not Label.ORGANISATION:
            raise report_rejection("NO_ORGANISATION", member_id, organisation_id)
        priors = sorted(o for o in mem.out(member_id, RelType.REPORTED_TO) if mem.has_label(o, Label.ORGANISATION))
        outcome = report_outcome(organisation_id, org.props.get("kind"), member.props.get("inService"), priors)
        if outcome == "REPEAT":
            props = mem.edge_props(RelType.REPORTED_TO, member_id, organisation_id) or {}
            return ReportChange(member_id, organisation_id, props.get("on"), props.get("post"), False)
        if outcome != "OK":
            raise report_rejection(outcome, member_id, priors[0] if outcome == "ELSEWHERE" else organisation_id)
        put_edge(db, mem, RelType.REPORTED_TO, member_id, organisation_id, {"on": on, "post": post})
        return ReportChange(member_id, organisation_id, on, post, True)


def reporting_facts(ex: EmbeddedExecutor, region_id: str | None) -> list[ReportFact]:
    out: list[ReportFact] = []
    with ex.reading() as mem:
        regions = scoped(mem, region_id)
        for cid in sorted(mem.by_label[Label.ORGANISATION]):
            if not within(mem, mem.nodes[cid], regions):
                continue
            for mid, props in mem.related(cid, RelType.REPORTED_TO, outgoing=False):
                if not mem.has_label(mid, Label.MEMBER):
                    continue
                units: list[str | None] = [
                    u for u in mem.out(mid, RelType.BELONGS_TO) if mem.has_label(u, Label.ORGANISATION)]
                for unit in units or [None]:
                    out.append(ReportFact(mid, unit, cid, props.get("on"), props.get("post")))
    return out


def unreported_members(ex: EmbeddedExecutor, unit_id: str) -> list[Node]:
    with ex.reading() as mem:
        if not mem.has_label(unit_id, Label.ORGANISATION):
            return []
        found = [
            mem.nodes[m] for m in mem.into(unit_id, RelType.BELONGS_TO)
            if mem.has_label(m, Label.MEMBER) and mem.nodes[m].props.get("inService", True) is True
            and not any(mem.has_label(o, Label.ORGANISATION) for o in mem.out(m, RelType.REPORTED_TO))
        ]
    return sorted(found, key=lambda n: n.id)
