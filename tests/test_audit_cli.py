"""The audit trail from the command line, on both stores: `alliance load` and `alliance keys` leave records in
the name of the OS user, `alliance audit` exports them (JSON lines, XLSX) and is recorded itself, and
`alliance audit prune` is the one deletion."""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from service.audit import AuditQuery
from service.cli import main
from service.graph.port import GraphStore
from service.keys import key_id_of
from tests.contract import small_graph

CLI = "cli:" + getpass.getuser()


pytestmark = pytest.mark.usefixtures("cli_on_store")


async def _alliance(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))  # the CLI runs its own event loop
    out, err = capsys.readouterr()
    return code, out, err


async def _records(store: GraphStore, operation: str) -> list[dict[str, Any]]:
    return [n.props for n in (await store.audit_log(AuditQuery(operation=operation, first=100))).items]


async def test_cli_loads_and_key_changes_are_recorded_and_exported(
    store: GraphStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    await small_graph.build(store)
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,层级\n650100,乌鲁木齐市,市\n650101,x,不存在\n", encoding="utf-8")
    assert (await _alliance(capsys, "load", "regions", str(path)))[0] == 1  # one row rejected
    assert (await _alliance(capsys, "load", "regions", str(tmp_path / "missing.csv")))[0] == 2
    loaded, refused = sorted(await _records(store, "import:regions"), key=lambda r: r["outcome"])[::-1]
    assert (loaded["outcome"], refused["outcome"]) == ("OK", "FILE_REJECTED")  # one record each
    for record in (loaded, refused):
        assert record["keyId"] == CLI and record["role"] == "admin"
        [import_id] = record["ids"]
        assert (await store.get_node(import_id)) is not None  # the Import node it committed with

    code, secret, _ = await _alliance(capsys, "keys", "create", "--role", "viewer")
    key = key_id_of(secret.strip())
    assert code == 0 and key
    assert (await _alliance(capsys, "keys", "revoke", key))[0] == 0
    [created] = await _records(store, "keys.create")
    [revoked] = await _records(store, "keys.revoke")
    assert created["ids"] == [key] and revoked["ids"] == [key] and created["keyId"] == CLI
    assert secret.strip() not in json.dumps([created, revoked])

    code, out, _ = await _alliance(capsys, "audit", "--key", CLI, "--operation", "keys.create")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in lines] == [created["id"]] and lines[0]["ids"] == [key]
    xlsx = tmp_path / "audit.xlsx"
    assert (await _alliance(capsys, "audit", "--entity", key, "--format", "xlsx", "--out", str(xlsx)))[0] == 0
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "at", "keyId") and {r[5] for r in rows[1:]} == {"keys.create", "keys.revoke"}
    assert len(await _records(store, "audit.export")) == 2  # reading the trail is recorded too

    code, _, err = await _alliance(capsys, "audit", "prune")
    assert code == 2 and "ALLIANCE_AUDIT_RETENTION_DAYS" in err
    code, _, err = await _alliance(capsys, "audit", "prune", "--days", "30")
    assert code == 0 and "deleted 0 audit records" in err  # all are recent
    [pruned] = await _records(store, "audit.prune")
    assert pruned["keyId"] == CLI and pruned["outcome"] == "OK"
