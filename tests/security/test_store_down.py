"""Failures fast and quiet: with Neo4j gone every request answers STORE_UNAVAILABLE within a second,
saying nothing about where the database is or what the driver saw, and answers resume within two
seconds of its return.

The service talks to a real Neo4j (the session's server) through a relay the test cuts (tests/
security/outage.py): a refused port with every open connection reset, as a stopped server looks,
and a port that accepts and never answers, as a starting or frozen one looks. Only this test's
connections are cut; the database keeps serving the rest of the suite."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.graph.neo4j import Neo4jStore
from service.settings import Settings
from tests.contract import small_graph
from tests.security.outage import Relay

pytestmark = pytest.mark.skipif("neo4j" not in os.environ.get("ALLIANCE_TEST_STORES", "embedded,neo4j").split(","),
                                reason="the Neo4j side is not asked for (ALLIANCE_TEST_STORES)")

DOWN_WITHIN = 1.0  # s, each request while the store is gone
BACK_WITHIN = 2.0  # s, from the store's return to the first answer
REQUESTS = (  # (method, path, GraphQL query): reads of several kinds, a write, the REST endpoints
    ("POST", "/graphql", "{ organisations(first: 5) { totalCount nodes { id name } } }"),
    ("POST", "/graphql", '{ node(id: "ORG-A1") { id } }'),
    ("POST", "/graphql", '{ search(text: "社区") { id } }'),
    ("POST", "/graphql", '{ regionStats(regionId: "650106") { total } }'),
    ("POST", "/graphql", 'mutation { upsertOrganisations(rows: [{id: "ORG-X", name: "新党支部", kind: COMMUNITY, '
                         'level: BRANCH}]) { created updated unchanged } }'),
    ("GET", "/health", None),
    ("GET", "/export/nodes.csv", None),
)
LEAKS = ("127.0.0.1", "localhost", "bolt", "Bolt", "ServiceUnavailable", "SessionExpired", "Traceback",
         "Couldn't connect", "Failed to", "errno", "Errno", "socket", ".py")


@pytest.fixture
async def relay(neo4j_server: dict[str, str]) -> AsyncIterator[Relay]:
    host_port = neo4j_server["uri"].split("://", 1)[1]
    host, port = host_port.rsplit(":", 1)
    link = Relay(host, int(port))
    await link.start()
    try:
        yield link
    finally:
        await link.close()


@pytest.fixture
async def client(relay: Relay, neo4j_server: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    direct = Neo4jStore.connect(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"],
                                neo4j_server["database"])
    try:
        await direct.clear()
        await direct.migrate()
        await small_graph.build(direct)
    finally:
        await direct.close()
    store = Neo4jStore.connect(relay.uri, neo4j_server["user"], neo4j_server["password"], neo4j_server["database"])
    settings = Settings(api_keys=SecretStr("k-admin:admin"), environment="test")
    app = create_app(settings, store=store)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test",
        headers={"Authorization": "Bearer k-admin"}, timeout=30,
    ) as http:
        yield http


async def _ask(http: httpx.AsyncClient, method: str, path: str, query: str | None) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    if method == "POST":
        response = await http.post(path, json={"query": query})
    else:
        response = await http.get(path)
    return time.monotonic() - started, response


def _code(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None  # an export's file
    body: Any = response.json()
    if "errors" in body:
        return str(body["errors"][0]["extensions"]["code"])
    if "error" in body:
        return str(body["error"]["code"])
    return None


async def _all_refused_fast(http: httpx.AsyncClient, rounds: int = 2) -> None:
    for _ in range(rounds):
        answers = await asyncio.gather(*(_ask(http, *request) for request in REQUESTS))
        for (method, path, query), (took, response) in zip(REQUESTS, answers, strict=True):
            what = f"{method} {path} {query or ''}"
            assert response.status_code == 503, (what, response.status_code, response.text)
            assert _code(response) == "STORE_UNAVAILABLE", (what, response.text)
            assert took < DOWN_WITHIN, (what, f"{took:.2f} s")
            leaked = [word for word in LEAKS if word in response.text]
            assert not leaked, (what, leaked, response.text)


async def _back_within(http: httpx.AsyncClient, since: float) -> float:
    """Seconds from `since` until every kind of request answers again."""
    while time.monotonic() - since < BACK_WITHIN + 5:
        answers = await asyncio.gather(*(_ask(http, *request) for request in REQUESTS))
        if all(response.status_code == 200 and _code(response) is None for _, response in answers):
            return time.monotonic() - since
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answers {BACK_WITHIN + 5:.0f} s after the store returned")


async def test_a_stopped_store_is_refused_fast_and_quietly_and_answers_resume(
    relay: Relay, client: httpx.AsyncClient
) -> None:
    for request in REQUESTS:  # pooled connections exist when the store goes
        _, response = await _ask(client, *request)
        assert response.status_code == 200 and _code(response) is None, (request, response.text)

    await relay.refuse()
    await _all_refused_fast(client)
    await relay.restore()
    back = await _back_within(client, time.monotonic())
    assert back < BACK_WITHIN, f"answers resumed {back:.2f} s after the store returned"


async def test_a_store_that_accepts_and_never_answers_is_refused_within_a_second(
    relay: Relay, client: httpx.AsyncClient
) -> None:
    _, response = await _ask(client, *REQUESTS[0])
    assert response.status_code == 200, response.text

    await relay.mute()
    await _all_refused_fast(client)
    await relay.restore()
    back = await _back_within(client, time.monotonic())
    assert back < BACK_WITHIN, f"answers resumed {back:.2f} s after the store returned"
