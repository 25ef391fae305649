"""Listings on Neo4j before and after the statement variants (issue 17, part 2): PROFILE db hits of
each question's statements, and the uncached GraphQL wall time, old code against new, alternated.

    git archive <base-commit> service | tar -x -C /tmp/listing-base      # the code to compare against
    .venv/bin/alliance demo --profile urumqi-etdz --scale 10 --no-analyze   # into the Neo4j named below
    set -a; . .neo4j/test/env; set +a
    .venv/bin/python -m bench.bench_listings --base /tmp/listing-base --rounds 5

Reads only: the Neo4j must already hold the demo. Each code tree runs in its own process (the
base tree first on sys.path, this checkout's `bench` after it), so both measure the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, LiteralString, cast

import httpx
import neo4j

from service.graph.neo4j import Neo4jStore
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.types import ItemQuery, Query
from service.model import Label

HERE = Path(__file__).resolve().parents[1]
KEY = "bench-key"
SEARCH_TEXT = "社区"

GRAPHQL = {
    "organisations": ("query { organisations(first: 50, orderBy: NAME) { totalCount nodes { id name kind } } }",
                      {}),
    "listItems": ("query { listItems(first: 50, where: {list: RESOURCE, unclaimed: true}) "
                  "{ totalCount nodes { id title category quantity remaining } } }", {}),
    "search": ('query($t: String!) { search(text: $t, first: 20) { __typename ... on Organisation { id name } } }',
               {"t": SEARCH_TEXT}),
    "pairedUnits": ("query($id: ID!) { pairedUnits(organisationId: $id) { agreements { id } } }", {}),
}


class ProfilingExecutor(Neo4jExecutor):
    """Runs every read as PROFILE and adds up its db hits (writes are not expected here)."""

    hits = 0

    async def run(self, query: LiteralString, params: Mapping[str, Any] | None = None, *, write: bool = False,
                  tx: Transaction | None = None) -> list[neo4j.Record]:
        async with self._driver.session(database=self._database) as session:
            result = await session.run("PROFILE " + query, dict(params or {}))
            records = [r async for r in result]
            summary = await result.consume()
        self.hits += _db_hits(summary.profile or {})
        return records


def _db_hits(plan: Mapping[str, Any]) -> int:
    own = int(plan.get("dbHits", plan.get("args", {}).get("DbHits", 0)))
    return own + sum(_db_hits(child) for child in plan.get("children", []))


async def _paired_organisation(ex: Neo4jExecutor) -> str:
    [row] = await ex.run("MATCH (o:Organisation)-[:PARTY_TO]->(:Agreement {status: 'ACTIVE'}) "
                         "RETURN o.id AS id ORDER BY id LIMIT 1")
    return str(row["id"])


async def profile_hits() -> dict[str, int]:
    """db hits per question, with this process's code."""
    env = os.environ
    ex = cast(ProfilingExecutor, ProfilingExecutor.connect(
        env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"],
        env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")))
    store = Neo4jStore(ex)
    org = await _paired_organisation(ex)
    questions: dict[str, Callable[[], Awaitable[object]]] = {
        "organisations": lambda: store.list_nodes(Query(Label.ORGANISATION, order_by="name", first=50)),
        "listItems": lambda: store.list_items(ItemQuery(list="RESOURCE", unclaimed=True, first=50)),
        "search": lambda: store.search(SEARCH_TEXT, 20),
        "pairedUnits": lambda: store.paired_units(org),
    }
    out = {}
    try:
        for name, ask in questions.items():
            await ask()  # warm the plan cache
            ex.hits = 0
            await ask()
            out[name] = ex.hits
    finally:
        await store.close()
    return out


def _in(tree: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); sys.path.append({str(HERE)!r}); "
            f"sys.argv = {['bench_listings', *args]!r}; from bench.bench_listings import main; main()"]


def _serve(tree: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALLIANCE_STORE": "neo4j", "ALLIANCE_API_KEYS": f"{KEY}:analyst",
           "ALLIANCE_ENVIRONMENT": "production", "ALLIANCE_RESPONSE_CACHE": "0"}
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); sys.argv = ['alliance', 'serve', '--port', '{port}']; "
            "from service.cli import main; sys.exit(main())")
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _healthy(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in 120 s")


def wall_times(base: Path, rounds: int, per_round: int, org: str) -> dict[str, tuple[float, float]]:
    """Median ms per question, old and new servers asked in turn (A B A B …), the cache off."""
    from bench.common import free_port

    ports = free_port(), free_port()
    procs = [_serve(base, ports[0]), _serve(HERE, ports[1])]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url in urls:
            _healthy(url)
        out = {}
        with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=120) as client:
            for name, (text, variables) in GRAPHQL.items():
                body = {"query": text, "variables": {**variables, "id": org} if name == "pairedUnits" else variables}
                answers = [client.post(u + "/graphql", json=body).json() for u in urls]  # warm-up, and the check
                if answers[0] != answers[1] or "errors" in answers[0]:
                    raise RuntimeError(f"{name}: old and new answer differently: {json.dumps(answers)[:400]}")
                times: list[list[float]] = [[], []]
                for _ in range(rounds):
                    for i, url in enumerate(urls):
                        for _ in range(per_round):
                            started = time.perf_counter()
                            client.post(url + "/graphql", json=body).raise_for_status()
                            times[i].append((time.perf_counter() - started) * 1000)
                out[name] = (statistics.median(times[0]), statistics.median(times[1]))
        return out
    finally:
        for p in procs:
            p.terminate()
            p.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, help="a tree holding the old `service` package")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=4)
    parser.add_argument("--hits-only", action="store_true", help="print this code's db hits as JSON and stop")
    args = parser.parse_args()
    if args.hits_only:
        print(json.dumps(asyncio.run(profile_hits())))
        return
    if args.base is None:
        parser.error("--base is needed to compare")
    old = json.loads(subprocess.run(_in(args.base.resolve(), "--hits-only"), check=True, capture_output=True,
                                    text=True).stdout)
    new = asyncio.run(profile_hits())
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    print("| question | db hits before | db hits after |")
    print("|---|---:|---:|")
    for name in GRAPHQL:
        print(f"| {name} | {old[name]:,} | {new[name]:,} |")

    async def org_id() -> str:
        env = os.environ
        ex = Neo4jExecutor.connect(env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                                   env["ALLIANCE_NEO4J_PASSWORD"])
        try:
            return await _paired_organisation(ex)
        finally:
            await ex.close()

    walls = wall_times(args.base.resolve(), args.rounds, args.per_round, asyncio.run(org_id()))
    print(f"\nGraphQL, uncached, one client, {args.rounds} alternated rounds of {args.per_round}: median ms")
    print("| question | before | after | before/after |")
    print("|---|---:|---:|---:|")
    for name, (before, after) in walls.items():
        print(f"| {name} | {before:.1f} | {after:.1f} | {before / after:.1f}× |")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
