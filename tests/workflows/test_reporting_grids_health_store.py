"""Dual reporting, grid coverage and organisation health on both stores."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from service.errors import IllegalState, NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.graph.workflow_types import MeetingRecord, ReportChange
from service.model import Label, RelType
from service.workflows import grids, health, reporting
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, STREET_A


async def test_members_report_to_one_community(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.upsert_nodes(Label.MEMBER, [{"id": "M-3", "name": "王芳", "inService": True},
                                            {"id": "M-4", "name": "赵强", "inService": False}])
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION,
                                     [RelRow("M-3", "ORG-TAX"), RelRow("M-4", "ORG-TAX")])
    assert [m.id for m in await store.unreported_members("ORG-TAX")] == ["M-1", "M-3"]
    made = await store.report_to_community("M-1", "ORG-A1", "2021-06-01", "政策宣传岗")
    assert made.created and made.post == "政策宣传岗"
    again = await store.report_to_community("M-1", "ORG-A1", "2021-07-01", None)
    assert not again.created and again.on == "2021-06-01"
    with pytest.raises(IllegalState, match="member 'M-1' has already reported to 'ORG-A1'"):
        await store.report_to_community("M-1", "ORG-A2", "2021-07-01", None)
    with pytest.raises(IllegalState, match="member 'M-4' is not in service"):
        await store.report_to_community("M-4", "ORG-A1", "2021-07-01", None)
    with pytest.raises(ValidationFailed, match="'ORG-HOSP' is not a community or village"):
        await store.report_to_community("M-3", "ORG-HOSP", "2021-07-01", None)
    with pytest.raises(NotFound, match="no member 'M-9'"):
        await store.report_to_community("M-9", "ORG-A1", "2021-07-01", None)
    # two reports of one member at once: one community gets them
    outcomes = await asyncio.gather(store.report_to_community("M-3", "ORG-A1", "2021-08-01", None),
                                    store.report_to_community("M-3", "ORG-A2", "2021-08-01", None),
                                    return_exceptions=True)
    assert sum(isinstance(o, ReportChange) for o in outcomes) == 1
    assert sum(isinstance(o, IllegalState) for o in outcomes) == 1
    assert await store.unreported_members("ORG-TAX") == []
    await store.report_to_community("M-2", "ORG-B1", "2021-06-02", None)
    summary = reporting.summarise(await store.reporting_facts(None))
    assert (summary.units, summary.members) == (2, 3)
    street_a = reporting.summarise(await store.reporting_facts(STREET_A))
    assert (street_a.units, street_a.members) == (1, 2)
    assert [(u.unit_id, u.members) for u in street_a.by_unit] == [("ORG-TAX", 2)]


async def test_grid_coverage_like_yuquan(store: GraphStore) -> None:
    await small_graph.build(store)
    compounds = [{"id": f"{COMM_A1}{i:03d}", "name": f"第{i}小区", "level": "GRID", "gridLevel": 2}
                 for i in range(1, 59)]
    await store.upsert_nodes(Label.REGION, compounds)
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                     [RelRow(c["id"], COMM_A1) for c in compounds])
    branches = [{"id": f"GB-{i}", "name": f"第{i}小区党支部", "kind": "COMPOUND", "level": "BRANCH"}
                for i in range(1, 58)]
    await store.upsert_nodes(Label.ORGANISATION, branches)
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                     [RelRow(f"GB-{i}", f"{COMM_A1}{i:03d}") for i in range(1, 58)])
    await store.upsert_relationships(RelType.RESPONSIBLE_FOR, Label.MEMBER, Label.REGION,
                                     [RelRow("M-1", f"{COMM_A1}001")])
    facts = await store.grid_facts(STREET_A)
    rows = grids.coverage(facts, STREET_A)
    assert [(r.region_id, r.grid_level, r.grids, r.covered, r.with_responsible) for r in rows] == \
        [(STREET_A, 2, 58, 57, 1), (COMM_A1, 2, 58, 57, 1)]
    assert rows[0].coverage == pytest.approx(0.983, abs=5e-4)
    assert await store.grid_facts(small_graph.STREET_B) == []


async def test_organisation_health(store: GraphStore) -> None:
    await small_graph.build(store)
    people = [{"id": f"P-{i}", "name": f"党员{i}", "probationary": i == 0} for i in range(53)]
    await store.upsert_nodes(Label.MEMBER, people)
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION,
                                     [RelRow(f"P-{i}", "ORG-ENT") for i in range(53)])
    await store.record_meeting(MeetingRecord("MTG-H", "ALL-STA", "2023-09-01"))
    facts = await store.health_facts(None)
    h = health.assess(facts.branches, facts.alliances, facts.agreements, dt.date(2023, 10, 1))
    # ORG-A2 has no members, ORG-TAX one (M-1); ORG-ENT 52 full members (one is probationary)
    assert [(b.id, b.full_members) for b in h.too_small] == [("ORG-A2", 0), ("ORG-TAX", 1)]
    assert [(b.id, b.full_members) for b in h.too_large] == [("ORG-ENT", 52)]
    assert h.quiet_alliances == []
    later = health.assess(facts.branches, facts.alliances, facts.agreements, dt.date(2027, 3, 1))
    assert [(a.id, a.last_held_on) for a in later.quiet_alliances] == [("ALL-STA", "2023-09-01")]
    assert [a.id for a in later.overdue_agreements] == ["AGR-1"]  # valid to 2026-12-31, still ACTIVE
    scoped = await store.health_facts(small_graph.STREET_B)
    assert [b.id for b in scoped.branches] == [] and scoped.alliances == []
