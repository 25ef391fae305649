"""GraphQL latency at the HTTP boundary: pairedUnits and a 50-item listItems page with totalCount.

    .venv/bin/python bench/bench_graphql.py --store embedded --scale 10
    ALLIANCE_NEO4J_URI=bolt://127.0.0.1:7687 ALLIANCE_NEO4J_PASSWORD=... \
        .venv/bin/python bench/bench_graphql.py --store neo4j --scale 10

Loads the urumqi-etdz demo into an empty store (Neo4j: the graph is CLEARED), serves the app with
uvicorn on a loopback port, and measures one client (p50/p99) and N concurrent clients (req/s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.app import create_app
from service.demo import generate, load_dataset
from service.graph.store import GraphStore, Query
from service.model import Label
from service.settings import Settings

KEY = "bench-key"
PAIRED = """query($id: ID!) { pairedUnits(organisationId: $id) {
  unit { ... on Organisation { id name kind } ... on Enterprise { id name } } agreements { id title status } } }"""
ITEMS = """query($after: String) { listItems(first: 50, after: $after, where: {list: RESOURCE, unclaimed: true}) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id title category quantity remaining } } }"""


async def open_store(kind: str) -> GraphStore:
    if kind == "embedded":
        from service.graph.embedded_store import EmbeddedStore

        return EmbeddedStore(Path(tempfile.mkdtemp(prefix="bench-gql-")) / "data")
    from service.graph.neo4j_store import Neo4jStore

    env = os.environ
    store = Neo4jStore.connect(env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                               env["ALLIANCE_NEO4J_PASSWORD"], env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
    await store.clear()
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(client: httpx.AsyncClient, query: str, variables: list[dict[str, Any]], n: int) -> list[float]:
    times = []
    for i in range(n):
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": variables[i % len(variables)]})
        times.append((time.perf_counter() - started) * 1000)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"request failed: {response.status_code} {body}")
    return times


async def throughput(url: str, query: str, variables: list[dict[str, Any]], clients: int, seconds: float) -> float:
    done = 0
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {KEY}"}

    async def worker(k: int) -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
            i = k
            while time.perf_counter() < deadline:
                await client.post("/graphql", json={"query": query, "variables": variables[i % len(variables)]})
                done += 1
                i += clients

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    return done / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    store = await open_store(args.store)
    await store.migrate()
    started = time.perf_counter()
    await load_dataset(store, generate("urumqi-etdz", args.scale))
    print(f"loaded urumqi-etdz x{args.scale} into {args.store} in {time.perf_counter() - started:.1f}s")
    communities = await store.list_nodes(Query(Label.ORGANISATION, first=200))
    org_ids = [{"id": n.id} for n in communities.items if n.props.get("kind") in ("COMMUNITY", "AGENCY")] or [
        {"id": n.id} for n in communities.items]
    cursors: list[dict[str, Any]] = [{"after": None}]

    port = free_port()
    app = create_app(Settings(api_keys=SecretStr(f"{KEY}:analyst"), environment="production"), store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as client:
            page = (await client.post("/graphql", json={"query": ITEMS, "variables": {}})).json()["data"]["listItems"]
            if page["pageInfo"]["endCursor"]:
                cursors.append({"after": page["pageInfo"]["endCursor"]})
            for name, query, variables in (("pairedUnits", PAIRED, org_ids), ("listItems(50)", ITEMS, cursors)):
                await measure(client, query, variables, 20)  # warm-up
                times = await measure(client, query, variables, args.requests)
                rate = await throughput(url, query, variables, args.clients, args.seconds)
                print(f"{args.store:9} {name:14} p50 {statistics.median(times):6.1f} ms  p99 {pct(times, 0.99):6.1f} ms"
                      f"  {rate:6.0f} req/s with {args.clients} clients")
    finally:
        server.should_exit = True
        await serving
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
