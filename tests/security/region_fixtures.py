"""Two streets with something of every kind in each, for the region-scope tests: the small contract graph
(street A: 头屯河, street B: 火车西站) plus, in both streets, a wish, a meeting with a matter of an alliance of
the street, a team, a service centre, a grid, an enterprise, and claims and 双报到 reports across them."""

from __future__ import annotations

from service.codes import make_credit_code, organisation_code_check
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.graph.workflow_types import MatterInput, MeetingRecord
from service.model import Label, MatterMode, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_B1, STREET_A, STREET_B

GRID_A, GRID_B = COMM_A1 + "01", COMM_B1 + "01"
ENTERPRISE_B = make_credit_code("9", "1", "650106", "MA59XB01" + organisation_code_check("MA59XB01"))


async def build(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.upsert_nodes(Label.REGION, [
        {"id": GRID_A, "name": "红山一网格", "level": "GRID", "gridLevel": 1},
        {"id": GRID_B, "name": "西站一网格", "level": "GRID", "gridLevel": 1}])
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                     [RelRow(GRID_A, COMM_A1), RelRow(GRID_B, COMM_B1)])
    await store.upsert_nodes(Label.ENTERPRISE, [
        {"id": ENTERPRISE_B, "name": "西站物流有限公司", "ownership": "PRIVATE"}])
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ENTERPRISE, Label.REGION,
                                     [RelRow(ENTERPRISE_B, COMM_B1)])
    await store.upsert_nodes(Label.ALLIANCE, [
        {"id": "ALL-B", "name": "火车西站街道大工委", "kind": "STREET_WORKING_COMMITTEE"}])
    await store.upsert_relationships(RelType.COVERS, Label.ALLIANCE, Label.REGION, [RelRow("ALL-B", STREET_B)])
    for street, alliance, org in (("A", "ALL-STA", "ORG-A1"), ("B", "ALL-B", "ORG-B1")):
        await store.record_meeting(MeetingRecord(
            id=f"MTG-{street}", alliance_id=alliance, held_on="2024-03-01", topic="联席会议", kind=None,
            attendee_ids=(org,), chair_id=org,
            matters=(MatterInput(id=f"MAT-{street}", title="停车难", mode=MatterMode.IMPORTANT.value),)))
    await store.upsert_nodes(Label.WISH, [
        {"id": "WISH-A", "title": "轮椅一台", "status": "PUBLISHED", "publishedOn": "2024-03-01"},
        {"id": "WISH-B", "title": "棉被一床", "status": "PUBLISHED", "publishedOn": "2024-03-01"},
        {"id": "WISH-A2", "title": "助学", "status": "ACCEPTED", "publishedOn": "2024-03-01"},
    ])
    await store.upsert_relationships(RelType.IN, Label.WISH, Label.REGION, [
        RelRow("WISH-A", COMM_A1), RelRow("WISH-B", COMM_B1), RelRow("WISH-A2", COMM_A1)])
    await store.upsert_nodes(Label.TEAM, [{"id": "TEAM-A", "name": "红山志愿队", "kind": "VOLUNTEER"},
                                          {"id": "TEAM-B", "name": "西站志愿队", "kind": "VOLUNTEER"}])
    await store.upsert_relationships(RelType.ORGANISED_BY, Label.TEAM, Label.ORGANISATION,
                                     [RelRow("TEAM-A", "ORG-A1"), RelRow("TEAM-B", "ORG-B1")])
    await store.upsert_nodes(Label.SERVICE_CENTRE, [{"id": "SC-B", "name": "西站党群服务中心"}])
    await store.upsert_relationships(RelType.IN, Label.SERVICE_CENTRE, Label.REGION, [RelRow("SC-B", COMM_B1)])
    # a claim on street A's item by a unit of street B (made by a district key)
    await store.claim_item("ITEM-P1", "ORG-HOSP", 1, "2024-03-02", "CLAIM-B-ON-A")
    # 双报到 into street A's community: a member of a street-A unit and one of a street-B unit
    await store.upsert_nodes(Label.MEMBER, [{"id": "M-3", "name": "赵六", "inService": True}])
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION, [RelRow("M-3", "ORG-B1")])
    await store.report_to_community("M-1", "ORG-A1", "2024-03-03", None)
    await store.report_to_community("M-2", "ORG-A1", "2024-03-03", None)
    await store.report_to_community("M-3", "ORG-B1", "2024-03-03", None)


__all__ = ["COMM_A1", "COMM_B1", "ENTERPRISE_B", "GRID_A", "GRID_B", "STREET_A", "STREET_B", "build"]
