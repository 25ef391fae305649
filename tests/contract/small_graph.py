"""A small alliance used by the contract tests: one district, two streets, three communities,
their party organisations, agencies and an enterprise, agreements and a resources list."""

from __future__ import annotations

from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType

DISTRICT, STREET_A, STREET_B = "650106", "650106001", "650106002"
COMM_A1, COMM_A2, COMM_B1 = "650106001001", "650106001002", "650106002001"
ENTERPRISE = "91650100MA77XXXX0T"


async def build(store: GraphStore) -> None:
    await store.upsert_nodes(Label.REGION, [
        {"id": DISTRICT, "name": "乌鲁木齐经济技术开发区", "level": "DISTRICT"},
        {"id": STREET_A, "name": "头屯河街道", "level": "STREET"},
        {"id": STREET_B, "name": "火车西站街道", "level": "STREET"},
        {"id": COMM_A1, "name": "红山社区", "level": "COMMUNITY"},
        {"id": COMM_A2, "name": "青山社区", "level": "COMMUNITY"},
        {"id": COMM_B1, "name": "西站社区", "level": "COMMUNITY"},
    ])
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION, [
        RelRow(STREET_A, DISTRICT), RelRow(STREET_B, DISTRICT),
        RelRow(COMM_A1, STREET_A), RelRow(COMM_A2, STREET_A), RelRow(COMM_B1, STREET_B),
    ])
    await store.upsert_nodes(Label.ORGANISATION, [
        {"id": "ORG-STA", "name": "头屯河街道党工委", "kind": "STREET", "level": "WORKING_COMMITTEE"},
        {"id": "ORG-A1", "name": "红山社区党委", "kind": "COMMUNITY", "level": "COMMITTEE"},
        {"id": "ORG-A2", "name": "青山社区党支部", "kind": "COMMUNITY", "level": "BRANCH"},
        {"id": "ORG-B1", "name": "西站社区党委", "kind": "COMMUNITY", "level": "COMMITTEE"},
        {"id": "ORG-TAX", "name": "区税务局机关党支部", "kind": "AGENCY", "level": "BRANCH"},
        {"id": "ORG-HOSP", "name": "区人民医院党委", "kind": "INSTITUTION", "level": "COMMITTEE"},
        {"id": "ORG-ENT", "name": "天山物业公司党支部", "kind": "NON_PUBLIC", "level": "BRANCH"},
    ])
    await store.upsert_nodes(Label.ENTERPRISE, [
        {"id": ENTERPRISE, "name": "新疆天山物业服务有限公司", "industry": "物业管理", "ownership": "PRIVATE"},
    ])
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [
        RelRow("ORG-STA", STREET_A), RelRow("ORG-A1", COMM_A1), RelRow("ORG-A2", COMM_A2),
        RelRow("ORG-B1", COMM_B1), RelRow("ORG-TAX", STREET_A), RelRow("ORG-HOSP", STREET_B),
        RelRow("ORG-ENT", COMM_A1),
    ])
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ENTERPRISE, Label.REGION, [RelRow(ENTERPRISE, COMM_A1)])
    await store.upsert_relationships(RelType.EMBEDDED_IN, Label.ORGANISATION, Label.ENTERPRISE,
                                     [RelRow("ORG-ENT", ENTERPRISE)])
    await store.upsert_relationships(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION, [
        RelRow("ORG-A1", "ORG-STA"), RelRow("ORG-A2", "ORG-STA"),
    ])
    await store.upsert_nodes(Label.AGREEMENT, [
        {"id": "AGR-1", "title": "红山社区与区税务局共建协议", "kind": "CO_BUILDING", "status": "ACTIVE",
         "signedOn": "2021-03-05", "validFrom": "2021-03-05", "validTo": "2026-12-31"},
        {"id": "AGR-2", "title": "红山社区与天山物业结对协议", "kind": "PAIRING", "status": "ACTIVE",
         "signedOn": "2022-01-10"},
        {"id": "AGR-3", "title": "红山社区与区人民医院共建协议", "kind": "CO_BUILDING", "status": "EXPIRED",
         "signedOn": "2018-06-01"},
        {"id": "AGR-4", "title": "西站社区与区人民医院共建协议", "kind": "CO_BUILDING", "status": "ACTIVE",
         "signedOn": "2023-09-09"},
    ])
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT, [
        RelRow("ORG-A1", "AGR-1", {"role": "甲方", "signatory": "王书记"}),
        RelRow("ORG-TAX", "AGR-1", {"role": "乙方", "signatory": "李局长"}),
        RelRow("ORG-A1", "AGR-2", {"role": "甲方"}),
        RelRow("ORG-A1", "AGR-3", {"role": "甲方"}),
        RelRow("ORG-HOSP", "AGR-3", {"role": "乙方"}),
        RelRow("ORG-B1", "AGR-4", {"role": "甲方"}),
        RelRow("ORG-HOSP", "AGR-4", {"role": "乙方"}),
    ])
    await store.upsert_relationships(RelType.PARTY_TO, Label.ENTERPRISE, Label.AGREEMENT,
                                     [RelRow(ENTERPRISE, "AGR-2", {"role": "乙方"})])
    await store.upsert_nodes(Label.LIST_ITEM, [
        {"id": "ITEM-P1", "list": "RESOURCE", "title": "共享停车位", "category": "停车位", "quantity": 40,
         "unit": "个", "status": "OPEN", "publishedOn": "2021-04-01"},
        {"id": "ITEM-P2", "list": "RESOURCE", "title": "会议室", "category": "场地", "quantity": 1,
         "unit": "间", "status": "OPEN", "publishedOn": "2021-04-02"},
        {"id": "ITEM-N1", "list": "NEED", "title": "老旧小区加装电梯", "category": "项目资金", "quantity": 2,
         "status": "OPEN", "publishedOn": "2021-05-01"},
        {"id": "ITEM-J1", "list": "PROJECT", "title": "义诊进社区", "category": "医疗服务", "quantity": 12,
         "status": "OPEN", "publishedOn": "2023-10-01"},
    ])
    await store.upsert_relationships(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM, [
        RelRow("ORG-TAX", "ITEM-P1"), RelRow("ORG-TAX", "ITEM-P2"), RelRow("ORG-A1", "ITEM-N1"),
        RelRow("ORG-HOSP", "ITEM-J1"),
    ])
    await store.upsert_relationships(RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM,
                                     [RelRow("AGR-1", "ITEM-P1"), RelRow("AGR-1", "ITEM-N1")])
    await store.upsert_nodes(Label.ALLIANCE, [
        {"id": "ALL-STA", "name": "头屯河街道大工委", "kind": "STREET_WORKING_COMMITTEE", "model": "1+5+X"},
    ])
    await store.upsert_relationships(RelType.LED_BY, Label.ALLIANCE, Label.ORGANISATION, [RelRow("ALL-STA", "ORG-STA")])
    await store.upsert_relationships(RelType.COVERS, Label.ALLIANCE, Label.REGION, [RelRow("ALL-STA", STREET_A)])
    await store.upsert_relationships(RelType.MEMBER_OF, Label.ORGANISATION, Label.ALLIANCE, [
        RelRow("ORG-STA", "ALL-STA", {"role": "LEAD"}), RelRow("ORG-A1", "ALL-STA", {"role": "MEMBER_UNIT"}),
        RelRow("ORG-TAX", "ALL-STA", {"role": "MEMBER_UNIT"}),
    ])
    await store.upsert_nodes(Label.MEMBER, [
        {"id": "M-1", "name": "张伟", "phone": "13812341234", "inService": True, "joinedOn": "2008-07-01"},
        {"id": "M-2", "name": "李娜", "phone": "13987654321", "inService": True, "joinedOn": "2015-06-30"},
    ])
    await store.upsert_relationships(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION,
                                     [RelRow("M-1", "ORG-TAX"), RelRow("M-2", "ORG-HOSP")])
    await store.upsert_relationships(RelType.SERVES_ON, Label.MEMBER, Label.ALLIANCE,
                                     [RelRow("M-1", "ALL-STA", {"role": "兼职委员"})])
