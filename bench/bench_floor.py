"""The floor of the Python stack: server CPU per request of a server that does (almost) nothing, against
the service and the peer on the same Neo4j and data (issue 17: is "half the peer's CPU" reachable?).

    .venv/bin/python -m bench.bench_floor [--rounds 3] [--seconds 5]     # ALLIANCE_NEO4J_* (×1 demo loaded)

Starts, each as one process, and measures in rotation (the order reversed every other round), each with
wrk at --clients connections (server CPU per request from /proc utime+stime, as bench_peer does):

- py bare: a raw ASGI callable on uvicorn as `alliance serve` runs it (uvloop, httptools, access log off),
  answering POST /graphql with a small fixed JSON body (the request body read, not parsed);
- py fastapi: the same answer from a FastAPI route (the framework the service sits on, no middleware);
- py driver: the raw ASGI app parsing the body (orjson) and running `MATCH (n:Entity {id: $id}) RETURN n`
  through a plain AsyncDriver (`execute_query`, READ), answering the node's id, name and kind;
- py executor: the same statement through the service's own Neo4jExecutor (its retry, deadline, bookmarks);
- service node / pairedUnits: `alliance serve` (bench_peer's `service`: one worker, response cache off);
- node bare / node driver: bench/peer/floor.mjs, Node's http server with a fixed body, or one
  neo4j-driver `executeQuery` of the same statement;
- peer node / pairedUnits: @neo4j/graphql (bench_peer's `peer`).

Every server gets the same 20 organisation ids (node, the floors) or 20 organisations that share an
ACTIVE agreement (pairedUnits), from bench_peer's fill_variables. Prints a table of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

# at module level: FastAPI reads the route's annotations (strings here) in this module's globals
from fastapi import Request, Response

from bench.bench_peer import KEY, PEER_DIR, QUESTIONS, ROOT, Server, _wait_ready, fill_variables, peer, service, wrk
from bench.common import free_port

STATEMENT = "MATCH (n:Entity {id: $id}) RETURN n"
FIXED = b'{"data":{"node":{"id":"ORG-0","name":"a fixed answer","kind":"COMMUNITY"}}}'
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
HEADERS = [(b"content-type", b"application/json")]


# the Python floors (run in a child: python -m bench.bench_floor --serve MODE --port N) -------------------
async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, body: bytes) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [*HEADERS, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    """uvicorn's start and stop of a raw app: nothing to set up or tear down."""
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


def bare_app() -> Callable[..., Awaitable[None]]:
    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        await _body(receive)
        await _answer(send, FIXED)

    return app


def fastapi_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/graphql")
    async def graphql(request: Request) -> Response:
        await request.body()
        return Response(FIXED, media_type="application/json")

    @app.get("/health")
    async def health() -> Response:
        return Response(b"{}", media_type="application/json")

    return app


def statement_app(run: Callable[[str], Awaitable[dict[str, Any] | None]]) -> Callable[..., Awaitable[None]]:
    """The raw ASGI app answering the node the request's variables name, read by `run`."""
    import orjson

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["method"] != "POST":
            await _answer(send, b"{}")
            return
        node = await run(orjson.loads(await _body(receive))["variables"]["id"])
        answer = node and {"id": node["id"], "name": node.get("name"), "kind": node.get("kind")}
        await _answer(send, orjson.dumps({"data": {"node": answer}}))

    return app


def serve(mode: str, port: int) -> None:
    import neo4j
    import uvicorn

    from service.graph.neo4j.executor import Neo4jExecutor
    from service.logging_setup import uvicorn_log_config

    uri, user = os.environ.get("ALLIANCE_NEO4J_URI", ""), os.environ.get("ALLIANCE_NEO4J_USER", "neo4j")
    password, database = os.environ.get("ALLIANCE_NEO4J_PASSWORD", ""), os.environ.get("ALLIANCE_NEO4J_DATABASE",
                                                                                        "neo4j")
    if mode == "bare":
        app: Any = bare_app()
    elif mode == "fastapi":
        app = fastapi_app()
    elif mode == "driver":
        driver = neo4j.AsyncGraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")

        async def plain(id_: str) -> dict[str, Any] | None:
            records, _, _ = await driver.execute_query(STATEMENT, {"id": id_}, database_=database,
                                                       routing_=neo4j.RoutingControl.READ)
            return dict(records[0]["n"]) if records else None

        app = statement_app(plain)
    elif mode == "executor":
        executor = Neo4jExecutor.connect(uri, user, password, database)

        async def through_executor(id_: str) -> dict[str, Any] | None:
            records = await executor.run(STATEMENT, {"id": id_})
            return dict(records[0]["n"]) if records else None

        app = statement_app(through_executor)
    else:
        raise SystemExit(f"unknown floor {mode!r}: bare, fastapi, driver or executor")
    # as `alliance serve` (service/cli.py): uvicorn's defaults (uvloop and httptools when installed), its
    # JSON log config, access log off
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=uvicorn_log_config("info"), access_log=False)


# starting them --------------------------------------------------------------------------------------------
@contextmanager
def py_floor(mode: str, env: Mapping[str, str]) -> Iterator[Server]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.bench_floor", "--serve", mode, "--port", str(port)],
                            env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with _running(proc, port, "/health", f"the {mode} floor", f"py {mode}") as server:
        yield server


@contextmanager
def node_floor(mode: str, env: Mapping[str, str]) -> Iterator[Server]:
    port = free_port()
    child = {**os.environ, "PORT": str(port), "FLOOR": mode, "NEO4J_URI": env["ALLIANCE_NEO4J_URI"],
             "NEO4J_USER": env.get("ALLIANCE_NEO4J_USER", "neo4j"), "NEO4J_PASSWORD": env["ALLIANCE_NEO4J_PASSWORD"],
             "NEO4J_DATABASE": env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"), "NODE_ENV": "production"}
    proc = subprocess.Popen(["node", "floor.mjs"], env=child, cwd=PEER_DIR,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with _running(proc, port, "/", f"the Node {mode} floor", f"node {mode}") as server:
        yield server


@contextmanager
def _running(proc: subprocess.Popen[bytes], port: int, ready: str, what: str, name: str) -> Iterator[Server]:
    """The started server once it answers `ready`, stopped on the way out."""
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url + ready, what)
        yield Server(name, url, "/graphql", proc)
    finally:
        proc.terminate()
        proc.wait(30)


# measuring ------------------------------------------------------------------------------------------------
def httpx_post(server: Server, body: str) -> None:
    reply = server.http.post(server.url + server.path, content=body, headers={
        "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    if reply.status_code != 200 or "errors" in reply.json():
        raise RuntimeError(f"{server.side} answered {reply.status_code}: {reply.text[:500]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port)
        return
    env = {k: v for k, v in os.environ.items() if k.startswith("ALLIANCE_NEO4J_")}
    if "ALLIANCE_NEO4J_URI" not in env or "ALLIANCE_NEO4J_PASSWORD" not in env:
        raise SystemExit("set ALLIANCE_NEO4J_URI and ALLIANCE_NEO4J_PASSWORD (. .neo4j/test/env)")
    by_name = {q.name: q for q in QUESTIONS}
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    spent: dict[str, list[dict[str, float]]] = {}
    with ExitStack() as stack:
        svc = stack.enter_context(service(env))
        other = stack.enter_context(peer(env))
        fill_variables(svc)
        node, paired = by_name["node"], by_name["pairedUnits"]
        ids = [json.dumps({"query": "{ node }", "variables": s}) for s, _ in node.variables]

        def question(server: Server, q: Any) -> list[str]:
            side = 0 if server.side == "service" else 1
            text = q.service if side == 0 else q.peer
            return [json.dumps({"query": text, "variables": v[side]}) for v in q.variables]

        runs: list[tuple[str, Server, list[str]]] = []
        for mode in ("bare", "fastapi", "driver", "executor"):
            runs.append((f"py {mode}", stack.enter_context(py_floor(mode, env)), ids))
        runs += [("service node", svc, question(svc, node)), ("service pairedUnits", svc, question(svc, paired))]
        for mode in ("bare", "driver"):
            runs.append((f"node {mode}", stack.enter_context(node_floor(mode, env)), ids))
        runs += [("peer node", other, question(other, node)), ("peer pairedUnits", other, question(other, paired))]
        print(f"{len(runs)} measurements a round; {args.rounds} rounds", flush=True)
        for r in range(args.rounds):
            for name, server, bodies in runs if r % 2 == 0 else list(reversed(runs)):
                if r == 0:  # one answer first (the peer compiles its schema's resolvers on the first request)
                    httpx_post(server, bodies[0])
                # warm-up: pools, plans, JIT (when nothing finished in it, the measurement still runs)
                with suppress(RuntimeError):
                    wrk(server, bodies, args.clients, 3)
                m = wrk(server, bodies, args.clients, args.seconds)
                spent.setdefault(name, []).append(m)
                print(f"round {r + 1} {name:20} {m['rate']:8.1f} req/s  CPU {m['cpu_ms']:6.3f} ms/request"
                      f"  failed {m['failed']:.0f} of {m['requests']:.0f}", flush=True)
    load_after = os.getloadavg()
    med = {name: {k: statistics.median(x[k] for x in measured) for k in ("cpu_ms", "rate")}
           for name, measured in spent.items()}
    peer_node = med["peer node"]["cpu_ms"]
    print(f"\n{started:%Y-%m-%d %H:%M} UTC; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"medians of {args.rounds} alternated rounds, {args.clients} clients, {args.seconds:g} s each\n")
    print("| server, request | CPU ms per request | req/s (answered) | CPU ÷ peer's node(id:) | failed |")
    print("|---|---:|---:|---:|---:|")
    for name, m in med.items():
        failed = sum(int(x["failed"]) for x in spent[name])
        print(f"| {name} | {m['cpu_ms']:.2f} | {m['rate']:.0f} | {m['cpu_ms'] / peer_node:.2f}× | {failed} |")
    print(f"\nservice pairedUnits ÷ peer pairedUnits: "
          f"{med['service pairedUnits']['cpu_ms'] / med['peer pairedUnits']['cpu_ms']:.2f}× CPU; "
          f"py driver ÷ node driver: {med['py driver']['cpu_ms'] / med['node driver']['cpu_ms']:.2f}×; "
          f"py bare ÷ node bare: {med['py bare']['cpu_ms'] / med['node bare']['cpu_ms']:.2f}×")


if __name__ == "__main__":
    main()
