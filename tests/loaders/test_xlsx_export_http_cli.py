"""`GET /export/xlsx/{kind}` and `alliance export`: the file, its type and name, masking by role and region
scope; an exported file edited and loaded back with `alliance load`."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from openpyxl import load_workbook
from pydantic import SecretStr

from loaders.export import MASKED
from service.app import create_app
from service.cli import main
from service.gate import StoreGate
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.settings import Settings
from tests.contract import small_graph

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(store: GraphStore) -> httpx.AsyncClient:
    keys = SecretStr(f"adm:admin,view:viewer,imp:importer,street:analyst:{small_graph.STREET_B}")
    app = create_app(Settings(api_keys=keys, environment="test"), store=store)
    app.state.gate = StoreGate(store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _rows(body: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(body)).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


async def test_the_endpoint_serves_the_xlsx_masked_by_role(store: GraphStore) -> None:
    await small_graph.build(store)
    async with _client(store) as client:
        admin = await client.get("/export/xlsx/agreements", headers={"Authorization": "Bearer adm"})
        viewer = await client.get("/export/xlsx/agreements", headers={"Authorization": "Bearer view"})
    assert admin.status_code == 200 and viewer.status_code == 200, admin.text + viewer.text
    assert admin.headers["content-type"] == XLSX
    assert admin.headers["content-disposition"] == (
        "attachment; filename=\"alliance-agreements.xlsx\"; filename*=UTF-8''alliance-agreements.xlsx")
    seen, masked = _rows(admin.content), _rows(viewer.content)
    assert "甲方签字人" in seen[0] and "甲方签字人" + MASKED in masked[0] and "甲方签字人" not in masked[0]
    agr1 = {r[0]: r for r in seen[1:]}["AGR-1"]
    assert agr1[seen[0].index("甲方签字人")] == "王书记"
    assert {r[0]: r for r in masked[1:]}["AGR-1"][masked[0].index("甲方签字人" + MASKED)] == "王**"
    assert b"\xe7\x8e\x8b\xe4\xb9\xa6\xe8\xae\xb0" not in viewer.content  # 王书记 nowhere in the viewer's file


async def test_a_region_key_exports_its_region_only(store: GraphStore) -> None:
    await small_graph.build(store)
    street = {"Authorization": "Bearer street"}
    async with _client(store) as client:
        own = await client.get("/export/xlsx/agreements", headers=street)
        outside = await client.get("/export/xlsx/agreements", params={"regionId": small_graph.STREET_A}, headers=street)
    assert own.status_code == 200
    assert [r[0] for r in _rows(own.content)[1:]] == ["AGR-3", "AGR-4"]
    assert f"alliance-agreements-{small_graph.STREET_B}.xlsx" in own.headers["content-disposition"]
    assert outside.status_code == 403 and small_graph.STREET_A in outside.text


async def test_refusals_and_a_safe_file_name_for_any_region_id(store: GraphStore) -> None:
    await small_graph.build(store)
    odd = 'x"; evil=1\r\nX-Injected: 1 区划'
    async with _client(store) as client:
        assert (await client.get("/export/xlsx/items")).status_code == 401
        unknown = await client.get("/export/xlsx/members", headers={"Authorization": "Bearer adm"})
        assert unknown.status_code == 404 and "items, agreements" in unknown.text
        r = await client.get("/export/xlsx/items", params={"regionId": odd}, headers={"Authorization": "Bearer imp"})
    assert r.status_code == 200 and "x-injected" not in r.headers
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="alliance-items-x__') and "\r" not in disposition
    assert disposition.endswith("filename*=UTF-8''" + quote(f"alliance-items-{odd}.xlsx", safe=""))
    assert _rows(r.content)[1:] == []  # no such region: nothing in it


def _embedded(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_dir))


async def test_alliance_export_then_edit_then_alliance_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    store = EmbeddedStore(data)
    await store.migrate()
    await small_graph.build(store)
    await store.close()
    _embedded(monkeypatch, data)
    out = tmp_path / "协议.xlsx"
    assert await _main(["export", "agreements", "--region", small_graph.STREET_B, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert f"wrote {out}: 2 agreements; masked: 甲方签字人, 乙方签字人" in printed.out
    assert "using the embedded store" in printed.err
    rows = _rows(out.read_bytes())
    assert [r[0] for r in rows[1:]] == ["AGR-3", "AGR-4"] and "甲方签字人" + MASKED in rows[0]

    assert await _main(["export", "agreements", "--role", "admin", "--out", str(out)]) == 0
    capsys.readouterr()
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    status = [c.value for c in ws[1]].index("状态") + 1
    [agr4] = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "AGR-4"]
    assert ws.cell(agr4, status).value == "生效"
    ws.cell(agr4, status).value = "已终止"
    wb.save(out)
    assert await _main(["load", "agreements", str(out)]) == 0
    assert "created 0, updated 1, unchanged 3, rejected 0" in capsys.readouterr().out
    store = EmbeddedStore(data)
    try:
        node = await store.get_node("AGR-4")
        assert node is not None and node.props["status"] == "TERMINATED"
    finally:
        await store.close()

    assert await _main(["export", "agreements", "--region", "nowhere", "--out", str(out)]) == 1
    assert "no region 'nowhere'" in capsys.readouterr().err


async def _main(argv: list[str]) -> int:
    """The command line runs its own event loop: off this test's."""
    import asyncio

    return await asyncio.to_thread(main, argv)
