"""The service is stateless: several `alliance serve` processes on one store answer as one.

Two real servers per store, started as `alliance serve` subprocesses on free ports: one with
`--workers 2` (uvicorn's process manager, two worker processes behind one port) and one plain. They
must give the same answers, let exactly one of twenty concurrent claims on the last unit win however
the claims are split between them, and a write through one must reach the other's response cache (a
cached answer is keyed by the store's version token, which every write moves, whoever makes it)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.graph import causal
from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.neo4j_local import free_port
from tests.api.conftest import API_KEYS, KEYS
from tests.conftest import STORES
from tests.contract import small_graph

ALLIANCE = str(Path(sys.executable).with_name("alliance"))
ITEM = 'query($id: ID!) { node(id: $id) { ... on ListItem { id quantity claimed remaining } } }'
CLAIM = """mutation($id: ID!) { claimItem(itemId: "ITEM-P2", claimantId: "ORG-A1", quantity: 1, claimId: $id,
  on: "2024-06-01") { id created remaining } }"""
QUESTIONS = [
    ('query($id: ID!) { pairedUnits(organisationId: $id) { unit { ... on Organisation { id name } '
     '... on Enterprise { id name } } agreements { id status } } }', {"id": "ORG-A1"}),
    ('{ organisations(orderBy: NAME, first: 5) { totalCount edges { cursor node { id name kind } } } }', {}),
    ('{ listItems(where: {list: RESOURCE}) { totalCount nodes { id claimed remaining } } }', {}),
    ('query($id: ID!) { regionStats(regionId: $id) { total counts { label kind status count } } }',
     {"id": small_graph.DISTRICT}),
    ('{ search(text: "社区", first: 10) { __typename id } }', {}),
]


@dataclass
class Replicas:
    kind: str
    urls: tuple[str, str]  # the `--workers 2` server, the single-process one

    async def post(self, client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any],
                   role: str = "admin", token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {KEYS[role]}", **({causal.HEADER: token} if token else {})}
        return await client.post(f"{url}/graphql", json={"query": query, "variables": variables},
                                 headers=headers, timeout=30)

    async def ask(self, client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any],
                  role: str = "admin", token: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = (await self.post(client, url, query, variables, role, token)).json()
        return body


def _environment(kind: str, data_dir: Path, server: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_")}
    env.update(ALLIANCE_STORE=kind, ALLIANCE_API_KEYS=API_KEYS, ALLIANCE_ENVIRONMENT="test",
               ALLIANCE_DATA_DIR=str(data_dir))
    if server is not None:
        env.update(ALLIANCE_NEO4J_URI=server["uri"], ALLIANCE_NEO4J_USER=server["user"],
                   ALLIANCE_NEO4J_PASSWORD=server["password"], ALLIANCE_NEO4J_DATABASE=server["database"])
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)  # uvicorn's manager stops its workers on it
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the session this test started for it
        process.wait(timeout=5)


def _wait_healthy(urls: list[str], processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 90
    waiting = list(urls)
    while waiting:
        for p in processes:
            if p.poll() is not None:
                raise RuntimeError(f"a replica exited with status {p.returncode}")
        try:
            if httpx.get(f"{waiting[0]}/health", timeout=5).status_code == 200:
                waiting.pop(0)
                continue
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{waiting[0]} did not become healthy")
        time.sleep(0.2)


async def _seed(kind: str, data_dir: Path, server: dict[str, str] | None) -> None:
    store: GraphStore
    if server is None:
        store = EmbeddedStore(data_dir)
    else:
        store = Neo4jStore.connect(server["uri"], server["user"], server["password"], server["database"])
        await store.clear()
    try:
        await store.migrate()
        await small_graph.build(store)
    finally:
        await store.close()


@pytest.fixture(scope="module", params=STORES)
def replicas(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    kind = str(request.param)
    server = request.getfixturevalue("neo4j_server") if kind == "neo4j" else None
    folder = tmp_path_factory.mktemp(f"replicas-{kind}")
    data_dir = folder / "data"
    asyncio.run(_seed(kind, data_dir, server))
    env = _environment(kind, data_dir, server)
    ports = free_port(), free_port()
    commands = [[ALLIANCE, "serve", "--port", str(ports[0]), "--workers", "2"],
                [ALLIANCE, "serve", "--port", str(ports[1])]]
    # cwd: no stray .env file; a session of its own, so a stuck worker can be ended with its manager
    processes = [subprocess.Popen(c, env=env, cwd=folder, start_new_session=True, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for c in commands]
    urls = (f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
    try:
        _wait_healthy(list(urls), processes)
        yield Replicas(kind, urls)
    finally:
        for p in processes:
            _stop(p)


async def test_replicas_give_the_same_answers(replicas: Replicas) -> None:
    async with httpx.AsyncClient() as client:
        for query, variables in QUESTIONS:
            # each asked three times of each: once uncached, then admitted and served from each cache
            answers = [await replicas.ask(client, url, query, variables) for url in replicas.urls for _ in range(3)]
            assert "errors" not in answers[0] and answers[0]["data"], answers[0]
            assert all(a == answers[0] for a in answers), query


async def test_claims_race_across_replicas_and_writes_reach_every_cache(replicas: Replicas) -> None:
    first, second = replicas.urls
    async with httpx.AsyncClient() as client:
        for url in replicas.urls:
            for _ in range(4):  # past admission: cached in both workers of the first server, and in the second
                before = await replicas.ask(client, url, ITEM, {"id": "ITEM-P2"})
                assert before["data"]["node"] == {"id": "ITEM-P2", "quantity": 1.0, "claimed": 0.0, "remaining": 1.0}

        attempts = [replicas.ask(client, replicas.urls[n % 2], CLAIM, {"id": f"RACE-{n}"}, "importer")
                    for n in range(20)]
        outcomes = await asyncio.gather(*attempts)
        won = [o["data"]["claimItem"] for o in outcomes if o.get("data")]
        refused = [o["errors"][0]["extensions"]["code"] for o in outcomes if o.get("errors")]
        assert len(won) == 1 and won[0]["created"] and won[0]["remaining"] == 0.0, outcomes
        assert refused == ["ALREADY_CLAIMED"] * 19, refused

        for url in (second, first, second, first):  # no server answers from before the claim
            after = await replicas.ask(client, url, ITEM, {"id": "ITEM-P2"})
            assert after["data"]["node"]["remaining"] == 0.0, (url, after)

        # a write through one server only, then read from the other's cache with the write's bookmarks
        # (on a cluster the other server's reads wait for them; Neo4j only: the embedded store has none)
        claimed = await replicas.post(client, second, CLAIM.replace("ITEM-P2", "ITEM-P1"), {"id": "ONE-MORE"},
                                      "importer")
        token = claimed.headers.get(causal.HEADER)
        assert (token is not None) == (replicas.kind == "neo4j"), claimed.headers
        for _ in range(3):
            moved = await replicas.ask(client, first, ITEM, {"id": "ITEM-P1"}, token=token)
            assert moved["data"]["node"]["claimed"] == 1.0, moved
