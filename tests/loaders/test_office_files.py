"""Spreadsheets as offices make them, each with the exact report expected: a header of two rows with merged
group cells (XLSX) or group cells over empty ones (CSV), titles above and totals, notes and signatures below,
UTF-16 "Unicode text" with a BOM, GB18030, semicolons, cells holding line breaks, and encodings that are
refused with a message instead of a traceback. Loads run on both stores; reading alone needs none."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.engine import load_file
from loaders.errors import FileRejected
from loaders.headers import Skipped
from loaders.kinds import KINDS, _header_key, field_of
from loaders.readers import read_records
from loaders.report import SheetReport
from service.errors import ErrorCode
from service.graph.port import GraphStore
from service.model import RelType
from tests.contract import small_graph

UNKNOWN_PARTY = "unknown party '不存在的单位': no organisation or enterprise has this id, credit code or exact name"


def _xlsx(path: Path, rows: list[list[object]], merged: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for area in merged:
        ws.merge_cells(area)
    wb.save(path)
    return path


def _text(rows: list[list[object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# a two-level header, as offices draw it -----------------------------------------------------------

AGREEMENTS_XLSX: list[list[object]] = [
    ["2021年度共建协议汇总表"],
    ["填报单位：中亚南路街道党工委"],
    ["序号", "协议编号", "协议名称", "协议类型", "有效期", None, "甲方", None, "乙方", None, "联系电话"],
    [None, None, None, None, "生效日期", "截止日期", "单位", "签字人", "单位", "签字人", None],
    [1, "AGR-10", "青山社区与税务局共建", "共建", dt.datetime(2021, 3, 5), dt.datetime(2023, 3, 4),
     "青山社区党支部", "赵书记", "ORG-TAX", "钱局长", "13800000000"],
    [2, "AGR-11", "西站社区与医院结对", "结对", "2021年4月1日", "2024/3/31", "ORG-B1", None, "区人民医院党委", None,
     None],
    [3, "AGR-12", "某共建协议", "共建", "2021-05-01", None, "ORG-A1", "王书记", "不存在的单位", "孙经理", None],
    ["合计", None, None, None, None, None, None, None, None, None, None],
    ["注：甲方、乙方可填编号、信用代码或单位全称"],
    ["制表人：王五", None, None, None, None, None, "审核人：李四"],
]
# the optional party columns of a multi-party agreement (丙方 … 辛方, each with its signatory, and 协议各方)
MORE_PARTIES = [*(name for slot, role in zip("cdefgh", "丙丁戊己庚辛", strict=True)
                  for name in (f"{role}方 (party_{slot})", f"{role}方签字人 (signatory_{slot})")), "协议各方 (parties)"]
AGREEMENTS_MERGED = ["A1:K1", "A2:K2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:H3", "I3:J3", "K3:K4",
                     "A8:D8", "A9:K9"]


async def test_two_level_xlsx_header_with_merged_groups_title_and_footer(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = _xlsx(tmp_path / "协议.xlsx", AGREEMENTS_XLSX, AGREEMENTS_MERGED)
    report = await load_file(store, "agreements", path)
    assert (report.rows, report.created, report.rejected) == (3, 2, 1), report.rejects
    # every party column feeds the agreement's one list of parties, whose column the reject names
    assert [(r.row, r.column, r.reason) for r in report.rejects] == [(7, "协议各方", UNKNOWN_PARTY)]
    assert report.sheet == SheetReport(
        header_rows=[3, 4], title_rows=[1, 2], unmapped=["序号", "联系电话"], missing_required=[],
        missing_optional=["签订日期 (signed_on)", "状态 (status)", *MORE_PARTIES, "包含清单项 (items)"],
        skipped=[Skipped(8, "total", "合计"), Skipped(9, "note", "注：甲方、乙方可填编号、信用代码或单位全称"),
                 Skipped(10, "signature", "制表人：王五")])
    [a10, a11] = await store.get_nodes(["AGR-10", "AGR-11"])
    assert (a10.props["validFrom"], a10.props["validTo"]) == ("2021-03-05", "2023-03-04")
    assert (a11.props["validFrom"], a11.props["validTo"]) == ("2021-04-01", "2024-03-31")
    parties = await store.related(["AGR-10", "AGR-11"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.source_id, r.props["role"], r.node.id, r.props.get("signatory")) for r in parties) == [
        ("AGR-10", "乙方", "ORG-TAX", "钱局长"), ("AGR-10", "甲方", "ORG-A2", "赵书记"),
        ("AGR-11", "乙方", "ORG-HOSP", None), ("AGR-11", "甲方", "ORG-B1", None)]
    summary = report.summary()
    assert "  header rows 3–4 (above it, rows 1–2 skipped as title)" in summary
    assert "  columns not loaded (no such column for this kind): 序号, 联系电话" in summary
    assert "  row 8 skipped (total): 合计" in summary

    # the rejects file keeps every column under its combined name, and loads once fixed
    rejects = tmp_path / "协议.rejects.csv"
    with rejects.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["序号", "协议编号", "协议名称", "协议类型", "有效期/生效日期", "有效期/截止日期", "甲方/单位",
                       "甲方/签字人", "乙方/单位", "乙方/签字人", "联系电话", "错误原因 (reason)"]
    assert rows[1][1:10] == ["AGR-12", "某共建协议", "共建", "2021-05-01", "", "ORG-A1", "王书记", "不存在的单位",
                             "孙经理"]
    rows[1][8] = "区人民医院党委"
    with rejects.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    fixed = await load_file(store, "agreements", rejects)
    assert (fixed.created, fixed.rejected) == (1, 0), fixed.rejects
    assert fixed.sheet is not None and fixed.sheet.unmapped == ["序号", "联系电话", "错误原因 (reason)"]
    parties = await store.related(["AGR-12"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.props["role"], r.node.id, r.props.get("signatory")) for r in parties) == [
        ("乙方", "ORG-HOSP", "孙经理"), ("甲方", "ORG-A1", "王书记")]


async def test_two_level_csv_header_groups_cover_the_empty_cells_to_their_right(
        store: GraphStore, tmp_path: Path) -> None:
    """Without merge information a group cell (有效期, 甲方) covers the empty header cells to its right that have a
    sub-header; a sub-header under a group that names a column is qualified by it (乙方/联系电话 is nothing)."""
    await small_graph.build(store)
    path = tmp_path / "agreements.csv"
    path.write_text(_text([
        ["协议编号", "协议名称", "有效期", "", "甲方", "", "乙方", "", ""],
        ["", "", "起始日期", "到期日期", "单位名称", "签字人", "单位", "签字人", "联系电话"],
        ["AGR-20", "协议二十", "2022-01-01", "2022-12-31", "ORG-A1", "王书记", "ORG-TAX", "李局长", "0991-1234567"],
        ["小计", "1", "", "", "", "", "", "", ""],
        ["AGR-21", "协议二十一", "2022-02-01", "2021-12-31", "ORG-B1", "", "ORG-HOSP", "", ""],
        ["总计：2项"],
        ["填表说明：", "", "", "", "", "", "", "", ""],
        ["1. 日期写作2022-01-01"],
        ["2. 单位写全称"],
    ]), encoding="utf-8-sig")
    report = await load_file(store, "agreements", path)
    assert (report.rows, report.created, report.rejected) == (2, 1, 1), report.rejects
    # AGR-21 ends before it starts: refused with signAgreement's reason (service/rules.py), on its sheet row
    assert [(r.row, r.column, r.reason) for r in report.rejects] == [
        (5, "有效期/到期日期", "validTo 2021-12-31 is before validFrom 2022-02-01")]
    assert report.sheet == SheetReport(
        header_rows=[1, 2], title_rows=[], unmapped=["乙方/联系电话"], missing_required=[],
        missing_optional=["协议类型 (kind)", "签订日期 (signed_on)", "状态 (status)", *MORE_PARTIES,
                          "包含清单项 (items)"],
        skipped=[Skipped(4, "total", "小计"), Skipped(6, "total", "总计：2项"), Skipped(7, "note", "填表说明："),
                 Skipped(8, "note", "1. 日期写作2022-01-01"), Skipped(9, "note", "2. 单位写全称")])
    [a20] = await store.get_nodes(["AGR-20"])
    assert (a20.props["validFrom"], a20.props["validTo"]) == ("2022-01-01", "2022-12-31")
    parties = await store.related(["AGR-20"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.props["role"], r.node.id, r.props.get("signatory")) for r in parties) == [
        ("乙方", "ORG-TAX", "李局长"), ("甲方", "ORG-A1", "王书记")]


async def test_a_clean_file_with_a_footer_rejects_nothing(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "items.csv"
    path.write_text(_text([
        ["清单编号", "清单类型", "事项名称", "数量", "发布单位"],
        ["I-1", "需求", "电梯加装", "2", "ORG-A1"],
        ["I-2", "资源", "共享会议室", "1", "ORG-TAX"],
        ["合 计", "", "", "3", ""],
        ["备注：数量以台、间计"],
        ["制表人：", "王五", "", "审核人：", "李四"],
    ]), encoding="utf-8")
    report = await load_file(store, "items", path)
    assert (report.rows, report.created, report.rejected, report.rejects_file) == (2, 2, 0, None)
    assert report.sheet is not None
    assert report.sheet.skipped == [Skipped(4, "total", "合 计"), Skipped(5, "note", "备注：数量以台、间计"),
                                    Skipped(6, "signature", "制表人：")]
    assert report.sheet.unmapped == []
    assert report.as_dict()["sheet"]["skipped"][0] == {"row": 4, "what": "total", "text": "合 计"}


def test_a_clean_file_with_a_footer_exits_0(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio
    import os

    from service.cli import main
    from service.graph.embedded import EmbeddedStore

    for name in list(os.environ):
        if name.startswith("ALLIANCE_") and not name.startswith(("ALLIANCE_NEO4J_", "ALLIANCE_TEST_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))

    async def build() -> None:
        store = EmbeddedStore(tmp_path / "data")
        try:
            await store.migrate()
            await small_graph.build(store)
        finally:
            await store.close()

    asyncio.run(build())
    path = tmp_path / "items.csv"
    path.write_text(_text([["清单编号", "清单类型", "事项名称", "发布单位"], ["I-1", "需求", "电梯加装", "ORG-A1"],
                           ["合计", "1"]]), encoding="utf-8")
    assert main(["load", "items", str(path)]) == 0
    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, rejected 0" in out and "row 3 skipped (total): 合计" in out


async def test_a_missing_required_column_names_the_columns_not_recognised(store: GraphStore, tmp_path: Path) -> None:
    """乙方 qualifies its sub-headers: 乙方/全称 is not a documented name, so the report names it unmapped;
    parties may come from any party column or a 协议各方 cell (multi-party agreements), so no party column is
    required of the file: the row with one party is refused with the rule's reason."""
    path = _xlsx(tmp_path / "a.xlsx", [
        ["协议编号", "协议名称", "甲方", "乙方"],
        [None, None, None, "全称"],
        ["AGR-1", "x", "ORG-A1", "ORG-TAX"],
    ], ["A1:A2", "B1:B2", "C1:C2"])
    report = await load_file(store, "agreements", path)
    assert report.sheet is not None and report.sheet.unmapped == ["乙方/全称"]
    assert [(r.row, r.reason) for r in report.rejects] == [(3, "an agreement needs at least two parties")]


# encodings and delimiters -------------------------------------------------------------------------

ITEMS = [
    ["清单编号", "清单类型", "事项名称", "数量", "发布单位"],
    ["I-1", "需求", "电梯加装, 二单元", "2", "ORG-A1"],
    ["I-2", "资源", "𠮷祥会议室; 共享", "x", "ORG-TAX"],
    ["I-3", "项目", "义诊", "1", "区人民医院党委"],
]


ITEMS_NOT_IN_FILE = ["类别 (category)", "单位 (unit)", "状态 (status)", "发布日期 (published_on)",
                     "所属协议 (agreement)"]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-16-le", "\t"), ("utf-16-be", "\t"), ("gb18030", ","), ("utf-8", ";"), ("utf-8-sig", "\t")])
async def test_encodings_and_delimiters(store: GraphStore, tmp_path: Path, encoding: str, delimiter: str) -> None:
    """Excel's "Unicode text" is UTF-16 with a BOM, tab-separated; 𠮷 is outside GBK, inside GB18030."""
    await small_graph.build(store)
    path = tmp_path / "items.txt"
    body = _text(ITEMS, delimiter).encode(encoding)
    path.write_bytes(("\ufeff".encode(encoding) if encoding.startswith("utf-16") else b"") + body)
    report = await load_file(store, "items", path)
    assert (report.rows, report.created, report.rejected) == (3, 2, 1)
    assert [(r.row, r.column, r.reason) for r in report.rejects] == [(3, "数量", "quantity 'x' is not a number")]
    assert report.sheet == SheetReport(header_rows=[1], missing_optional=ITEMS_NOT_IN_FILE)
    [i1] = await store.get_nodes(["I-1"])
    assert i1.props["title"] == "电梯加装, 二单元"


def test_excel_sep_line_names_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("sep=;\r\n" + _text(ITEMS[:2], ";"), encoding="utf-8")
    assert list(read_records(path, "csv", lambda h: field_of("items", h))) == [
        (2, {"清单编号": "I-1", "清单类型": "需求", "事项名称": "电梯加装, 二单元", "数量": "2", "发布单位": "ORG-A1"})]


HEADER = "清单编号,清单类型,事项名称\r\n"


@pytest.mark.parametrize(("content", "message"), [
    (b"id,list,title\nI-1,NEED,caf\xe9\n",
     "bad.csv: not UTF-8, GB18030 or UTF-16 (bytes 0xe9 at offset 26)"),
    (HEADER.encode() + b"I-1,\x80\x80,x\r\n",
     "bad.csv: not UTF-8, GB18030 or UTF-16 (bytes 0x80 at offset 44)"),
    (b"\xef\xbb\xbf" + HEADER.encode("gb18030"),
     "bad.csv: starts with a UTF-8 byte-order mark but is not UTF-8 (bytes 0xc7 at offset 3)"),
    (b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00\xdc",
     "bad.csv: starts with a UTF-16 byte-order mark but is not UTF-16 (bytes 0x00 0xdc at offset 34)"),
    (b"\xff\xfe" + HEADER.encode("utf-16-le") + b"x",
     "bad.csv: starts with a UTF-16 byte-order mark but is not UTF-16 (bytes 0x78 at offset 34)"),
    (HEADER.encode("utf-16-le"),
     "bad.csv: a NUL byte at offset 9: UTF-16 text without a byte-order mark? Save it as CSV UTF-8 or Unicode text"),
    (b"\xff\xfe\x00\x00" + "id\n".encode("utf-32-le"),
     "bad.csv: UTF-32 text (byte-order mark 0xff 0xfe 0x00 0x00) is not read: save it as CSV UTF-8 or Unicode text"),
    (b"PK\x03\x04rest", "bad.csv: an XLSX workbook (zip), not text: name it .xlsx or pass --format xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
     "bad.csv: an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV UTF-8"),
], ids=["latin-1", "bad-gb18030", "bom-then-gbk", "utf16-lone-surrogate", "utf16-odd-length", "utf16-no-bom",
        "utf32", "xlsx-as-csv", "xls-as-csv"])
def test_an_unreadable_encoding_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    """Refused before the first row is read (so before anything is written: over HTTP below)."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as caught:
        next(read_records(path, "csv", lambda h: field_of("items", h)))
    assert str(caught.value) == message
    assert caught.value.code is ErrorCode.FILE_REJECTED


def test_an_old_xls_named_xlsx_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(FileRejected, match=r"^old.xlsx: an Excel 97-2003 workbook \(.xls\): save it as .xlsx$"):
        list(read_records(path, "xlsx", lambda h: field_of("items", h)))


# row numbers as the sheet shows them ------------------------------------------------------------

async def test_csv_rows_are_records_so_line_breaks_in_cells_do_not_shift_them(
        store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "items.csv"
    path.write_text(_text([
        ["2021年三张清单"],
        ["清单编号", "清单类型", "事项名称", "数量", "发布单位"],
        ["I-1", "需求", "电梯加装\n（二单元）\n急", "2", "ORG-A1"],  # one row of the sheet, three lines of the file
        [],
        ["I-2", "资源", "会议室", "-1", "ORG-TAX"],
        ["I-3", "资源", "车位\r\n二十个", "20", "不存在的单位"],
        ["I-4", "项目", "义诊", "x", "ORG-HOSP"],
    ]), encoding="utf-8")
    report = await load_file(store, "items", path)
    assert [(r.row, r.column) for r in report.rejects] == [(5, "数量"), (7, "数量"), (6, "发布单位")]
    assert (report.rows, report.created) == (4, 1)
    assert report.sheet == SheetReport(header_rows=[2], title_rows=[1], missing_optional=ITEMS_NOT_IN_FILE)
    [i1] = await store.get_nodes(["I-1"])
    assert i1.props["title"] == "电梯加装 （二单元） 急"  # line breaks in a name are spaces


async def test_xlsx_rows_are_the_sheet_s_own_numbers(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "清单编号", "清单类型", "事项名称", "数量"
    ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "I-1", "需求", "第一\n行", "x"
    ws["C9"], ws["D9"], ws["E9"], ws["F9"] = "I-2", "需求", "第二", -2
    wb.save(tmp_path / "items.xlsx")
    report = await load_file(store, "items", tmp_path / "items.xlsx")
    assert [(r.row, r.column) for r in report.rejects] == [(4, "数量"), (9, "数量")]
    assert report.sheet == SheetReport(header_rows=[3], missing_optional=[
        "类别 (category)", "单位 (unit)", "状态 (status)", "发布日期 (published_on)", "发布单位 (publisher)",
        "所属协议 (agreement)"])


# the documented names ---------------------------------------------------------------------------

def test_combined_names_map_through_the_documented_names() -> None:
    assert field_of("agreements", "有效期/生效日期") == "valid_from"
    assert field_of("agreements", "有效期/截止日期") == "valid_to"
    assert field_of("agreements", "甲方/单位") == "party_a"  # documented as 甲方单位
    assert field_of("agreements", "甲方/签字人") == "signatory_a"
    assert field_of("agreements", "协议信息/协议编号") == "id"  # a group naming no column does not change its sub
    assert field_of("agreements", "乙方/联系电话") is None  # 乙方 names a column: its sub-header is qualified
    assert field_of("agreements", "乙方/名称") == "party_b" and field_of("agreements", "乙方/全称") is None


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_documented_name_names_two_columns(kind: str) -> None:
    seen: dict[str, str] = {}
    for column in KINDS[kind].columns:
        for header in column.headers:
            key = _header_key(header)
            assert seen.setdefault(key, column.field) == column.field, f"{kind}: {header!r} names two columns"


def test_a_wide_merged_header_cell_does_not_take_the_first_data_row_as_a_sub_header(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "items.xlsx", [
        ["清单编号", "清单类型", "事项名称", None, "发布单位"],
        ["I-1", "需求", "电梯加装", None, "ORG-A1"],
    ], ["C1:D1", "C2:D2"])
    records = read_records(path, "xlsx", lambda h: field_of("items", h))
    assert list(records) == [(2, {"清单编号": "I-1", "清单类型": "需求", "事项名称": "电梯加装", "发布单位": "ORG-A1"})]
    assert records.layout is not None and records.layout.header_rows == [1]


async def test_over_http_unicode_text_loads_and_an_unknown_encoding_is_a_422(store: GraphStore) -> None:
    from tests.loaders.test_http import _client

    await small_graph.build(store)
    unicode_text = "\ufeff".encode("utf-16-le") + _text([*ITEMS[:2], ["合计", "", "", "2", ""]], "\t").encode(
        "utf-16-le")
    async with _client(store) as client:
        ok = await client.post("/import/items", files={"file": ("清单.txt", unicode_text, "text/plain")},
                               headers={"Authorization": "Bearer imp"})
        bad = await client.post("/import/items", files={"file": ("报表.csv", b"id,title\nI-1,caf\xe9\n", "text/csv")},
                                headers={"Authorization": "Bearer imp"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert (body["created"], body["rejected"]) == (1, 0)
    assert body["sheet"]["skipped"] == [{"row": 3, "what": "total", "text": "合计"}]
    assert bad.status_code == 422
    assert bad.json() == {"error": {"code": "FILE_REJECTED",
                                    "message": "报表.csv: not UTF-8, GB18030 or UTF-16 (bytes 0xe9 at offset 16)"}}


async def test_a_party_merged_down_over_several_agreements_is_each_one_s(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = _xlsx(tmp_path / "a.xlsx", [
        ["协议编号", "协议名称", "甲方", "甲方签字人", "乙方"],
        ["AGR-40", "协议四十", "ORG-A1", "王书记", "ORG-TAX"],
        ["AGR-41", "协议四十一", None, None, "ORG-HOSP"],
        ["AGR-42", "协议四十二", None, None, small_graph.ENTERPRISE],
        ["AGR-43", "协议四十三", None, None, "ORG-TAX"],
    ], ["C2:C4", "D2:D4"])
    report = await load_file(store, "agreements", path)
    assert [(r.row, r.reason) for r in report.rejects] == [(5, "an agreement needs at least two parties")]
    parties = await store.related(["AGR-40", "AGR-41", "AGR-42"], RelType.PARTY_TO, outgoing=False)
    assert sorted((r.source_id, r.node.id, r.props.get("signatory")) for r in parties if r.props["role"] == "甲方") == [
        ("AGR-40", "ORG-A1", "王书记"), ("AGR-41", "ORG-A1", "王书记"), ("AGR-42", "ORG-A1", "王书记")]


def test_a_group_row_above_the_first_header_row_joins_it(tmp_path: Path) -> None:
    """The first row naming two columns is the sub-header row; the group row above it qualifies 单位 and 签字人."""
    path = tmp_path / "agreements.csv"
    path.write_text(_text([
        ["共建协议台账"],
        ["", "", "甲方", "", "", ""],
        ["协议编号", "协议名称", "单位", "签字人", "乙方", "乙方签字人"],
        ["AGR-1", "协议一", "ORG-A1", "王书记", "ORG-TAX", "李局长"],
    ]), encoding="gb18030")
    records = read_records(path, "csv", lambda h: field_of("agreements", h))
    assert list(records) == [(4, {"协议编号": "AGR-1", "协议名称": "协议一", "甲方/单位": "ORG-A1",
                                  "甲方/签字人": "王书记", "乙方": "ORG-TAX", "乙方签字人": "李局长"})]
    assert records.layout is not None
    assert (records.layout.title_rows, records.layout.header_rows) == ([1], [2, 3])
