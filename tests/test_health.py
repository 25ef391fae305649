"""GET /health: 200 while the store answers, 503 with the reason when it does not; the service
starts while Neo4j is down and recovers when it returns."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
from pydantic import SecretStr

from service.app import create_app
from service.gate import StoreGate, wait_for_store
from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.settings import Settings


async def _health(store: GraphStore) -> httpx.Response:
    app = create_app(Settings(api_keys=SecretStr("k:admin")), store=store)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/health")


async def test_health_answers_200_on_a_live_store(store: GraphStore) -> None:
    response = await _health(store)
    assert response.status_code == 200 and response.json()["status"] == "ok"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_health_answers_503_with_the_reason_when_neo4j_is_down() -> None:
    down = Neo4jStore.connect(f"bolt://127.0.0.1:{_closed_port()}", "neo4j", "whatever")
    gate = StoreGate(down)
    await wait_for_store(gate, attempts=1, delay=0)  # logs the outage, does not raise
    response = await _health(down)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["error"]["code"] == "STORE_UNAVAILABLE"
    assert "Neo4j is not answering" in body["error"]["message"]


async def test_gate_recovers_when_the_store_returns(tmp_path: Path) -> None:
    class Flaky(EmbeddedStore):
        down = True

        async def migrate(self) -> list[str]:
            if self.down:
                from service.errors import StoreUnavailable

                raise StoreUnavailable("not yet")
            return await super().migrate()

    store = Flaky(tmp_path)
    gate = StoreGate(store)
    await wait_for_store(gate, attempts=1, delay=0)
    store.down = False
    assert await gate.ready() is store
