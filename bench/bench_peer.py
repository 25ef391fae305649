"""The service against the Neo4j GraphQL Library on the same Neo4j and data (issue 17, part 1).

    make bench-peer                                  # ×1; SCALE=10 for ×10
    .venv/bin/python -m bench.bench_peer --scale 1 --rounds 4 --seconds 5

Reads ALLIANCE_NEO4J_* (make bench-peer sources .neo4j/test/env and starts that Neo4j when it is not
running). Loads the urumqi-etdz demo at --scale when the store is empty (--reload empties it first, for
a store that holds another scale: the section names the organisation count it measured). Starts
`alliance serve` (one worker, response cache off: every request executes its statements) and the peer
(bench/peer/server.mjs on Node, @neo4j/graphql 7 + Apollo Server 4, no cache) and:

1. asks both the six questions and checks they answer the same ids and counts (fails loudly);
2. per round, per question, alternating which side goes first: wrk with 1 connection (p50, p99)
   and with 16 (req/s; server CPU per request from /proc utime+stime of the server process);
3. PROFILEs the statements each side ran for one request of each question (captured from a
   second instance of each server started in capture mode) and sums their db hits;
4. appends a section with the medians and the ratios to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import wrk as wrk_tool
from bench.common import free_port, tree_cpu_seconds
from bench.peer_typedefs import TYPEDEFS, render

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT / "bench" / "peer"
RESULTS = ROOT / "bench" / "RESULTS.md"
KEY = "bench-peer-key"

# the answers -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """What must be equal between the two sides: ids in answer order (nested ones flattened in
    order, as `parent>child`) and the counts a question asks for."""

    ids: tuple[str, ...]
    counts: tuple[int, ...] = ()


class AnswersDiffer(AssertionError):
    pass


def compare(question: str, service: Answer, peer: Answer) -> None:
    """Raises AnswersDiffer naming the question and the first difference."""
    if service.counts != peer.counts:
        raise AnswersDiffer(f"{question}: counts differ: service {service.counts}, peer {peer.counts}")
    if service.ids != peer.ids:
        if len(service.ids) != len(peer.ids):
            raise AnswersDiffer(f"{question}: service answered {len(service.ids)} ids, peer {len(peer.ids)}")
        at = next(i for i, (a, b) in enumerate(zip(service.ids, peer.ids, strict=True)) if a != b)
        raise AnswersDiffer(f"{question}: ids differ at {at}: service {service.ids[at]!r}, peer {peer.ids[at]!r}")


def _units(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def service_dashboard(d: Mapping[str, Any]) -> Answer:
    ids: list[str] = []
    for org in d["organisations"]["nodes"]:
        ids.append(org["id"])
        for party in sorted(org["agreements"], key=lambda p: (p["agreement"]["id"], p["role"] or "")):
            a = party["agreement"]
            ids.append(f"{org['id']}>{a['id']}:{party['role']}")
            ids.extend(f"{a['id']}>{u}" for u in sorted(f"{p['unit']['id']}:{p['role']}" for p in a["parties"]))
    return Answer(tuple(ids), (d["organisations"]["totalCount"],))


def peer_dashboard(d: Mapping[str, Any]) -> Answer:
    ids: list[str] = []
    conn = d["organisationsConnection"]
    for edge in conn["edges"]:
        org = edge["node"]
        ids.append(org["id"])
        parties = org["agreementsConnection"]["edges"]
        for party in sorted(parties, key=lambda p: (p["node"]["id"], p["properties"]["role"] or "")):
            a = party["node"]
            ids.append(f"{org['id']}>{a['id']}:{party['properties']['role']}")
            ids.extend(f"{a['id']}>{u}" for u in sorted(
                f"{p['node']['id']}:{p['properties']['role']}" for p in a["partiesConnection"]["edges"]))
    return Answer(tuple(ids), (conn["totalCount"],))


def service_paired(d: Mapping[str, Any]) -> Answer:
    ids: list[str] = []
    for row in d["pairedUnits"]:
        ids.append(row["unit"]["id"])
        ids.extend(f"{row['unit']['id']}>{a['id']}" for a in sorted(row["agreements"], key=lambda a: a["id"]))
    return Answer(tuple(ids))


def peer_paired(d: Mapping[str, Any]) -> Answer:
    ids: list[str] = []
    for unit in d["pairedUnits"]:
        ids.append(unit["id"])
        ids.extend(f"{unit['id']}>{a['id']}" for a in sorted(unit["pairedAgreements"], key=lambda a: a["id"]))
    return Answer(tuple(ids))


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    service: str
    peer: str
    service_answer: Callable[[Mapping[str, Any]], Answer]
    peer_answer: Callable[[Mapping[str, Any]], Answer]
    # per request: (service variables, peer variables); filled from the data by `variables`
    variables: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=lambda: [({}, {})])


UNIT = "... on Organisation { id name } ... on Enterprise { id name }"
QUESTIONS: tuple[Question, ...] = (
    Question(
        "organisations", "`organisations(first: 50)` by name with `totalCount`",
        "{ organisations(first: 50, orderBy: NAME) { totalCount nodes { id name kind } } }",
        "{ organisationsConnection(first: 50, sort: [{name: ASC}, {id: ASC}]) "
        "{ totalCount edges { node { id name kind } } } }",
        lambda d: Answer(tuple(_units(d["organisations"]["nodes"])), (d["organisations"]["totalCount"],)),
        lambda d: Answer(tuple(e["node"]["id"] for e in d["organisationsConnection"]["edges"]),
                         (d["organisationsConnection"]["totalCount"],)),
    ),
    Question(
        "dashboard", "a dashboard page: 20 organisations, their agreements and each agreement's parties",
        "{ organisations(first: 20, orderBy: NAME) { totalCount nodes { id name agreements { role agreement "
        "{ id title status parties { role unit { " + UNIT + " } } } } } } }",
        "{ organisationsConnection(first: 20, sort: [{name: ASC}, {id: ASC}]) { totalCount edges { node "
        "{ id name agreementsConnection { edges { properties { role } node { id title status partiesConnection "
        "{ edges { properties { role } node { " + UNIT + " } } } } } } } } } }",
        service_dashboard, peer_dashboard,
    ),
    Question(
        "pairedUnits", "`pairedUnits`",
        "query($id: ID!) { pairedUnits(organisationId: $id) { unit { " + UNIT + " } agreements { id title } } }",
        "query($id: ID!) { pairedUnits(organisationId: $id) { ... on Organisation { id name "
        "pairedAgreements(organisationId: $id) { id title } } ... on Enterprise { id name "
        "pairedAgreements(organisationId: $id) { id title } } } }",
        service_paired, peer_paired,
    ),
    Question(
        "node", "`node(id:)`",
        "query($id: ID!) { node(id: $id) { id ... on Organisation { name kind } } }",
        "query($id: ID!) { entity(id: $id) { ... on Organisation { id name kind } } }",
        lambda d: Answer((d["node"]["id"],)),
        lambda d: Answer((d["entity"]["id"],)),
    ),
    Question(
        "search", "`search` (a Chinese fragment, full-text)",
        "query($text: String!) { search(text: $text, first: 10) { id } }",
        "query($text: String!) { search(text: $text, first: 10) { ... on Region { id } ... on Organisation { id } "
        "... on Enterprise { id } ... on Alliance { id } ... on Agreement { id } ... on ListItem { id } "
        "... on Team { id } ... on ServiceCentre { id } } }",
        lambda d: Answer(tuple(_units(d["search"]))),
        lambda d: Answer(tuple(_units(d["search"]))),
    ),
    Question(
        "listItems", "a 50-item `listItems` page, unclaimed RESOURCE, with `totalCount`",
        "{ listItems(first: 50, where: {list: RESOURCE, unclaimed: true}) "
        "{ totalCount nodes { id title quantity remaining } } }",
        "{ listItemsConnection(first: 50, where: {list: {eq: \"RESOURCE\"}, remaining: {gt: 0}}, sort: [{id: ASC}]) "
        "{ totalCount edges { node { id title quantity remaining } } } }",
        lambda d: Answer(tuple(_units(d["listItems"]["nodes"])), (d["listItems"]["totalCount"],)),
        lambda d: Answer(tuple(e["node"]["id"] for e in d["listItemsConnection"]["edges"]),
                         (d["listItemsConnection"]["totalCount"],)),
    ),
)


# the servers -----------------------------------------------------------------------------------
@dataclass
class Server:
    side: str
    url: str
    path: str
    proc: subprocess.Popen[bytes]
    # one kept-alive client: `httpx.post` builds a client (and its TLS context) per call, about 30 ms
    # of the bench's own CPU that one-client latencies counted as the server's
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=120))

    def post(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        reply = self.http.post(self.url + self.path, json={"query": query, "variables": dict(variables)},
                               headers={"Authorization": f"Bearer {KEY}"})
        body = reply.json()
        if reply.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{self.side} answered {reply.status_code}: {json.dumps(body)[:2000]}")
        return body["data"]

    def cpu_seconds(self) -> float:
        """utime + stime of the server process and its children."""
        return tree_cpu_seconds(self.proc.pid)



def _wait_ready(proc: subprocess.Popen[bytes], url: str, what: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{what} did not answer in 120 s")


@contextmanager
def service(env: Mapping[str, str], capture: Path | None = None, workers: int = 1) -> Iterator[Server]:
    port = free_port()
    child = {**os.environ, **env, "ALLIANCE_STORE": "neo4j", "ALLIANCE_API_KEYS": f"{KEY}:analyst",
             "ALLIANCE_ENVIRONMENT": "production", "ALLIANCE_RESPONSE_CACHE": "0"}
    module = "service.cli"
    if capture is not None:
        child["CAPTURE_FILE"] = str(capture)
        module = "bench.service_capture"
    proc = subprocess.Popen([sys.executable, "-m", module, "serve", "--port", str(port), "--workers", str(workers)],
                            env=child, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url + "/health", "alliance serve")
        yield Server("service", url, "/graphql", proc)
    finally:
        proc.terminate()
        proc.wait(30)


@contextmanager
def peer(env: Mapping[str, str], capture: Path | None = None) -> Iterator[Server]:
    port = free_port()
    child = {**os.environ, "PORT": str(port), "NEO4J_URI": env["ALLIANCE_NEO4J_URI"],
             "NEO4J_USER": env.get("ALLIANCE_NEO4J_USER", "neo4j"), "NEO4J_PASSWORD": env["ALLIANCE_NEO4J_PASSWORD"],
             "NEO4J_DATABASE": env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"), "NODE_ENV": "production"}
    if capture is not None:
        child["CAPTURE_FILE"] = str(capture)
    proc = subprocess.Popen(["node", "server.mjs"], env=child, cwd=PEER_DIR,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url + "/", "the peer (node server.mjs)")
        yield Server("peer", url, "/", proc)
    finally:
        proc.terminate()
        proc.wait(30)


# measuring -------------------------------------------------------------------------------------
def wrk(server: Server, bodies: list[str], connections: int, seconds: float) -> dict[str, float]:
    before = server.cpu_seconds()
    # failed answers are counted, not fatal: under 16 clients at x10 the service answers some with 503
    result = wrk_tool.run(server.url, server.path, KEY, bodies, connections, seconds, timeout="60s")
    cpu = server.cpu_seconds() - before
    ok = max(result.requests - result.failed, 0)
    return {"p50": result.p50, "p99": result.p99, "rate": result.rate * ok / result.requests,
            "cpu_ms": 1000 * cpu / result.requests, "failed": result.failed, "requests": result.requests}


def bodies(q: Question, side: str) -> list[str]:
    text = q.service if side == "service" else q.peer
    return [json.dumps({"query": text, "variables": v[0] if side == "service" else v[1]}) for v in q.variables]


def db_hits(plan: Any) -> int:
    return int(plan.get("dbHits", 0)) + sum(db_hits(child) for child in plan.get("children", []))


def profile(captured: Path, env: Mapping[str, str]) -> tuple[int, int]:
    """Total db hits and statement count of the statements recorded in `captured`."""
    from neo4j import GraphDatabase

    statements = [json.loads(line) for line in captured.read_text(encoding="utf-8").splitlines() if line.strip()]
    hits = 0
    with GraphDatabase.driver(env["ALLIANCE_NEO4J_URI"],
                              auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]),
                              notifications_min_severity="OFF") as d:
        for s in statements:
            _, summary, _ = d.execute_query("PROFILE " + s["query"], s["params"],
                                            database_=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
            hits += db_hits(summary.profile)
    return hits, len(statements)


def profile_all(env: Mapping[str, str], questions: tuple[Question, ...]) -> dict[tuple[str, str], tuple[int, int]]:
    found: dict[tuple[str, str], tuple[int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        capture = Path(tmp) / "statements.jsonl"
        for side, start in (("service", service), ("peer", peer)):
            with start(env, capture) as server:
                for q in questions:
                    capture.write_text("")
                    server.post(q.service if side == "service" else q.peer, q.variables[0][side == "peer"])
                    found[(q.name, side)] = profile(capture, env)
    return found


def fill_variables(svc: Server) -> None:
    """Ids and fragments from the data itself: 20 organisations for node(id:), 20 that share an
    ACTIVE agreement for pairedUnits, 8 two-character name fragments for search."""
    orgs = svc.post("{ organisations(first: 100, orderBy: NAME) { nodes { id name "
                    "agreements { agreement { status } } } } }", {})["organisations"]["nodes"]
    paired = [o["id"] for o in orgs if any(p["agreement"]["status"] == "ACTIVE" for p in o["agreements"])][:20]
    fragments = list(dict.fromkeys(o["name"][:2] for o in orgs))[:8]
    by_name = {q.name: q for q in QUESTIONS}
    by_name["node"].variables[:] = [({"id": o["id"]}, {"id": o["id"]}) for o in orgs[:20]]
    by_name["pairedUnits"].variables[:] = [({"id": i}, {"id": i}) for i in paired]
    by_name["search"].variables[:] = [({"text": t}, {"text": t}) for t in fragments]
    if not paired:
        raise RuntimeError("no organisation with an ACTIVE agreement among the first 100: is the demo loaded?")


def check_answers(svc: Server, other: Server) -> None:
    for q in QUESTIONS:
        for service_vars, peer_vars in q.variables:
            compare(q.name, q.service_answer(svc.post(q.service, service_vars)),
                    q.peer_answer(other.post(q.peer, peer_vars)))
        print(f"  {q.name:14} same answers on {len(q.variables)} request(s)", flush=True)


# the data --------------------------------------------------------------------------------------
def organisation_count(svc: Server) -> int:
    return int(svc.post("{ organisations(first: 1) { totalCount } }", {})["organisations"]["totalCount"])


def ensure_data(env: Mapping[str, str], scale: int, reload: bool) -> None:
    """The urumqi-etdz demo at `scale` in the store: loaded when the store is empty (or, with
    `reload`, after emptying it); a store that holds another number of organisations is refused, so
    the table never names a scale it did not measure."""
    from service.demo import generate
    from service.model import Label

    child = {**os.environ, **env, "ALLIANCE_STORE": "neo4j"}
    flag = "--reset" if reload else "--if-empty"
    subprocess.run([sys.executable, "-m", "service.cli", "demo", "--profile", "urumqi-etdz", "--scale", str(scale),
                    flag, "--no-analyze"], env=child, cwd=ROOT, check=True)
    expected = len(generate("urumqi-etdz", scale).nodes[Label.ORGANISATION])
    with service(env) as svc:
        found = organisation_count(svc)
    if found != expected:
        raise SystemExit(f"the store holds {found:,} organisations, urumqi-etdz x{scale} has {expected:,}: "
                         f"run again with --reload (make bench-peer RELOAD=1) to empty it and load x{scale}")


# the report ------------------------------------------------------------------------------------
def _ms(v: float) -> str:
    return f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms"


def table(results: Mapping[tuple[str, str], list[dict[str, float]]],
          hits: Mapping[tuple[str, str], tuple[int, int]], rounds: int, clients: int) -> str:
    lines = [
        f"| question (uncached; medians of {rounds} alternated rounds) | service | @neo4j/graphql "
        f"| req/s at {clients} clients, service ÷ peer | CPU per request, service ÷ peer "
        "| Neo4j db hits (service / peer) |",
        "|---|---|---|---|---|---|",
    ]
    for q in QUESTIONS:
        cells = []
        med: dict[str, dict[str, float]] = {}
        for side in ("service", "peer"):
            runs = results[(q.name, side)]
            med[side] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            m = med[side]
            cells.append(f"p50 {_ms(m['p50'])}, p99 {_ms(m['p99'])}; {m['rate1']:.1f} req/s at 1 client, "
                         f"{m['rate']:.1f} req/s at {clients}; {m['cpu_ms']:.1f} ms CPU/request")
            failed = sum(int(r["failed"]) for r in runs)
            if failed:
                cells[-1] += f"; **{failed} of {sum(int(r['requests']) for r in runs)} requests failed**"
        sh, sn = hits[(q.name, "service")]
        ph, pn = hits[(q.name, "peer")]
        statements = lambda n: f" ({n} statements)" if n != 1 else ""  # noqa: E731
        lines.append(f"| {q.title} | {cells[0]} | {cells[1]} | {med['service']['rate'] / med['peer']['rate']:.2f}× "
                     f"| {med['service']['cpu_ms'] / med['peer']['cpu_ms']:.2f}× "
                     f"| {sh:,}{statements(sn)} / {ph:,}{statements(pn)} |")
    return "\n".join(lines)


def versions() -> str:
    lock = json.loads((PEER_DIR / "package-lock.json").read_text())["packages"]
    names = ("@neo4j/graphql", "@apollo/server", "neo4j-driver")
    peer_versions = ", ".join(f"{n} {lock['node_modules/' + n]['version']}" for n in names)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"Node {node}, {peer_versions}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--reload", action="store_true", help="empty the store and load the demo at --scale")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k.startswith("ALLIANCE_NEO4J_")}
    if "ALLIANCE_NEO4J_URI" not in env or "ALLIANCE_NEO4J_PASSWORD" not in env:
        raise SystemExit("set ALLIANCE_NEO4J_URI and ALLIANCE_NEO4J_PASSWORD (make bench-peer does)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    if not (PEER_DIR / "node_modules").exists():
        raise SystemExit("run `npm install --no-audit --no-fund` in bench/peer first (make bench-peer does)")
    if TYPEDEFS.read_text(encoding="utf-8") != render():
        raise SystemExit("bench/peer/typeDefs.graphql is stale: python -m bench.peer_typedefs")

    ensure_data(env, args.scale, args.reload)
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    with service(env) as svc, peer(env) as other:
        orgs = organisation_count(svc)
        fill_variables(svc)
        print(f"{orgs:,} organisations in the store; checking the answers", flush=True)
        check_answers(svc, other)
        for r in range(args.rounds):
            for q in QUESTIONS:
                order = (svc, other) if (r + QUESTIONS.index(q)) % 2 == 0 else (other, svc)
                for server in order:
                    b = bodies(q, server.side)
                    # one answer first: the server has finished the previous run's backlog (slow
                    # questions at 16 clients leave requests in flight when wrk stops)
                    peer_side = server.side == "peer"
                    server.post(q.peer if peer_side else q.service, q.variables[0][peer_side])
                    wrk(server, b, 1, 2)  # warm-up: plans, parsers, JIT
                    single = wrk(server, b, 1, args.seconds)
                    # long enough for every client to finish a few requests even when each takes long
                    long = min(60.0, 0.003 * args.clients * single["p50"])
                    many = wrk(server, b, args.clients, max(args.seconds, long))
                    results.setdefault((q.name, server.side), []).append(
                        {"p50": single["p50"], "p99": single["p99"], "rate1": single["rate"],
                         "rate": many["rate"], "cpu_ms": many["cpu_ms"],
                         "failed": single["failed"] + many["failed"],
                         "requests": single["requests"] + many["requests"]})
                    print(f"round {r + 1} {q.name:14} {server.side:8} p50 {single['p50']:8.2f} ms  "
                          f"p99 {single['p99']:8.2f} ms  {args.clients} clients {many['rate']:7.1f} req/s  "
                          f"CPU {many['cpu_ms']:6.2f} ms/request  failed {many['failed'] + single['failed']:.0f}",
                          flush=True)
    print("profiling the statements each side ran", flush=True)
    hits = profile_all(env, QUESTIONS)
    load_after = os.getloadavg()
    text = table(results, hits, args.rounds, args.clients)
    print(text)
    if args.no_write:
        return
    section = f"""
## The peer (issue 17): the service against @neo4j/graphql on the same Neo4j, urumqi-etdz ×{args.scale}

Command:

```bash
make bench-peer SCALE={args.scale}   # .venv/bin/python -m bench.bench_peer --scale {args.scale} \\
                                     #   --rounds {args.rounds} --seconds {args.seconds:g}
```

{started:%Y-%m-%d %H:%M} UTC, {orgs:,} organisations in the store.
{versions()}. The service with one worker and
`ALLIANCE_RESPONSE_CACHE=0`, the peer one Node process; wrk, {args.seconds:g} s per measurement (1 connection
for p50/p99, {args.clients} for req/s and CPU per request, utime+stime of the server from /proc; at
{args.clients} clients longer when a request at one client takes over {args.seconds / 0.048:.0f} ms); db hits:
PROFILE of every statement one request ran, captured from each server. Answers checked equal first
(ids and counts, every request body). Load average {load_before[0]:.1f} before, {load_after[0]:.1f} after.

{text}
"""
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(section)
    print(f"appended to {RESULTS}")


if __name__ == "__main__":
    main()
