"""The import history: every file loaded over HTTP or by `alliance load` is an Import node (name, sha256, key
fingerprint, time, counts), listed by the `imports` query for importer and admin keys and by `alliance imports`;
an HTTP import's rejects file is downloadable by the key that uploaded it, by no other. Both stores."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from loaders.history import CLI_KEY, list_imports, record_import
from service.app import create_app
from service.auth import key_id
from service.cli import main
from service.gate import StoreGate
from service.graph.port import GraphStore
from service.graph.types import Query
from service.model import Label
from service.settings import Settings
from tests.contract import small_graph

CSV = "清单编号,清单类型,事项名称,数量,发布单位\nI-1,需求,电梯,1,ORG-A1\nI-2,其他,x,1,ORG-A1\n".encode()
IMPORTS = ("{ imports(first: 10) { edges { node { id file sha256 kind keyId written rows created rejected "
           "rejectsFile } } } }")


def _client(store: GraphStore, data_dir: Path) -> httpx.AsyncClient:
    keys = SecretStr("imp:importer,imp2:importer,view:viewer,adm:admin")
    app = create_app(Settings(api_keys=keys, environment="test", data_dir=data_dir), store=store)
    app.state.gate = StoreGate(store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_an_http_import_is_recorded_and_its_rejects_downloadable_by_its_key(
        store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    async with _client(store, tmp_path / "data") as client:
        r = await client.post("/import/items", files={"file": ("清单.csv", CSV, "text/csv")}, headers=_auth("imp"))
        assert r.status_code == 200, r.text
        body = r.json()
        import_id = body["import_id"]
        assert body["rejects_file"] == f"/import/{import_id}/rejects" and body["written"] is True

        got = await client.get(body["rejects_file"], headers=_auth("imp"))
        assert got.status_code == 200, got.text
        text = got.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("清单编号,清单类型") and "I-2" in text and "I-1" not in text
        assert (await client.get(body["rejects_file"], headers=_auth("imp2"))).status_code == 403
        assert (await client.get(body["rejects_file"], headers=_auth("view"))).status_code == 403  # not an importer
        assert (await client.get("/import/IMP-NOPE/rejects", headers=_auth("imp"))).status_code == 404

        listed = await client.post("/graphql", json={"query": IMPORTS}, headers=_auth("adm"))
        [node] = [e["node"] for e in listed.json()["data"]["imports"]["edges"]]
        assert node == {"id": import_id, "file": "清单.csv", "sha256": hashlib.sha256(CSV).hexdigest(),
                        "kind": "items", "keyId": key_id("imp"), "written": True, "rows": 2, "created": 1,
                        "rejected": 1, "rejectsFile": f"{import_id}.rejects.csv"}
        assert "imp" not in node["keyId"].removeprefix("key-")  # a fingerprint, not the key
        refused = await client.post("/graphql", json={"query": IMPORTS}, headers=_auth("view"))
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        hidden = await client.post("/graphql", json={"query": f'{{ node(id: "{import_id}") {{ id }} }}'},
                                   headers=_auth("view"))
        assert hidden.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

        # a strict import that refuses the file is recorded as written: false, with what it would have done
        strict = await client.post("/import/items?strict=true", files={"file": ("清单2.csv", CSV, "text/csv")},
                                   headers=_auth("imp2"))
        assert strict.json()["written"] is False
    page = await list_imports(store)
    assert [n.get("file") for n in page.items] == ["清单2.csv", "清单.csv"]  # newest first
    assert page.items[0].get("written") is False and page.items[0].get("keyId") == key_id("imp2")


def test_alliance_load_records_cli_imports_and_lists_them(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,层级\n650100,乌鲁木齐市,市\n650101,x,不存在\n", encoding="utf-8")
    assert main(["load", "regions", str(path)]) == 1
    assert main(["load", "regions", str(tmp_path / "missing.csv")]) == 2
    capsys.readouterr()
    assert main(["imports"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2, lines
    assert "missing.csv" in lines[0] and "refused" in lines[0] and f"by {CLI_KEY}" in lines[0]
    assert "regions.csv" in lines[1] and "2 rows: created 1" in lines[1] and "rejected 1" in lines[1]
    assert hashlib.sha256(path.read_bytes()).hexdigest()[:12] in lines[1]


def test_imports_are_in_no_region() -> None:
    from service.registry import label_spec, region_paths

    assert label_spec(Label.IMPORT).region_path is None
    assert all(Label.IMPORT not in p.labels for p in region_paths())


async def test_an_import_is_in_no_region_scope(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "x.csv"
    path.write_bytes(CSV)
    row = await record_import(store, path=path, name="x.csv", kind="items", key_id=CLI_KEY)
    assert [n.id for n in (await list_imports(store)).items] == [row["id"]]
    scoped = await store.list_nodes(Query(Label.IMPORT, region_id=small_graph.STREET_A, first=10))
    assert scoped.items == []
