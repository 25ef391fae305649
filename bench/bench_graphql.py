"""GraphQL at the HTTP boundary: pairedUnits and a 50-item listItems page with totalCount.

    .venv/bin/python -m bench.bench_graphql --store embedded --scale 10
    .venv/bin/python -m bench.bench_graphql --store neo4j --scale 10      # a local Neo4j is started
    ALLIANCE_NEO4J_URI=… ALLIANCE_NEO4J_PASSWORD=… .venv/bin/python -m bench.bench_graphql --store neo4j

Loads the urumqi-etdz demo into an empty store (Neo4j: the graph is CLEARED), starts
`alliance serve --workers N` as its own process, and drives it with wrk (C, from Debian's
package `wrk`) so the load generator costs little of the two cores: one connection for latency
(p50/p99 from wrk's histogram) and 16 for throughput. Each request rotates over several
organisations / cursors so no answer is served twice in a row.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import wrk as wrk_tool
from bench.common import free_port, local_neo4j
from service.demo import generate, load_dataset
from service.graph.port import GraphStore
from service.graph.types import Query
from service.model import Label

KEY = "bench-key"
PAIRED = """query($id: ID!) { pairedUnits(organisationId: $id) {
  unit { ... on Organisation { id name kind } ... on Enterprise { id name } } agreements { id title status } } }"""
ITEMS = """query($after: String) { listItems(first: 50, after: $after, where: {list: RESOURCE, unclaimed: true}) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id title category quantity remaining } } }"""

def wrk(url: str, bodies: list[str], connections: int, seconds: float) -> dict[str, float]:
    result = wrk_tool.run(url, "/graphql", KEY, bodies, connections, seconds)
    if result.failed:
        raise RuntimeError(f"wrk saw {result.failed} failed requests of {result.requests}")
    return {"p50": result.p50, "p99": result.p99, "rate": result.rate}


async def open_store(kind: str, data_dir: Path, env: dict[str, str]) -> GraphStore:
    if kind == "embedded":
        from service.graph.embedded import EmbeddedStore

        return EmbeddedStore(data_dir)
    from service.graph.neo4j import Neo4jStore

    store = Neo4jStore.connect(env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                               env["ALLIANCE_NEO4J_PASSWORD"], env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
    await store.clear()
    return store


async def prepare(kind: str, scale: int, data_dir: Path, env: dict[str, str]) -> list[str]:
    store = await open_store(kind, data_dir, env)
    try:
        await store.migrate()
        started = time.perf_counter()
        await load_dataset(store, generate("urumqi-etdz", scale))
        print(f"loaded urumqi-etdz x{scale} into {kind} in {time.perf_counter() - started:.1f}s", flush=True)
        orgs = await store.list_nodes(Query(Label.ORGANISATION, first=500))
        return [n.id for n in orgs.items if n.props.get("kind") == "COMMUNITY"][:20]
    finally:
        await store.close()


async def cursors(url: str) -> list[str | None]:
    found: list[str | None] = [None]
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as client:
        for _ in range(7):
            body = {"query": ITEMS, "variables": {"after": found[-1]}}
            page = (await client.post("/graphql", json=body)).json()["data"]["listItems"]
            if not page["pageInfo"]["hasNextPage"]:
                break
            found.append(page["pageInfo"]["endCursor"])
    return found


def serve(
    kind: str, data_dir: Path, env: dict[str, str], workers: int, cache: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    child_env = {**os.environ, **env, "ALLIANCE_STORE": kind, "ALLIANCE_DATA_DIR": str(data_dir),
                 "ALLIANCE_API_KEYS": f"{KEY}:analyst", "ALLIANCE_ENVIRONMENT": "production",
                 "ALLIANCE_RESPONSE_CACHE": str(cache)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the service did not become healthy in 120 s")


async def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-gql-")) / "data"
    org_ids = await prepare(args.store, args.scale, data_dir, env)
    try:
        # the baseline first: the same server with its response cache turned off
        for cache in (0, 1024):
            proc, url = serve(args.store, data_dir, env, args.workers, cache)
            try:
                await measure(args, url, org_ids, "cache off" if cache == 0 else "cache on ")
            finally:
                proc.terminate()
                proc.wait(30)
    finally:
        shutil.rmtree(data_dir.parent, ignore_errors=True)


async def measure(args: argparse.Namespace, url: str, org_ids: list[str], label: str) -> None:
    pages = await cursors(url)
    cases = {
        "pairedUnits": [json.dumps({"query": PAIRED, "variables": {"id": i}}) for i in org_ids],
        "listItems(50)": [json.dumps({"query": ITEMS, "variables": {"after": c}}) for c in pages],
    }
    for name, bodies in cases.items():
        wrk(url, bodies, 1, 2)  # warm-up: query plans, parser caches, the response cache's second sight
        single = wrk(url, bodies, 1, args.seconds)
        many = wrk(url, bodies, args.clients, args.seconds)
        print(f"{args.store:9} {name:14} {label}  workers {args.workers}  one client: p50 {single['p50']:6.2f} ms"
              f"  p99 {single['p99']:6.2f} ms;  {args.clients} clients: {many['rate']:6.0f} req/s"
              f"  p99 {many['p99']:6.1f} ms", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    if args.store == "neo4j" and not os.environ.get("ALLIANCE_NEO4J_URI"):
        with local_neo4j() as env:
            asyncio.run(run(args, env))
    else:
        asyncio.run(run(args, {k: v for k, v in os.environ.items() if k.startswith("ALLIANCE_NEO4J_")}))


if __name__ == "__main__":
    main()
