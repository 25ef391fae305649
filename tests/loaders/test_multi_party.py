"""Agreements with three or more parties from a file (甲方 / 乙方 / 丙方 … columns, or a parties sheet), reports
that say plainly when nothing was written, and "did you mean" for a name that is nearly right: both stores."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from loaders.engine import Options, load_file
from service.graph.port import GraphStore
from service.model import RelType
from tests.contract import small_graph
from tests.contract.small_graph import ENTERPRISE


def _workbook(path: Path, first: list[list[object]], parties: list[list[object]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "协议"
    for row in first:
        ws.append(row)
    if parties is not None:
        sheet = wb.create_sheet("参与方")
        for row in parties:
            sheet.append(row)
    wb.save(path)
    return path


async def _parties(store: GraphStore, agreement: str) -> set[tuple[str, str, str | None]]:
    return {(r.node.id, r.props["role"], r.props.get("signatory"))
            for r in await store.related([agreement], RelType.PARTY_TO, False)}


async def test_repeated_party_columns_load_three_parties(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = _workbook(tmp_path / "责任书.xlsx", [
        ["协议编号", "协议名称", "生效日期", "截止日期", "甲方", "甲方签字人", "乙方", "乙方签字人", "丙方",
         "丙方签字人"],
        ["AGR-3P", "共驻共建责任书", "2024-01-01", "2026-12-31", "青山社区党支部", "赵书记", ENTERPRISE, "钱经理",
         "区人民医院党委", "孙院长"],
        ["AGR-BAD", "倒签协议", "2024-06-01", "2024-01-01", "ORG-A1", None, "ORG-TAX", None, None, None],
    ])
    report = await load_file(store, "agreements", path)
    assert (report.created, report.rejected) == (1, 1), report.rejects
    assert report.rejects[0].reason == "validTo 2024-01-01 is before validFrom 2024-06-01"
    assert report.rejects[0].column == "截止日期"
    assert await _parties(store, "AGR-3P") == {
        ("ORG-A2", "甲方", "赵书记"), (ENTERPRISE, "乙方", "钱经理"), ("ORG-HOSP", "丙方", "孙院长")}
    assert await store.get_node("AGR-BAD") is None


async def test_a_parties_sheet_gives_each_agreement_its_parties(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = _workbook(tmp_path / "协议汇总.xlsx", [
        ["协议编号", "协议名称", "甲方", "乙方"],
        ["AGR-S1", "四方共建协议", "ORG-A1", None],
        ["AGR-S2", "两方协议", None, None],
        ["AGR-S3", "角色重复", "ORG-A1", None],
    ], [
        ["协议编号", "单位", "角色", "签字人"],
        ["AGR-S1", "区税务局机关党支部", "乙方", "李局长"],
        ["AGR-S1", "ORG-HOSP", None, None],
        ["AGR-S1", ENTERPRISE, "丁方", "钱经理"],
        ["AGR-S2", "ORG-B1", "甲方", None],
        ["AGR-S2", "ORG-TAX", "乙方", None],
        ["AGR-S3", "ORG-TAX", "甲方", None],
        ["AGR-NONE", "ORG-TAX", "甲方", None],
    ])
    report = await load_file(store, "agreements", path)
    assert report.created == 2, report.rejects
    assert [(r.row, r.reason) for r in report.rejects] == [
        (4, "role '甲方' is given to two parties"),
        (8, "sheet '参与方' row 8: party 'ORG-TAX' names no agreement of the first sheet (by 协议编号 or 协议名称)"),
    ]
    # a party without a role takes the first one free after the roles given (丙方 here)
    assert await _parties(store, "AGR-S1") == {
        ("ORG-A1", "甲方", None), ("ORG-TAX", "乙方", "李局长"), ("ORG-HOSP", "丙方", None),
        (ENTERPRISE, "丁方", "钱经理")}
    assert await _parties(store, "AGR-S2") == {("ORG-B1", "甲方", None), ("ORG-TAX", "乙方", None)}
    # loading the workbook again changes nothing
    again = await load_file(store, "agreements", path)
    assert (again.created, again.updated, again.relationships.created) == (0, 0, 0)


async def test_strict_and_dry_run_reports_say_nothing_was_written(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "items.csv"
    path.write_text("清单编号,清单类型,事项名称,发布单位\nI-1,需求,电梯,ORG-A1\nI-2,其他,x,ORG-A1\n", encoding="utf-8")
    strict = await load_file(store, "items", path, Options(strict=True))
    text = strict.summary()
    assert "refused (--strict)" in text and "nothing was written" in text
    assert "would have created 1" in text and "\n  created" not in text
    assert strict.as_dict()["written"] is False
    dry = (await load_file(store, "items", path, Options(dry_run=True))).summary()
    assert "nothing was written: a dry run only checks the file" in dry and "would have created 1" in dry
    assert await store.get_node("I-1") is None
    loaded = await load_file(store, "items", path)
    assert "\n  created 1," in loaded.summary() and "nothing was written" not in loaded.summary()


async def test_an_unknown_name_gets_the_nearest_one_of_the_right_label(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "items.csv"
    path.write_text("清单编号,清单类型,事项名称,发布单位\nI-1,需求,电梯,青山社区\nI-2,需求,义诊,完全不同的名字\n",
                    encoding="utf-8")
    report = await load_file(store, "items", path)
    reasons = [r.reason for r in report.rejects]
    assert reasons[0] == ("unknown publisher '青山社区': no organisation or enterprise has this id, credit code or "
                          "exact name; did you mean 青山社区党支部?")
    assert "did you mean" not in reasons[1]
