"""Loader kinds of the workflows: wishes, meetings, matters, teams, duties, service centres."""

from __future__ import annotations

import csv
from pathlib import Path

from loaders.engine import load_file
from loaders.kinds import KINDS
from service.graph.store import GraphStore
from service.model import RelType
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


def test_every_workflow_kind_has_a_template_row() -> None:
    for name in ("wishes", "meetings", "matters", "teams", "team_members", "grid_duties", "service_centres"):
        kind = KINDS[name]
        required = [f for f, info in kind.model.model_fields.items() if info.is_required()]
        examples = {c.field: c.example for c in kind.columns}
        assert all(examples.get(f) is not None for f in required), name
