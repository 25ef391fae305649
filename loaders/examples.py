"""The example row `alliance template KIND` writes under the headers, by kind and field.

The rows name places, units and people of the urumqi-etdz demo as `make run` loads it (scale 1,
seed 2026: 新华二社区 650106001001 in 中亚南路街道, its party branch 新华二社区党支部, the enterprises and
agencies stationed there), so a template filled in next to the demo loads its row instead of
rejecting it as naming unknown parties. New nodes take ids outside the demo's numbering
(…-900001, a credit code the demo does not use). Three rows name what another kind's example row
adds, the demo having no meetings, teams or grids: REQUIRES says which template to load first.
tests/loaders/test_examples.py loads every row next to the demo.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

COMMUNITY = "650106001001"  # 新华二社区, in 中亚南路街道 (650106001)
COMMUNITY_ORG = "新华二社区党支部"  # ORG-650106-000002

EXAMPLES: dict[str, dict[str, Any]] = {
    "regions": {"id": "650106001001001", "name": "新华二社区第一网格", "level": "网格", "parent": COMMUNITY,
                "grid_level": 1},
    "organisations": {"id": "ORG-650106-900001", "name": "新疆东方数据科技有限公司党支部", "kind": "非公企业",
                      "level": "党支部", "parent": "中亚南路街道党工委", "region": COMMUNITY,
                      "enterprise": "91650106MAPK81UC6C"},
    "enterprises": {"id": "91650106MA9000001A", "name": "新疆天山物业服务有限公司", "industry": "物业管理",
                    "ownership": "民营", "region": COMMUNITY},
    "members": {"id": "M-650106-900001", "name": "张伟", "joined_on": "2008-07-01", "in_service": "是",
                "phone": "13812341234", "organisation": "中亚南路综合文化站党支部"},
    "alliances": {"id": "ALL-650106-900001", "name": "新华二社区红联共建", "kind": "红联共建", "model": "1+G+N",
                  "lead": COMMUNITY_ORG, "region": COMMUNITY},
    "agreements": {"id": "AGR-650106-900001", "title": "新华二社区党支部与新疆东方数据科技有限公司共建协议",
                   "kind": "共建", "signed_on": "2021-03-05", "valid_from": "2021-03-05", "valid_to": "2026-12-31",
                   "status": "生效", "party_a": COMMUNITY_ORG, "signatory_a": "王书记",
                   "party_b": "91650106MAPK81UC6C", "signatory_b": "李经理"},
    "items": {"id": "ITEM-650106-900001", "list_kind": "资源", "title": "共享停车位", "category": "停车位",
              "quantity": 40, "unit": "个", "status": "开放", "published_on": "2021-04-01",
              "publisher": COMMUNITY_ORG, "agreement": "AGR-650106-000089"},
    # 夜间开放停车位 of 中亚南路市场监管所党支部: 12 spaces, none claimed in the demo
    "claims": {"item": "ITEM-650106-000003", "claimant": COMMUNITY_ORG, "quantity": 5, "on": "2021-05-10"},
    # an in-service member of 中亚南路综合文化站党支部 reporting where they live
    "reports": {"member": "M-650106-001996", "organisation": COMMUNITY_ORG, "on": "2021-06-01", "post": "楼栋长"},
    "wishes": {"id": "WISH-650106-900001", "title": "轮椅一台", "category": "助残", "status": "已评价",
               "published_on": "2021-05-06", "region": COMMUNITY, "dispatched_to": COMMUNITY_ORG,
               "acceptor": "M-650106-001997", "fulfilled_on": "2021-05-20", "rating": 5,
               "rating_comment": "非常满意", "recipient": "朱某某"},
    "meetings": {"id": "MTG-650106-900001", "alliance": "新华二社区大党委", "held_on": "2022-09-15",
                 "topic": "老旧小区停车难专题会", "kind": "联席会议",
                 "attendees": "ORG-650106-000002;ORG-650106-000314", "chair": "ORG-650106-000002"},
    "matters": {"id": "MAT-650106-900001", "title": "背街小巷改造", "mode": "实事共办", "meeting": "MTG-650106-900001",
                "status": "已办结", "organisation": COMMUNITY_ORG, "person": "王书记", "due": "2022-10-31",
                "done_on": "2022-10-20"},
    "teams": {"id": "TEAM-650106-900001", "name": "新华二社区党员突击队", "kind": "党员突击队",
              "organiser": COMMUNITY_ORG},
    "team_members": {"member": "M-650106-000002", "team": "TEAM-650106-900001"},
    "grid_duties": {"member": "M-650106-000003", "grid": "650106001001001"},
    "service_centres": {"id": "SC-650106-900001", "name": "石榴东社区党群服务站", "area_m2": 600,
                        "region": "650106001002", "run_by": "石榴东社区党支部", "offers": "政策咨询;法律援助;托管服务"},
}

# the kinds whose example row names a node that only another kind's example row adds
REQUIRES: dict[str, tuple[str, ...]] = {
    "matters": ("meetings",),
    "team_members": ("teams",),
    "grid_duties": ("regions",),
}


def example_row(kind: str, fields: Iterable[str]) -> list[Any]:
    """The kind's example values in the order of its columns' fields ("" where it has none)."""
    values = EXAMPLES.get(kind, {})
    return ["" if values.get(field) is None else values[field] for field in fields]
