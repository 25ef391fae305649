"""The facts organisation health is assessed on: branch sizes, alliances' last meetings, agreements'
end dates (the mirror of health_facts.cypher)."""

from __future__ import annotations

from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.scope import scoped, within
from service.graph.workflow_types import HealthFacts
from service.model import Label, RelType
from service.workflows.health import AgreementFact, AllianceFact, BranchFact


def health_facts(ex: EmbeddedExecutor, region_id: str | None) -> HealthFacts:
    facts = HealthFacts()
    with ex.reading() as mem:
        regions = scoped(mem, region_id)
        for oid in sorted(mem.by_label[Label.ORGANISATION]):
            org = mem.nodes[oid]
            if org.props.get("level") != "BRANCH" or not within(mem, org, regions):
                continue
            full = sum(mem.has_label(m, Label.MEMBER) and mem.nodes[m].props.get("probationary", False) is False
                       for m in mem.into(oid, RelType.BELONGS_TO))
            facts.branches.append(BranchFact(oid, full))
        for aid in sorted(mem.by_label[Label.ALLIANCE]):
            if not within(mem, mem.nodes[aid], regions):
                continue
            held = [h for m in mem.into(aid, RelType.OF) if mem.has_label(m, Label.MEETING)
                    if isinstance(h := mem.nodes[m].props.get("heldOn"), str)]
            facts.alliances.append(AllianceFact(aid, max(held) if held else None))
        for gid in sorted(mem.by_label[Label.AGREEMENT]):
            agreement = mem.nodes[gid]
            valid_to = agreement.props.get("validTo")
            if agreement.props.get("status") != "ACTIVE" or valid_to is None:
                continue
            if within(mem, agreement, regions):
                facts.agreements.append(AgreementFact(gid, valid_to))
    return facts
