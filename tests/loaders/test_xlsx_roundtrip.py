"""Excel out, matching Excel in (loaders/export.py): an export loaded back unedited changes nothing; one cell
edited changes exactly that; the headers are the templates'; personal values masked for every role but admin,
in columns a load leaves alone; the enums in Chinese. On both stores."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from loaders.engine import load_file
from loaders.export import EXPORTS, MASKED, READ_ONLY, Sheet, export, workbook
from loaders.kinds import KINDS, PARTY_ROLES, field_of
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, STREET_A, STREET_B

WISHES = [["心愿编号", "心愿内容", "类别", "状态", "发布日期", "所在社区", "派单组织", "接单方", "实现日期", "评分",
           "心愿人", "心愿人电话", "心愿人地址"],
          ["W-1", "轮椅一台", "助残", "已评价", "2020-05-06", COMM_A1, "红山社区党委", "M-1", "2020-05-20", "5",
           "朱某某", "13812345678", "红山社区3号楼"],
          ["W-2", "助听器", "助残", "已发布", "2020-05-07", COMM_A1, "", "", "", "", "", "", ""]]
MEETINGS = [["会议编号", "联盟", "会议日期", "会议主题", "参会单位", "轮值主席单位"],
            ["MTG-1", "头屯河街道大工委", "2022-09-15", "停车难专题会", "ORG-A1;ORG-TAX", "ORG-A1"]]
MATTERS = [["事项编号", "事项名称", "办理方式", "会议编号", "状态", "责任单位", "责任人", "完成时限", "办结日期"],
           ["MAT-1", "背街小巷改造", "要事共决", "MTG-1", "已办结", "ORG-TAX", "王书记", "2022-10-31", "2022-10-20"],
           ["MAT-2", "停车位共享", "MAJOR", "MTG-1", "", "", "", "", ""]]  # the English name is taken too


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


async def _graph(store: GraphStore, tmp: Path) -> None:
    """The small graph, a third party to an agreement, a claim, and wishes, a meeting and matters loaded."""
    await small_graph.build(store)
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                     [RelRow("ORG-STA", "AGR-1", {"role": "见证方", "signatory": "赵主任"})])
    await store.claim_item("ITEM-P1", "ORG-A1", 5, "2021-05-10", "CLM-1")
    for kind, rows in (("wishes", WISHES), ("meetings", MEETINGS), ("matters", MATTERS)):
        report = await load_file(store, kind, _csv(tmp / f"{kind}.csv", rows))
        assert report.rejected == 0, report.summary()


async def _save(store: GraphStore, kind: str, path: Path, admin: bool = True, region: str | None = None) -> Sheet:
    sheet = await export(store, kind, region, sees_personal_data=admin)
    path.write_bytes(workbook(sheet, region_id=region, role="admin" if admin else "importer"))
    return sheet


def _edit(path: Path, row_id: str, header: str, value: Any) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    [row] = [r for r in ws.iter_rows(min_row=2) if r[0].value == row_id]
    row[headers.index(header)].value = value
    wb.save(path)


def _cell(sheet: Sheet, row_id: str, header: str) -> Any:
    [row] = [r for r in sheet.rows if r[0] == row_id]
    return row[sheet.headers.index(header)]


async def test_an_unedited_export_loads_back_unchanged(store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    for kind in EXPORTS:
        sheet = await _save(store, kind, tmp_path / f"{kind}.xlsx")
        assert sheet.rows, kind
        report = await load_file(store, kind, tmp_path / f"{kind}.xlsx")
        assert (report.created, report.updated, report.rejected, report.replaced) == (0, 0, 0, 0), report.summary()
        assert (report.relationships.created, report.relationships.updated) == (0, 0), report.summary()
        assert report.unchanged == len(sheet.rows)
        assert (await export(store, kind, None, True)).rows == sheet.rows, kind


# (kind, row, header, new cell, what the next export shows there (None: the cell), other cells that follow)
EDITS: list[tuple[str, str, str, Any, Any, dict[str, Any]]] = [
    ("items", "ITEM-P1", "数量", 45, None, {"剩余数量" + READ_ONLY: 40}),  # 5 of them claimed
    ("items", "ITEM-P2", "状态", "已关闭", None, {}),
    ("agreements", "AGR-1", "乙方签字人", "李副局长", None, {}),  # a relationship's property
    ("agreements", "AGR-2", "状态", "TERMINATED", "已终止", {}),  # the API's value is taken, shown in Chinese
    ("wishes", "W-2", "心愿内容", "助听器一副", None, {}),
    ("meetings", "MTG-1", "会议主题", "停车难第二次专题会", None, {}),
    ("matters", "MAT-2", "办理方式", "急事共商", None, {}),
]


@pytest.mark.parametrize(("kind", "row_id", "header", "value", "shown", "follows"), EDITS,
                         ids=[f"{e[0]}-{e[2]}" for e in EDITS])
async def test_one_edited_cell_changes_exactly_that(store: GraphStore, tmp_path: Path, kind: str, row_id: str,
                                                    header: str, value: Any, shown: Any,
                                                    follows: dict[str, Any]) -> None:
    await _graph(store, tmp_path)
    path = tmp_path / f"{kind}.xlsx"
    before = {k: (await export(store, k, None, True)).rows for k in EXPORTS}
    sheet = await _save(store, kind, path)
    _edit(path, row_id, header, value)
    report = await load_file(store, kind, path)
    assert report.created == 0 and report.rejected == 0, report.summary()
    assert report.updated + report.relationships.updated == 1, report.summary()
    after = await export(store, kind, None, True)
    expected = [list(r) for r in sheet.rows]
    [row] = [r for r in expected if r[0] == row_id]
    for h, v in {header: value if shown is None else shown, **follows}.items():
        row[sheet.headers.index(h)] = v
    assert after.rows == expected
    for other in EXPORTS:  # nothing else moved
        if other != kind:
            assert (await export(store, other, None, True)).rows == before[other], other


async def test_headers_are_the_templates_and_the_others_are_not_loaded(store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    for kind in EXPORTS:
        template = [c.headers[0] for c in KINDS[kind].columns]
        sheet = await export(store, kind, None, True)
        assert sheet.headers[:len(template)] == template, kind
        assert all(field_of(kind, h) is None for h in sheet.headers[len(template):]), kind
    items = await export(store, "items", None, True)
    claimed, remaining = ("已认领数量" + READ_ONLY, "剩余数量" + READ_ONLY)
    assert (_cell(items, "ITEM-P1", claimed), _cell(items, "ITEM-P1", remaining)) == (5, 35)
    assert _cell(items, "ITEM-P1", "认领情况" + READ_ONLY) == "红山社区党委（ORG-A1）5 2021-05-10"
    assert _cell(items, "ITEM-P1", "所属协议") == "AGR-1"


async def test_enums_are_written_in_chinese(store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    items = await export(store, "items", None, True)
    assert (_cell(items, "ITEM-N1", "清单类型"), _cell(items, "ITEM-N1", "状态")) == ("需求", "开放认领")
    agreements = await export(store, "agreements", None, True)
    assert (_cell(agreements, "AGR-1", "协议类型"), _cell(agreements, "AGR-3", "状态")) == ("共驻共建", "已到期")
    matters = await export(store, "matters", None, True)
    assert [_cell(matters, m, "办理方式") for m in ("MAT-1", "MAT-2")] == ["要事共决", "大事共议"]
    assert [_cell(matters, m, "状态") for m in ("MAT-1", "MAT-2")] == ["已办结", "待办"]
    wishes = await export(store, "wishes", None, True)
    assert [_cell(wishes, w, "状态") for w in ("W-1", "W-2")] == ["已评价", "已发布"]


async def test_all_parties_of_an_agreement(store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    sheet = await export(store, "agreements", None, True)
    assert [_cell(sheet, "AGR-1", h) for h in ("甲方", "甲方签字人", "乙方", "乙方签字人", "包含清单项")] == [
        "ORG-A1", "王书记", "ORG-TAX", "李局长", "ITEM-N1;ITEM-P1"]
    names = [_cell(sheet, "AGR-1", h + READ_ONLY) for h in ("甲方单位名称", "乙方单位名称")]
    assert names == ["红山社区党委", "区税务局机关党支部"]
    assert _cell(sheet, "AGR-1", "其他参与方" + READ_ONLY) == "见证方：头屯河街道党工委（ORG-STA） 签字人 赵主任"
    assert _cell(sheet, "AGR-2", "乙方") == small_graph.ENTERPRISE  # an enterprise by its credit code
    masked = await export(store, "agreements", None, False)
    assert _cell(masked, "AGR-1", "其他参与方" + READ_ONLY) == "见证方：头屯河街道党工委（ORG-STA） 签字人 赵**"


async def test_personal_values_are_masked_but_for_admin_and_a_masked_file_loads_back_harmlessly(
        store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    expected_masked = {"agreements": [f"{role}签字人" for role in PARTY_ROLES],
                       "wishes": ["心愿人", "心愿人电话", "心愿人地址"],
                       "matters": ["责任人"], "items": [], "meetings": []}
    for kind in EXPORTS:
        admin = await export(store, kind, None, True)
        other = await export(store, kind, None, False)
        assert other.masked == expected_masked[kind] and admin.masked == []
        for header in expected_masked[kind]:
            assert header in admin.headers and header not in other.headers
            assert header + MASKED in other.headers and field_of(kind, header + MASKED) is None
    agreements = await export(store, "agreements", None, False)
    assert (_cell(agreements, "AGR-1", "甲方签字人" + MASKED), _cell(agreements, "AGR-1", "乙方签字人" + MASKED)) == (
        "王**", "李**")
    wishes = await export(store, "wishes", None, False)
    assert [_cell(wishes, "W-1", h + MASKED) for h in expected_masked["wishes"]] == [None, None, None]
    assert _cell(await export(store, "matters", None, False), "MAT-1", "责任人" + MASKED) == "王**"
    # the masked file of a non-admin, loaded back, writes no stars over the real values
    for kind in ("agreements", "wishes", "matters"):
        path = tmp_path / f"masked-{kind}.xlsx"
        await _save(store, kind, path, admin=False)
        report = await load_file(store, kind, path)
        assert (report.updated, report.relationships.updated, report.rejected) == (0, 0, 0), report.summary()
    signatories = {r.node.id: r.props.get("signatory") for r in await store.related(["AGR-1"], RelType.PARTY_TO, False)}
    assert signatories == {"ORG-A1": "王书记", "ORG-TAX": "李局长", "ORG-STA": "赵主任"}
    wish = await store.get_node("W-1")
    assert wish is not None and (wish.props["recipient"], wish.props["recipientPhone"]) == ("朱某某", "13812345678")


async def test_an_export_is_limited_to_its_region(store: GraphStore, tmp_path: Path) -> None:
    await _graph(store, tmp_path)
    street_b = await export(store, "agreements", STREET_B, True)
    assert [r[0] for r in street_b.rows] == ["AGR-3", "AGR-4"]  # the hospital's, in 火车西站街道
    street_a_items = {r[0] for r in (await export(store, "items", STREET_A, True)).rows}
    assert street_a_items == {"ITEM-P1", "ITEM-P2", "ITEM-N1"}
    assert [r[0] for r in (await export(store, "wishes", STREET_B, True)).rows] == []
    assert [r[0] for r in (await export(store, "matters", STREET_A, True)).rows] == ["MAT-1", "MAT-2"]


def test_the_workbook_has_the_rows_first_and_a_note() -> None:
    sheet = Sheet("items", ["清单编号", "数量"], [["I-1", 3]], masked=[])
    wb = load_workbook(io.BytesIO(workbook(sheet, region_id=None, role="admin")))
    assert wb.sheetnames == ["items", "说明"]
    assert [[c.value for c in r] for r in wb.worksheets[0].iter_rows()] == [["清单编号", "数量"], ["I-1", 3]]
