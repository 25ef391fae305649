"""What the operations layer costs on a cached GraphQL request: the access-log middleware (request id, the
JSON line, written to /dev/null as `alliance serve` writes it to stderr), the metrics (route and operation
histograms, cache counter, the timed store port) and the rate limit.

    .venv/bin/python -m bench.bench_ops [--requests 500] [--rounds 10]

One process, the urumqi-etdz demo in an embedded store, three apps over the same store, asked in turns
(round-robin, so load on the machine falls on each alike), timed in the process' CPU time, through a bare
ASGI call (no HTTP client, no socket: the layer's own cost is not hidden in a client's):

- `without`: the same app with the layer taken out (no AccessLog middleware, the store not wrapped);
- `with`: as `alliance serve` builds it (the rate limit is off by default);
- `with+limit`: the rate limit on too (a rate no request reaches).

The request: a 50-item listItems page with totalCount, answered from the response cache (one `version()`
store call)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import SecretStr

from service.api.access_log import AccessLog
from service.app import create_app
from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from service.logging_setup import JsonFormatter
from service.settings import Settings

KEY = "bench-ops-key"
ITEMS = """query Items { listItems(first: 50, where: {list: RESOURCE}) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id title category quantity remaining } } }"""


async def ask(app: FastAPI, body: bytes) -> int:
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/graphql", "raw_path": b"/graphql", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                    (b"authorization", f"Bearer {KEY}".encode()), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000), "server": ("bench", 80),
    }
    received = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def stripped(app: FastAPI) -> FastAPI:
    """The app without the operations layer: no access-log middleware (before the stack is first built), the
    gate's store unwrapped (done after start-up, in `main`)."""
    app.user_middleware = [m for m in app.user_middleware if m.cls is not AccessLog]
    return app


async def main(requests: int, rounds: int) -> None:
    sink = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    sink.setFormatter(JsonFormatter())
    logging.getLogger("alliance").addHandler(sink)
    logging.getLogger("alliance").setLevel(logging.INFO)
    logging.getLogger("alliance").propagate = False
    body = json.dumps({"query": ITEMS, "operationName": "Items"}).encode()
    async with AsyncExitStack() as stack:
        store = EmbeddedStore(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        await store.migrate()
        await load_dataset(store, generate("urumqi-etdz", 1))
        keys = SecretStr(f"{KEY}:analyst")
        apps = {
            "without": stripped(create_app(Settings(api_keys=keys, environment="test"), store=store)),
            "with": create_app(Settings(api_keys=keys, environment="test"), store=store),
            "with+limit": create_app(Settings(api_keys=keys, environment="test", rate_limit_analyst=1e9,
                                              rate_burst_analyst=1_000_000), store=store),
        }
        for app in apps.values():
            await stack.enter_async_context(app.router.lifespan_context(app))
        gate = apps["without"].state.gate
        gate.store = gate.store.inner  # the MeteredStore's own store
        for app in apps.values():
            for _ in range(3):  # seen, admitted, cached
                assert await ask(app, body) == 200
        spent: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(rounds):
            for name, app in apps.items():
                started = time.process_time()  # CPU time: the machine's other load does not count
                for _ in range(requests):
                    await ask(app, body)
                spent[name].append((time.process_time() - started) / requests * 1e6)
        base = statistics.median(spent["without"])
        print(f"{requests} cached listItems requests x {rounds} rounds, CPU µs per request (median of rounds / min)")
        print("| app | median µs | min µs | overhead µs | overhead % |")
        print("|---|---|---|---|---|")
        for name, values in spent.items():
            median = statistics.median(values)
            print(f"| {name} | {median:.0f} | {min(values):.0f} | {median - base:+.0f} | "
                  f"{(median - base) / base * 100:+.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds))
