# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""Refusals of oversized and over-limit requests, their CPU time each (issue 18), and /health while
the heaviest request a viewer may send runs.

    .venv/bin/python -m bench.bench_cost [--store embedded|neo4j] [--runs 20]

In process, through the ASGI transport (no sockets: the figures are the service's own work), over the
urumqi-etdz demo. Each refusal is sent `--runs` times, its query text made new each time (no parse
cache helps); the table gives the median and the largest time.process_time() of one request (every
thread of the process counts). Then the heaviest allowed
viewer query runs while /health is asked every 20 ms, and the explorer's layout of a 1,000-node view
with a viewer's largest edge count is timed."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import neo4j_store
from service.app import create_app
from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.settings import Settings

MB10 = 10 * 1024 * 1024
VIEWER = {"Authorization": "Bearer bench-viewer", "Content-Type": "application/json"}
WALK = "children { parent { " * 3 + "children { id }" + " } }" * 3
HEAVIEST_VIEWER = """{ organisations(first: 50) { nodes { id name
  children { id name kind } members { id name phone } agreements { role agreement { id title status } } } } }"""
DASHBOARD = """{ listItems(first: 100) { nodes { id title publisher { ... on Organisation { name
  memberships { alliance { name } } } } agreements { parties { unit { ... on Organisation { name } } } } } }
  organisations(first: 100) { nodes { name agreements { agreement { items { title } } } members { name } } } }"""


def _graphql(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "10 MB body: one comment": ("/graphql", lambda: _graphql("#" + "x" * MB10 + "\n{ me { role } }")),
    "10 MB body: whitespace": ("/graphql", lambda: _graphql("{" + " " * MB10 + "me { role } }")),
    "10 MB body: one string literal": ("/graphql", lambda: _graphql('{ search(text: "%s") { id } }' % ("x" * MB10))),
    "10 MB variable": ("/graphql", lambda: _graphql("query($t: String!) { search(text: $t) { id } }",
                                                    {"t": "x" * MB10})),
    "variables: a batch of 10,000 rows (0.7 MB)": ("/graphql", lambda: _graphql(
        "mutation($r: [OrganisationInput!]!) { upsertOrganisations(rows: $r) { created } }",
        {"r": [{"id": f"O{i}", "name": "x", "kind": "COMMUNITY", "level": "BRANCH"} for i in range(10_000)]})),
    "100 kB query text (a comment)": ("/graphql", lambda: _graphql("#" + "x" * 100_000 + "\n{ me { role } }")),
    "token flood (6,000 names)": ("/graphql", lambda: _graphql("{ me { " + " ".join(["role"] * 6000) + " } }")),
    "alias flood (500 aliases)": ("/graphql", lambda: _graphql(
        "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(500)) + " }")),
    "directive flood (500)": ("/graphql", lambda: _graphql("{ me " + "@include(if: true) " * 500 + "{ role } }")),
    "nesting flood (1,000 braces)": ("/graphql", lambda: _graphql("{ me " + "{ role " * 1000 + "}" * 1001)),
    "children/parent depth 10, 1 alias": ("/graphql", lambda: _graphql(
        "{ organisations(first: 100) { nodes { %s } } }" % WALK)),
    "children/parent depth 10, 30 aliases": ("/graphql", lambda: _graphql("{ %s }" % " ".join(
        "a%d: organisations(first: 100) { nodes { %s } }" % (i, WALK) for i in range(30)))),
    "children/parent walk, 30 aliases, ~3,500 tokens": ("/graphql", lambda: _graphql("{ %s }" % " ".join(
        "a%d: organisations(first: 100) { nodes { id name kind %s } }" % (i, WALK.replace("{ id }", "{ id " +
                                                                                          "name kind " * 40 + "}"))
        for i in range(30)))),
    "depth 11 through parent, ~3,900 tokens": ("/graphql", lambda: _graphql(
        "{ organisations(first: 1) { nodes { " + ("id name " * 85 + "parent { ") * 10 + "id } "
        + "} " * 9 + "} } }")),
    "fragment cycle of 20, ~3,800 tokens": ("/graphql", lambda: _graphql(
        "{ organisations(first: 1) { nodes { ...F0 } } } " + " ".join(
            f"fragment F{i} on Organisation {{ {'id name ' * 90}...F{(i + 1) % 20} }}" for i in range(20)))),
    "fragment chain of 120": ("/graphql", lambda: _graphql(
        "{ organisations(first: 1) { nodes { ...F0 } } } " + " ".join(
            f"fragment F{i} on Organisation {{ id ...F{i + 1} }}" for i in range(120))
        + " fragment F120 on Organisation { id }")),
    "selection set of 3,900 fields": ("/graphql", lambda: _graphql(
        "{ organisations(first: 1) { nodes { " + "name " * 3900 + "} } }")),
    "viewer: dashboard at 100 a page": ("/graphql", lambda: _graphql(DASHBOARD)),
    "layout: 1,000 nodes, 250,000 edges": ("/explore/layout", lambda: json.dumps(
        {"count": 1000, "edges": list(itertools.combinations(range(1000), 2))[:250_000]}).encode()),
    "layout: 1,000 nodes, complete (8.9 MB)": ("/explore/layout", lambda: json.dumps(
        {"count": 1000, "edges": list(itertools.combinations(range(1000), 2))}).encode()),
}


async def demo_app(stack: AsyncExitStack, kind: str) -> tuple[GraphStore, httpx.AsyncClient]:
    """The urumqi-etdz demo in an empty store of `kind` (Neo4j: CLEARED), and a client of the app over it
    in process (ASGI transport) with the bench's viewer key; both closed with `stack`."""
    store: GraphStore
    if kind == "neo4j":
        store = stack.enter_context(neo4j_store())
        await store.clear()
    else:
        store = EmbeddedStore(Path(stack.enter_context(tempfile.TemporaryDirectory())))
    await store.migrate()
    await load_dataset(store, generate("urumqi-etdz", 1))
    app = create_app(Settings(api_keys=SecretStr("bench-viewer:viewer"), environment="test"), store=store)
    await stack.enter_async_context(app.router.lifespan_context(app))
    http = await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=300))
    return store, http


async def main_async(kind: str, runs: int) -> None:
    async with AsyncExitStack() as stack:
        store, http = await demo_app(stack, kind)
        print(f"store: {kind}; {runs} runs each; CPU ms of one refusal (median / max)")
        print("| request | answer | median ms | max ms |")
        print("|---|---|---|---|")
        for name, (path, body) in CASES.items():
            content = body()
            spent = []
            for run in range(runs):
                # a new text each run (a comment in front): no parse or validation cache helps
                sent = content.replace(b'{"query": "', b'{"query": "#%d\\n' % run, 1)
                started = time.process_time()
                response = await http.post(path, content=sent, headers=VIEWER)
                spent.append(time.process_time() - started)
            answer = response.json()
            error = answer.get("error") or (answer.get("errors") or [{}])[0]
            code = error.get("code") or error.get("extensions", {}).get("code")
            print(f"| {name} | {response.status_code} {code} | {statistics.median(spent) * 1000:.2f} | "
                  f"{max(spent) * 1000:.2f} |", flush=True)

        heavy = asyncio.ensure_future(http.post("/graphql", content=_graphql(HEAVIEST_VIEWER), headers=VIEWER))
        # a wait counts from when the poll meant to ask (before the 20 ms sleep), so a stalled event
        # loop shows whether it held up the sleep or the answer
        started, waits = time.perf_counter(), []
        while not heavy.done():
            meant = time.perf_counter() + 0.02
            await asyncio.sleep(0.02)
            await http.get("/health")
            waits.append(time.perf_counter() - meant)
        response = await heavy
        assert "errors" not in response.json(), response.text
        print(f"\nheaviest allowed viewer query: {time.perf_counter() - started:.2f} s, {len(response.content):,} "
              f"bytes; /health asked {len(waits)} times meanwhile, slowest {max(waits or [0]) * 1000:.0f} ms "
              f"({', '.join(f'{w * 1000:.0f}' for w in waits)} ms)")

        edges = list(itertools.islice(itertools.combinations(range(1000), 2), 0, 500_000, 10))
        started_cpu = time.process_time()
        response = await http.post("/explore/layout", content=json.dumps({"count": 1000, "edges": edges}).encode(),
                                   headers=VIEWER)
        print(f"layout of 1,000 nodes and {len(edges):,} edges for a viewer: {response.status_code}, "
              f"{time.process_time() - started_cpu:.2f} s CPU ({response.json()['algorithm']})")
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main_async(args.store, args.runs))


if __name__ == "__main__":
    main()
