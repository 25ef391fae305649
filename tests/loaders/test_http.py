"""POST /import/{kind}: importer and admin keys only, the same report as `alliance load --json`."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from service.app import create_app
from service.gate import StoreGate
from service.graph.port import GraphStore
from service.settings import Settings
from tests.contract import small_graph

CSV = "清单编号,清单类型,事项名称,数量,发布单位\nI-1,需求,电梯,1,ORG-A1\nI-2,其他,x,1,ORG-A1\n".encode()


def _client(store: GraphStore) -> httpx.AsyncClient:
    keys = SecretStr(f"imp:importer,view:viewer,street:importer:{small_graph.STREET_A}")
    app = create_app(Settings(api_keys=keys, environment="test"), store=store)
    app.state.gate = StoreGate(store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_import_returns_the_report(store: GraphStore) -> None:
    await small_graph.build(store)
    async with _client(store) as client:
        r = await client.post("/import/items", files={"file": ("清单.csv", CSV, "text/csv")},
                              headers={"Authorization": "Bearer imp"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["file"], body["created"], body["rejected"]) == ("清单.csv", 1, 1)
    assert body["rejects"][0]["column"] == "清单类型" and body["rejects"][0]["row"] == 3
    assert await store.get_node("I-1") is not None


async def test_import_needs_an_importer_key(store: GraphStore) -> None:
    async with _client(store) as client:
        files = {"file": ("x.csv", CSV, "text/csv")}
        assert (await client.post("/import/items", files=files)).status_code == 401
        viewer = await client.post("/import/items", files=files, headers={"Authorization": "Bearer view"})
        assert viewer.status_code == 403
        unknown = await client.post("/import/nothing", files=files, headers={"Authorization": "Bearer imp"})
        assert unknown.status_code == 404


async def test_a_region_scoped_importer_key_loads_only_its_regions_rows(store: GraphStore) -> None:
    """A street's importer: the row published by a unit of its street loads, the one published by a unit
    of the other street is a rejected row naming the reason; the file is not refused whole."""
    await small_graph.build(store)
    csv = "清单编号,清单类型,事项名称,数量,发布单位\nI-1,需求,电梯,1,ORG-A1\nI-3,需求,义诊,1,ORG-HOSP\n".encode()
    async with _client(store) as client:
        r = await client.post("/import/items", files={"file": ("x.csv", csv, "text/csv")},
                              headers={"Authorization": "Bearer street"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["created"], body["rejected"]) == (1, 1)
    reject = body["rejects"][0]
    assert reject["row"] == 3 and "outside the key's region" in reject["reason"] and "ORG-HOSP" in reject["reason"]
    assert await store.get_node("I-1") is not None and await store.get_node("I-3") is None
