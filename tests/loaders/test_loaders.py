"""Loaders against both stores: formats and encodings, every bad-row class, idempotency,
strict and dry-run modes, claims through the store's atomic check."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from loaders.engine import Options, load_file
from loaders.errors import FileRejected
from service.graph.port import GraphStore
from service.graph.types import ItemQuery, RelRow
from service.model import Label, RelType
from tests.contract import small_graph

FIXTURES = Path(__file__).parent / "fixtures"


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


AGREEMENT_HEADER = ["协议编号", "协议名称", "协议类型", "签订日期", "状态", "甲方", "甲方签字人", "乙方", "乙方签字人"]


async def test_xlsx_with_title_row_chinese_headers_and_excel_dates(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_xlsx(tmp_path / "agreements.xlsx", [
        ["2021年度共建协议汇总表"],
        ["注：甲方、乙方可填编号、信用代码或单位全称"],
        AGREEMENT_HEADER,
        ["AGR-10", "青山社区与天山物业共建协议", "共建", dt.datetime(2021, 3, 5), "生效",
         "青山社区党支部", "赵书记", "９１６５０１００ＭＡ７７ＸＸＸＸ０Ｔ", "钱经理"],
        ["AGR-11", "西站社区与税务局结对", "结对", "2021年3月5日", "ACTIVE", "ORG-B1", None,
         "区税务局机关党支部", None],
        [None, None, None],
        [None],
    ])
    report = await load_file(store, "agreements", path)
    assert (report.rows, report.created, report.rejected) == (2, 2, 0), report.rejects
    [a10, a11] = sorted(await store.get_nodes(["AGR-10", "AGR-11"]), key=lambda n: n.id)
    assert a10.props["signedOn"] == "2021-03-05" and a10.props["kind"] == "CO_BUILDING"
    assert a11.props["signedOn"] == "2021-03-05" and a11.props["kind"] == "PAIRING"
    parties = await store.related(["AGR-10"], RelType.PARTY_TO, outgoing=False)
    assert {(r.node.id, r.props["role"], r.props.get("signatory")) for r in parties} == {
        ("ORG-A2", "甲方", "赵书记"), (small_graph.ENTERPRISE, "乙方", "钱经理")}
    assert not (tmp_path / "agreements.rejects.csv").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
async def test_csv_encodings(store: GraphStore, tmp_path: Path, encoding: str) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "items.csv", [
        ["清单编号", "清单类型", "事项名称", "数量", "单位", "发布日期", "发布单位"],
        ["ITEM-X1", "资源", "党员活动室（共享）", "３", "间", "2021/3/5", " 区税务局机关党支部 "],
        ["ITEM-X2", "项目", "义诊", "12", "次", "2021.04.01", "ORG-HOSP"],
    ], encoding)
    report = await load_file(store, "items", path)
    assert (report.created, report.rejected) == (2, 0), report.rejects
    [x1] = await store.get_nodes(["ITEM-X1"])
    assert x1.props["title"] == "党员活动室（共享）" and x1.props["quantity"] == 3
    assert x1.props["publishedOn"] == "2021-03-05" and x1.props["list"] == "RESOURCE"
    page = await store.list_items(ItemQuery(publisher_id="ORG-TAX", first=50))
    assert "ITEM-X1" in {i.node.id for i in page.items}


async def test_jsonl_with_english_keys(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "orgs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "ORG-N1", "name": "新社区党支部", "kind": "COMMUNITY", "level": "党支部", "parent": "ORG-STA",
         "region_id": small_graph.COMM_A2},
        {"id": "ORG-N2", "name": "新楼宇党支部", "kind": "楼宇", "parent": "ORG-N3"},
        {"id": "ORG-N3", "name": "新楼宇党委", "kind": "BUILDING"},
    ]) + "\n\n", encoding="utf-8")
    report = await load_file(store, "organisations", path)
    assert (report.created, report.rejected) == (3, 0), report.rejects
    under = await store.related(["ORG-N1", "ORG-N2"], RelType.UNDER, outgoing=True)
    assert {(r.source_id, r.node.id) for r in under} == {("ORG-N1", "ORG-STA"), ("ORG-N2", "ORG-N3")}


# --- one test per bad-row class, with the exact reason -------------------------------------------

ITEM_HEADER = ["清单编号", "清单类型", "事项名称", "数量", "发布日期", "发布单位"]
BAD_ITEMS = {
    "bad date": (["ITEM-B", "资源", "x", "1", "2021-02-30", "ORG-TAX"], "发布日期",
                 "bad date '2021-02-30': expected a date like 2021-03-05, 2021/3/5 or 2021年3月5日"),
    "list type": (["ITEM-B", "捐赠", "x", "1", "2021-03-05", "ORG-TAX"], "清单类型",
                  "list type '捐赠' is not one of NEED, RESOURCE, PROJECT (需求、资源、项目)"),
    "negative quantity": (["ITEM-B", "资源", "x", "-3", "2021-03-05", "ORG-TAX"], "数量", "quantity -3 is below zero"),
    "unknown party": (["ITEM-B", "资源", "x", "1", "2021-03-05", "不存在的单位"], "发布单位",
                      "unknown publisher '不存在的单位': no organisation or enterprise has this id, credit code or "
                      "exact name"),
    "malformed credit code": (["ITEM-B", "资源", "x", "1", "2021-03-05", "91650100MA77XXXX0A"], "发布单位",
                              "unknown publisher '91650100MA77XXXX0A': malformed unified social credit code: credit "
                              "code '91650100MA77XXXX0A': check character should be 'T', not 'A'"),
    "missing title": (["ITEM-B", "资源", "", "1", "2021-03-05", "ORG-TAX"], "事项名称", "required, but empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
async def test_bad_item_rows(store: GraphStore, tmp_path: Path, case: str) -> None:
    await small_graph.build(store)
    row, column, reason = BAD_ITEMS[case]
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, ["ITEM-OK", "需求", "ok", "1", "2021-03-05", "ORG-A1"], row])
    report = await load_file(store, "items", path)
    assert (report.created, report.rejected) == (1, 1)
    [reject] = report.rejects
    assert (reject.file, reject.row, reject.column, reject.reason) == ("items.csv", 3, column, reason)
    assert await store.get_node("ITEM-B") is None
    with (tmp_path / "items.rejects.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [*ITEM_HEADER, "错误原因 (reason)"]
    assert rows[1][:-1] == row and rows[1][-1] == f"row 3, {column}: {reason}"


async def test_duplicate_id_inside_the_file(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, ["I-1", "需求", "a", "1", "", "ORG-A1"],
                                               ["I-1", "需求", "b", "1", "", "ORG-A1"]])
    report = await load_file(store, "items", path)
    [reject] = report.rejects
    assert (reject.row, reject.column) == (3, "清单编号")
    assert reject.reason == "duplicate id 'I-1' inside the file: first on row 2"


async def test_malformed_enterprise_credit_code(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ents.csv", [["统一社会信用代码", "企业名称"], ["91650100MA77XXXX0", "某公司"]])
    report = await load_file(store, "enterprises", path)
    [reject] = report.rejects
    assert (reject.column, reject.reason) == (
        "统一社会信用代码",
        "malformed unified social credit code: credit code '91650100MA77XXXX0' has 17 characters, not 18")


async def test_missing_column_rejects_the_file(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "items.csv", [["清单编号", "事项名称"], ["I-1", "x"]])
    with pytest.raises(FileRejected, match="missing column 清单类型"):
        await load_file(store, "items", path)


# --- idempotency, strict, dry run ---------------------------------------------------------------

async def test_same_file_twice_is_unchanged_and_a_changed_row_updates(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [ITEM_HEADER, ["I-1", "需求", "a", "1", "2021-03-05", "ORG-A1"],
                                ["I-2", "资源", "b", "2", "2021-03-05", small_graph.ENTERPRISE]]
    path = write_csv(tmp_path / "items.csv", rows)
    first = await load_file(store, "items", path)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = await load_file(store, "items", path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    assert again.relationships.created == 0 and again.relationships.unchanged == 2
    rows[2][3] = "5"
    write_csv(path, rows)
    changed = await load_file(store, "items", path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    [i2] = await store.get_nodes(["I-2"])
    assert i2.props["quantity"] == 5


async def test_strict_loads_nothing_when_a_row_is_bad(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, ["I-1", "需求", "a", "1", "", "ORG-A1"],
                                               ["I-2", "其他", "b", "1", "", "ORG-A1"]])
    report = await load_file(store, "items", path, Options(strict=True))
    assert not report.loaded and report.rejected == 1
    assert await store.get_node("I-1") is None
    write_csv(path, [ITEM_HEADER, ["I-1", "需求", "a", "1", "", "ORG-A1"]])
    report = await load_file(store, "items", path, Options(strict=True))
    assert report.loaded and report.created == 1
    assert not (tmp_path / "items.rejects.csv").exists()  # the stale one is gone


async def test_dry_run_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "items.csv", [ITEM_HEADER, ["I-1", "需求", "a", "1", "", "ORG-A1"],
                                               ["ITEM-P1", "RESOURCE", "共享停车位", "40", "", "ORG-TAX"]])
    report = await load_file(store, "items", path, Options(dry_run=True))
    assert report.dry_run and not report.loaded
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)  # ITEM-P1's row matches the store
    assert await store.get_node("I-1") is None


# --- claims and reports ------------------------------------------------------------------------

CLAIM_HEADER = ["认领单位", "清单编号", "认领数量", "认领日期"]


async def test_claims_go_through_the_atomic_check(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "claims.csv", [
        CLAIM_HEADER,
        ["红山社区党委", "ITEM-P1", "30", "2021-05-10"],
        ["ORG-B1", "ITEM-P1", "15", "2021-05-11"],  # only 10 left
        ["ORG-B1", "ITEM-P1", "10", "2021/5/12"],
        ["ORG-B1", "ITEM-NONE", "1", "2021/5/12"],
        ["ORG-B1", "ITEM-P2", "0", "2021/5/12"],
    ])
    report = await load_file(store, "claims", path)
    assert report.created == 2
    reasons = {(r.row, r.column, r.reason) for r in report.rejects}
    assert reasons == {
        (3, "认领数量", "item 'ITEM-P1' is already claimed: 10 left, 15 asked"),
        (5, "清单编号", "unknown list item 'ITEM-NONE': no list item has this id"),
        (6, "认领数量", "quantity 0 must be above zero"),
    }
    again = await load_file(store, "claims", path)
    assert (again.created, again.unchanged) == (0, 2)
    [item] = [i for i in (await store.list_items(ItemQuery(first=50))).items if i.node.id == "ITEM-P1"]
    assert item.claimed == 40 and item.remaining == 0


async def test_dry_run_claims_simulate_remaining(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "claims.csv", [CLAIM_HEADER, ["ORG-A1", "ITEM-P2", "1", "2021-05-10"],
                                                ["ORG-B1", "ITEM-P2", "1", "2021-05-10"]])
    report = await load_file(store, "claims", path, Options(dry_run=True))
    assert report.created == 1
    assert [r.reason for r in report.rejects] == ["item 'ITEM-P2' is already claimed: 0 left, 1 asked"]
    assert await store.related(["ITEM-P2"], RelType.CLAIMED, outgoing=False) == []


async def test_reports_double_reporting(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "reports.csv", [["党员编号", "报到社区", "报到日期"],
                                                 ["M-1", "红山社区党委", "2021-06-01"],
                                                 ["M-9", "红山社区党委", "2021-06-01"]])
    report = await load_file(store, "reports", path)
    assert report.created == 1
    assert [r.reason for r in report.rejects] == ["unknown member 'M-9': no member has this id"]
    rel = await store.related(["M-1"], RelType.REPORTED_TO, outgoing=True)
    assert [(r.node.id, r.props["on"]) for r in rel] == [("ORG-A1", "2021-06-01")]


def test_templates_start_with_the_first_header(tmp_path: Path) -> None:
    """(Their example rows load next to the demo: tests/loaders/test_examples.py.)"""
    from loaders.cli import write_template
    from loaders.kinds import KINDS

    for kind in KINDS:
        out = write_template(kind, "xlsx", tmp_path / f"{kind}.xlsx")
        ws = load_workbook(out, read_only=True).worksheets[0]
        header = next(ws.iter_rows(values_only=True))
        assert header[0] == KINDS[kind].columns[0].headers[0]


# --- one transaction per batch, single-valued relationships replaced on reload -------------------

class Recording:
    """A real store, with the names of the port methods called through it recorded."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.store, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return await target(*args, **kwargs)

        return call


async def test_each_batch_is_one_write_and_names_resolve_without_listing(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = write_csv(tmp_path / "agreements.csv", [
        [*AGREEMENT_HEADER, "包含清单项"],
        ["AGR-20", "协议二十", "共建", "2021-03-05", "生效", "红山社区党委", "", small_graph.ENTERPRISE, "", "ITEM-P1"],
        ["AGR-21", "协议二十一", "结对", "2021-03-05", "生效", "ORG-B1", "", "区税务局机关党支部", "", ""],
        ["AGR-22", "协议二十二", "共建", "2021-03-05", "生效", "ORG-A2", "", "区人民医院党委", "", "ITEM-P2"],
    ])
    recording = Recording(store)
    report = await load_file(recording, "agreements", path, Options(batch_size=2))  # type: ignore[arg-type]
    assert (report.created, report.rejected) == (3, 0), report.rejects
    writes = [c for c in recording.calls if c.startswith("upsert")]
    assert writes == ["upsert_batch", "upsert_batch"]  # nodes and 3 relationship groups: one call a batch
    assert "list_nodes" not in recording.calls and "find_by_names" in recording.calls
    parties = await store.related(["AGR-20", "AGR-21", "AGR-22"], RelType.PARTY_TO, outgoing=False)
    assert len(parties) == 6 and report.relationships.created == 8


async def test_a_changed_publisher_replaces_the_old_one_on_reload(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [ITEM_HEADER, ["I-1", "需求", "a", "1", "2021-03-05", "ORG-A1"],
                                ["I-2", "资源", "b", "2", "2021-03-05", "ORG-TAX"]]
    path = write_csv(tmp_path / "items.csv", rows)
    await load_file(store, "items", path)
    rows[1][5] = "新疆天山物业服务有限公司"  # now published by the enterprise, named by name
    rows[2][5] = ""  # an empty cell leaves the publisher as it is
    write_csv(path, rows)
    report = await load_file(store, "items", path)
    assert (report.unchanged, report.replaced, report.relationships.created) == (2, 1, 1)
    publishers = await store.related(["I-1", "I-2"], RelType.PUBLISHED, outgoing=False)
    assert sorted((r.source_id, r.node.id) for r in publishers) == [
        ("I-1", small_graph.ENTERPRISE), ("I-2", "ORG-TAX")]
    again = await load_file(store, "items", path)
    assert (again.unchanged, again.replaced, again.relationships.created) == (2, 0, 0)


async def test_a_changed_party_replaces_the_party_in_that_role(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [
        AGREEMENT_HEADER, ["AGR-30", "共建协议", "共建", "2021-03-05", "生效", "ORG-A1", "王书记", "ORG-TAX", "李局长"]]
    path = write_csv(tmp_path / "agreements.csv", rows)
    await load_file(store, "agreements", path)
    # a witness added through the API is not the file's to remove
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                     [RelRow("ORG-STA", "AGR-30", {"role": "见证方"})])
    rows[1][7:9] = ["区人民医院党委", "张院长"]
    write_csv(path, rows)
    report = await load_file(store, "agreements", path)
    assert report.replaced == 1 and report.rejected == 0
    parties = await store.related(["AGR-30"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.props["role"], r.node.id, r.props.get("signatory")) for r in parties) == [
        ("乙方", "ORG-HOSP", "张院长"), ("甲方", "ORG-A1", "王书记"), ("见证方", "ORG-STA", None)]


async def test_a_changed_parent_replaces_and_a_location_adds(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    header = ["组织编号", "组织名称", "上级党组织", "所在区划"]
    path = write_csv(tmp_path / "orgs.csv", [header, ["ORG-A2", "青山社区党支部", "西站社区党委", small_graph.COMM_B1]])
    report = await load_file(store, "organisations", path)
    assert report.replaced == 1 and report.rejected == 0
    parent = await store.related(["ORG-A2"], RelType.UNDER, outgoing=True)
    assert [r.node.id for r in parent] == ["ORG-B1"]
    located = await store.related(["ORG-A2"], RelType.LOCATED_IN, outgoing=True)
    assert sorted(r.node.id for r in located) == [small_graph.COMM_A2, small_graph.COMM_B1]


async def test_keys_spilled_to_disk_still_catch_duplicates_and_references(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("loaders.seen.SPILL_AT", 2)  # every batch moves its keys to the temporary database
    path = write_csv(tmp_path / "regions.csv", [
        ["区划代码", "名称", "层级", "上级区划代码"],
        ["659901", "某区", "区", ""],
        ["659901001", "某街道", "街道", "659901"],
        ["659901001001", "某社区", "社区", "659901001"],
        ["659901001002", "另一社区", "社区", "659901001"],
        ["659901", "某区（重复）", "区", ""],
        ["659901001003", "第三社区", "社区", "659901001"],
    ])
    report = await load_file(store, "regions", path, Options(batch_size=2))
    assert (report.created, report.rejected) == (5, 1)
    assert [(r.row, r.column, r.reason) for r in report.rejects] == [
        (6, "区划代码", "duplicate id '659901' inside the file: first on row 2")]
    children = await store.related(["659901001"], RelType.PART_OF, outgoing=False)
    assert sorted(r.node.id for r in children) == ["659901001001", "659901001002", "659901001003"]


async def test_a_reassigned_matter_has_one_responsible_unit(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    meetings = write_csv(tmp_path / "meetings.csv",
                         [["会议编号", "联盟", "会议日期"], ["MTG-1", "ALL-STA", "2022-09-15"]])
    assert (await load_file(store, "meetings", meetings)).created == 1
    rows: list[list[object]] = [["事项编号", "事项名称", "办理方式", "会议编号", "责任单位", "责任人"],
                                ["MAT-1", "停车难", "要事共决", "MTG-1", "ORG-TAX", "王书记"]]
    path = write_csv(tmp_path / "matters.csv", rows)
    await load_file(store, "matters", path)
    rows[1][4:6] = ["区人民医院党委", "张院长"]
    write_csv(path, rows)
    report = await load_file(store, "matters", path)
    assert report.replaced == 1 and report.rejected == 0
    assigned = await store.related(["MAT-1"], RelType.ASSIGNED_TO, outgoing=True)
    assert [(r.node.id, r.props.get("person")) for r in assigned] == [("ORG-HOSP", "张院长")]


async def test_batches_written_behind_resolve_and_reject_as_a_sequential_load(
        store: GraphStore, tmp_path: Path) -> None:
    """Batch N+1 is parsed and resolved while batch N is written: a reference to a node of batch N
    still resolves (here: to the wrong label), and rejects keep file order."""
    await small_graph.build(store)
    path = write_csv(tmp_path / "items.csv", [
        ITEM_HEADER,
        ["I-1", "需求", "a", "1", "2021-03-05", "ORG-A1"],
        ["I-2", "需求", "b", "x", "2021-03-05", "ORG-A1"],  # bad quantity
        ["I-3", "资源", "c", "1", "2021-03-05", "ORG-TAX"],
        ["I-4", "资源", "d", "1", "2021-03-05", "I-1"],  # an item of the batch being written
        ["I-1", "资源", "e", "1", "2021-03-05", "ORG-TAX"],  # duplicate
        ["I-5", "资源", "f", "1", "2021-03-05", "红山社区党委"],
        ["I-6", "资源", "g", "1", "2021-03-05", "不存在的单位"],
    ])
    seen: list[int] = []
    report = await load_file(store, "items", path, Options(batch_size=2, progress=lambda r: seen.append(r.created)))
    assert (report.rows, report.created, report.rejected) == (7, 3, 4)
    # a batch's own parse rejects come before its resolve rejects: row 6 is admitted before batch 2 is full
    assert [(r.row, r.column) for r in report.rejects] == [(3, "数量"), (6, "清单编号"), (5, "发布单位"),
                                                           (8, "发布单位")]
    assert report.rejects[2].reason == "unknown publisher 'I-1': it is a list item, not a organisation or enterprise"
    assert seen == [2, 3, 3]  # one progress call per batch, after its write
    publishers = await store.related(["I-1", "I-3", "I-5"], RelType.PUBLISHED, outgoing=False)
    assert sorted((r.source_id, r.node.id) for r in publishers) == [("I-1", "ORG-A1"), ("I-3", "ORG-TAX"),
                                                                      ("I-5", "ORG-A1")]


async def test_a_failed_batch_write_stops_the_load(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [ITEM_HEADER] + [[f"I-{i}", "需求", "a", "1", "2021-03-05", "ORG-A1"]
                                                for i in range(6)]
    path = write_csv(tmp_path / "items.csv", rows)
    writes: list[int] = []

    class Failing(Recording):
        async def upsert_batch(self, nodes: Any, relationships: Any) -> Any:
            writes.append(len(nodes[0][1]))
            if len(writes) == 2:
                raise RuntimeError("the store failed")
            return await self.store.upsert_batch(nodes, relationships)

    with pytest.raises(RuntimeError, match="the store failed"):
        await load_file(Failing(store), "items", path, Options(batch_size=2))  # type: ignore[arg-type]
    assert writes == [2, 2]  # the third batch is never written
    assert sorted(n.id for n in await store.get_nodes([f"I-{i}" for i in range(6)])) == ["I-0", "I-1"]
