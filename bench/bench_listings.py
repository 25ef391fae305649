"""Listings on Neo4j before and after the statement variants (issue 17, part 2): PROFILE db hits of
each question's statements, and the uncached GraphQL wall time, old code against new, alternated.

    git archive <base-commit> service | tar -x -C /tmp/listing-base      # the code to compare against
    .venv/bin/alliance demo --profile urumqi-etdz --scale 10 --no-analyze   # into the Neo4j named below
    set -a; . .neo4j/test/env; set +a
    .venv/bin/python -m bench.bench_listings --base /tmp/listing-base --rounds 5

Reads only: the Neo4j must already hold the demo. Each code tree runs in its own process (the
base tree first on sys.path, this checkout's `bench` after it), so both measure the same data.
Questions only this checkout answers (`listItemsByRemaining`: the order the kept `remaining` allows)
are measured on it alone.

The embedded store, a 50-item page at the store's port (no HTTP), old code against new:

    .venv/bin/python -m bench.bench_listings --store embedded --base /tmp/listing-base --scales 1,10

loads the demo at each scale into a temporary data directory with this checkout's code, then times
each question in each tree's own process (p50 of `--repeat` calls over 8 consecutive pages).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
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
    "listItemsByRemaining": ("query { listItems(first: 50, orderBy: REMAINING, where: {list: RESOURCE, "
                             "unclaimed: true}) { totalCount nodes { id title remaining } } }", {}),
}
NEW_ONLY = {"listItemsByRemaining"}  # the base tree has no REMAINING order


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
    ex, store = profiling_store()
    org = await _paired_organisation(ex)
    questions: dict[str, Callable[[], Awaitable[object]]] = {
        "organisations": lambda: store.list_nodes(Query(Label.ORGANISATION, order_by="name", first=50)),
        "listItems": lambda: store.list_items(ItemQuery(list="RESOURCE", unclaimed=True, first=50)),
        "search": lambda: store.search(SEARCH_TEXT, 20),
        "pairedUnits": lambda: store.paired_units(org),
        "listItemsByRemaining": lambda: store.list_items(ItemQuery(list="RESOURCE", unclaimed=True, first=50,
                                                                   order_by="remaining")),
    }
    if not _answers_remaining():
        questions = {name: ask for name, ask in questions.items() if name not in NEW_ONLY}
    return await hits_of(ex, store, questions)


def profiling_store() -> tuple[ProfilingExecutor, Neo4jStore]:
    """A store over the Neo4j the environment names, each read PROFILEd by its executor."""
    env = os.environ
    ex = cast(ProfilingExecutor, ProfilingExecutor.connect(
        env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"],
        env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")))
    return ex, Neo4jStore(ex)


async def hits_of(ex: ProfilingExecutor, store: Neo4jStore,
                  questions: dict[str, Callable[[], Awaitable[object]]]) -> dict[str, int]:
    """db hits per question: its second run, the plan cached by the first; the store closed afterwards."""
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


def _answers_remaining() -> bool:
    """This process's code keeps `remaining` on items (the base tree may not)."""
    from service.registry import label_spec

    return "remaining" in label_spec(Label.LIST_ITEM).sortable


EMBEDDED_QUESTIONS = ("organisations", "listItems", "listItemsByRemaining", "listItemsAll")
PAGES = 8  # consecutive pages each question cycles through


def embedded_times(data_dir: Path, repeat: int) -> dict[str, float]:
    """p50 ms of one page of each question at the embedded store's port, this process's code: wall
    time, and CPU time of the process (`<question> cpu`), which a loaded machine disturbs less."""
    from service.graph.embedded import EmbeddedStore

    def ask(name: str, after: str | None) -> Query | ItemQuery:
        if name == "organisations":
            return Query(Label.ORGANISATION, order_by="name", first=50, after=after)
        if name == "listItemsAll":
            return ItemQuery(first=50, after=after)
        order = "remaining" if name == "listItemsByRemaining" else "id"
        return ItemQuery(list="RESOURCE", unclaimed=True, first=50, order_by=order, after=after)

    async def run() -> dict[str, float]:
        store = EmbeddedStore(data_dir)
        out = {}
        try:
            for name in EMBEDDED_QUESTIONS:
                if name == "listItemsByRemaining" and not _answers_remaining():
                    continue
                cursors: list[str | None] = [None]
                for _ in range(PAGES - 1):  # the cursors, and the lazily built indexes warm
                    q = ask(name, cursors[-1])
                    page = await (store.list_nodes(q) if isinstance(q, Query) else store.list_items(q))
                    cursors.append(page.end_cursor)
                times, cpu = [], []
                for i in range(repeat):
                    q = ask(name, cursors[i % PAGES])
                    started, used = time.perf_counter(), time.process_time()
                    await (store.list_nodes(q) if isinstance(q, Query) else store.list_items(q))
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - used) * 1000)
                out[name] = statistics.median(times)
                out[name + " cpu"] = statistics.median(cpu)
        finally:
            await store.close()
        return out

    return asyncio.run(run())


def embedded_demo(scale: int, root: Path) -> Path:
    """A data directory holding the urumqi-etdz demo at `scale`, loaded with this checkout's code."""
    data_dir = root / f"x{scale}"
    if not (data_dir / "alliance.sqlite3").exists():
        env = {**os.environ, "ALLIANCE_STORE": "embedded", "ALLIANCE_DATA_DIR": str(data_dir)}
        subprocess.run([sys.executable, "-m", "service.cli", "demo", "--profile", "urumqi-etdz", "--scale",
                        str(scale), "--no-analyze"], env=env, check=True, stdout=subprocess.DEVNULL)
    return data_dir


def embedded_main(base: Path | None, scales: list[int], repeat: int, root: Path) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    rows: dict[str, dict[tuple[str, int], float]] = {}
    for scale in scales:
        data_dir = embedded_demo(scale, root)
        trees = [("after", HERE)] + ([("before", base.resolve())] if base else [])
        for tree_name, tree in trees:
            done = subprocess.run(_in(tree, "--embedded-times", str(data_dir), "--repeat", str(repeat)),
                                  check=True, capture_output=True, text=True)
            for name, ms in json.loads(done.stdout).items():
                rows.setdefault(name, {})[(tree_name, scale)] = ms
    print("\nembedded store, one 50-item page at the port: p50 ms")
    head = [f"{t} x{s}" for s in scales for t in ("before", "after")]
    print("| question | " + " | ".join(head) + " | after x" + f"{scales[-1]} / x{scales[0]} |")
    print("|---|" + "---:|" * (len(head) + 1))
    for name, cells in rows.items():
        shown = [f"{cells[(t, s)]:.2f}" if (t, s) in cells else "—" for s in scales for t in ("before", "after")]
        growth = cells[("after", scales[-1])] / cells[("after", scales[0])]
        print(f"| {name} | " + " | ".join(shown) + f" | {growth:.2f}× |")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


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
                asked = urls[1:] if name in NEW_ONLY else urls
                answers = [client.post(u + "/graphql", json=body).json() for u in asked]  # warm-up, and the check
                if answers[0] != answers[-1] or "errors" in answers[-1]:
                    raise RuntimeError(f"{name}: old and new answer differently: {json.dumps(answers)[:400]}")
                times: list[list[float]] = [[], []]
                for _ in range(rounds):
                    for i, url in enumerate(urls):
                        for _ in range(per_round if url in asked else 0):
                            started = time.perf_counter()
                            client.post(url + "/graphql", json=body).raise_for_status()
                            times[i].append((time.perf_counter() - started) * 1000)
                out[name] = (statistics.median(times[0]) if times[0] else math.nan, statistics.median(times[1]))
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
    parser.add_argument("--store", choices=("neo4j", "embedded"), default="neo4j")
    parser.add_argument("--scales", default="1,10", help="embedded: the demo scales to load and measure")
    parser.add_argument("--repeat", type=int, default=200, help="embedded: calls per question")
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/bench-listings-embedded"),
                        help="embedded: where the demo data directories are kept (reused when present)")
    parser.add_argument("--embedded-times", type=Path, help=argparse.SUPPRESS)  # one tree's figures, as JSON
    args = parser.parse_args()
    if args.hits_only:
        print(json.dumps(asyncio.run(profile_hits())))
        return
    if args.embedded_times:
        print(json.dumps(embedded_times(args.embedded_times, args.repeat)))
        return
    if args.store == "embedded":
        embedded_main(args.base, [int(s) for s in args.scales.split(",")], args.repeat, args.data_root)
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
        print(f"| {name} | {old[name]:,} | {new[name]:,} |" if name in old else f"| {name} | — | {new[name]:,} |")

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
        if math.isnan(before):
            print(f"| {name} | — | {after:.1f} | — |")
        else:
            print(f"| {name} | {before:.1f} | {after:.1f} | {before / after:.1f}× |")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
