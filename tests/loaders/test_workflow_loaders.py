"""Loader kinds of the workflows: wishes, meetings, matters, teams, duties, service centres."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders.engine import Options, load_file
from service.errors import AllianceError
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


async def test_wishes_load_idempotently_and_reject_inconsistent_rows(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = _csv(tmp_path / "微心愿.csv", [
        ["心愿编号", "心愿内容", "类别", "状态", "发布日期", "所在社区", "派单组织", "接单方", "实现日期", "评分",
         "心愿人"],
        ["W-1", "轮椅一台", "助残", "已评价", "2020-05-06", COMM_A1, "红山社区党委", "M-1", "2020-05-20", "5",
         "朱某某"],
        ["W-2", "助听器", "助残", "已发布", "2020-05-07", COMM_A1, "", "", "", "", ""],
        ["W-3", "电饭煲", "生活用品", "已接单", "2020-05-08", COMM_A1, "", "", "", "", ""],
        ["W-4", "书包", "助学", "已派单", "2020-05-09", COMM_A1, "", "", "", "4", ""],
        ["W-5", "台灯", "助学", "想要", "2020-05-09", COMM_A1, "", "", "", "", ""],
    ])
    report = await load_file(store, "wishes", path)
    assert (report.created, report.rejected) == (2, 3)
    reasons = (tmp_path / "微心愿.rejects.csv").read_text(encoding="utf-8")
    assert "names who accepted it" in reasons and "a rating belongs to a RATED wish" in reasons
    assert "wish status '想要' is not one of" in reasons
    wish = await store.get_node("W-1")
    assert wish is not None and wish.props["status"] == "RATED" and wish.props["rating"] == 5
    contributed = await store.related(["W-1"], RelType.CONTRIBUTED, False)
    assert [(r.node.id, r.props) for r in contributed] == [("M-1", {"on": "2020-05-20"})]
    again = await load_file(store, "wishes", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


async def test_a_chair_named_among_the_attendees_attends_once_as_chair(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    meetings = _csv(tmp_path / "m.csv", [["会议编号", "联盟", "会议日期", "参会单位", "轮值主席单位"],
                                         ["MTG-1", "头屯河街道大工委", "2022-09-15", "ORG-A1;ORG-TAX", "ORG-A1"]])
    assert (await load_file(store, "meetings", meetings)).relationships.created == 3  # OF and two ATTENDED
    attended = {r.node.id: r.props for r in await store.related(["MTG-1"], RelType.ATTENDED, False)}
    assert attended == {"ORG-TAX": {}, "ORG-A1": {"role": "CHAIR"}}
    again = await load_file(store, "meetings", meetings)
    assert (again.unchanged, again.relationships.unchanged) == (1, 3)


async def test_meetings_matters_teams_duties_centres(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    meetings = _csv(tmp_path / "m.csv", [["会议编号", "联盟", "会议日期", "参会单位", "轮值主席单位"],
                                         ["MTG-1", "头屯河街道大工委", "2022-09-15", "ORG-STA;ORG-TAX", "ORG-A1"]])
    assert (await load_file(store, "meetings", meetings)).created == 1
    attended = {r.node.id: r.props for r in await store.related(["MTG-1"], RelType.ATTENDED, False)}
    assert attended == {"ORG-STA": {}, "ORG-TAX": {}, "ORG-A1": {"role": "CHAIR"}}
    matters = _csv(tmp_path / "t.csv", [
        ["事项编号", "事项名称", "办理方式", "会议编号", "状态", "责任单位", "责任人", "完成时限", "办结日期"],
        ["MAT-1", "停车难", "要事共决", "MTG-1", "已办结", "ORG-TAX", "王书记", "2022-10-15", "2022-10-01"],
        ["MAT-2", "垃圾分类", "实事共办", "MTG-1", "", "", "", "", ""],
        ["MAT-3", "夜市", "随便", "MTG-1", "", "", "", "", ""],
        ["MAT-4", "路灯", "难事共解", "MTG-9", "", "", "", "", ""],
    ])
    report = await load_file(store, "matters", matters)
    assert (report.created, report.rejected) == (2, 2)
    done = await store.get_node("MAT-1")
    assert done is not None and done.props["status"] == "DONE" and done.props["mode"] == "要事共决"
    teams = _csv(tmp_path / "teams.csv", [["队伍编号", "队伍名称", "队伍类型", "组建单位"],
                                          ["TEAM-1", "环境整治突击队", "党员突击队", "ORG-A1"]])
    assert (await load_file(store, "teams", teams)).created == 1
    team = await store.get_node("TEAM-1")
    assert team is not None and team.props["kind"] == "COMMANDO"
    people = _csv(tmp_path / "tm.csv", [["党员编号", "队伍编号"], ["M-1", "TEAM-1"], ["M-2", "TEAM-1"]])
    assert (await load_file(store, "team_members", people)).created == 2
    assert (await load_file(store, "team_members", people)).unchanged == 2
    duties = _csv(tmp_path / "d.csv", [["党员编号", "网格编号"], ["M-1", COMM_A1], ["M-1", "NOPE"]])
    report = await load_file(store, "grid_duties", duties)
    assert (report.created, report.rejected) == (1, 1)
    centres = _csv(tmp_path / "c.csv", [["阵地编号", "阵地名称", "面积", "所在区划", "运营党组织", "服务项目"],
                                        ["SC-1", "红山社区党群服务站", "600", COMM_A1, "ORG-A1", "政策咨询;法律援助"]])
    assert (await load_file(store, "service_centres", centres)).created == 1
    centre = await store.get_node("SC-1")
    assert centre is not None and centre.props["offers"] == ["政策咨询", "法律援助"]


async def _reported(store: GraphStore, *members: str) -> dict[str, list[str]]:
    related = await store.related(list(members), RelType.REPORTED_TO, outgoing=True)
    return {m: sorted(r.node.id for r in related if r.source_id == m) for m in members}


async def test_reports_apply_the_rules_of_report_to_community(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    await store.upsert_nodes(Label.MEMBER, [{"id": "M-3", "name": "王某", "inService": False},
                                            {"id": "M-4", "name": "赵某", "inService": True},
                                            {"id": "M-5", "name": "钱某"}])  # in-service status unknown
    await store.upsert_relationships(RelType.REPORTED_TO, Label.MEMBER, Label.ORGANISATION,
                                     [RelRow("M-4", "ORG-B1", {"on": "2020-01-01"})])
    path = _csv(tmp_path / "双报到.csv", [
        ["党员编号", "报到社区", "报到日期", "服务岗位"],
        ["M-1", "红山社区党委", "2021-06-01", "楼栋长"],
        ["M-2", "区税务局机关党支部", "2021-06-01", ""],  # not a community or village organisation
        ["M-3", "ORG-A1", "2021-06-01", ""],  # retired
        ["M-1", "青山社区党支部", "2021-06-02", ""],  # a second community in the same file
        ["M-4", "ORG-A1", "2021-06-01", ""],  # already reported to ORG-B1
        ["M-5", "ORG-A2", "2021-06-03", ""],
    ])
    dry = await load_file(store, "reports", path, Options(dry_run=True))
    assert (dry.created, dry.rejected) == (2, 4)
    report = await load_file(store, "reports", path)
    assert (report.created, report.rejected) == (2, 4)
    rejects = {r.row: (r.column, r.reason) for r in report.rejects}
    assert sorted(rejects) == [3, 4, 5, 6]
    assert rejects[5][1] == "duplicate id 'M-1' inside the file: first on row 2"
    # the same rule and the same words as the reportToCommunity mutation (asked after the load, so M-1's
    # report exists and the mutation would refuse nothing new)
    flows = store
    for row, member, org in ((3, "M-2", "ORG-TAX"), (4, "M-3", "ORG-A1"), (6, "M-4", "ORG-A1")):
        with pytest.raises(AllianceError) as refused:
            await flows.report_to_community(member, org, "2021-06-01", None)
        assert rejects[row] == ("报到社区", str(refused.value)), row
    assert "is not a community or village party organisation" in rejects[3][1]
    assert "is not in service" in rejects[4][1]
    assert "has already reported to 'ORG-B1'" in rejects[6][1]
    assert await _reported(store, "M-1", "M-2", "M-3", "M-4", "M-5") == {
        "M-1": ["ORG-A1"], "M-2": [], "M-3": [], "M-4": ["ORG-B1"], "M-5": ["ORG-A2"]}
    post = await store.related(["M-1"], RelType.REPORTED_TO, outgoing=True)
    assert post[0].props == {"on": "2021-06-01", "post": "楼栋长"}
    # a reload changes nothing (a report already made is a repeat, not "elsewhere")
    again = await load_file(store, "reports", path)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 4)
    # a later file moving a member to another community is refused like the mutation refuses it
    moved = _csv(tmp_path / "moved.csv", [["党员编号", "报到社区"], ["M-1", "ORG-A2"], ["M-9", "ORG-A2"],
                                          ["M-2", "不存在社区党委"]])
    report = await load_file(store, "reports", moved)
    assert report.created == 0
    assert [(r.column, r.reason) for r in report.rejects] == [
        ("报到社区", "member 'M-1' has already reported to 'ORG-A1'; a member reports to one community (where "
                    "they live)"),
        ("党员编号", "unknown member 'M-9': no member has this id"),
        ("报到社区", "unknown organisation '不存在社区党委': no organisation has this id or exact name"),
    ]
    assert await _reported(store, "M-1", "M-2") == {"M-1": ["ORG-A1"], "M-2": []}

