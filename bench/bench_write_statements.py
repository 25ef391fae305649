"""Where the server's time per row goes when the loader writes a batch of new items, against what LOAD CSV runs
(issue 16, the ordinary loader's target): one batch of ROWS new items with their PUBLISHED links, written each of
these ways in turns, several rounds, into the same seeded graph (300 publishers), the items deleted between:

- `store`: `Neo4jStore.upsert_batch` as the loader calls it (its client work included), then the same
  statements sent by hand, timed by the server (`result_available_after + result_consumed_after`):
  the probe, `create_nodes` (ListItem, with the kept claim state), `create_relationships` (grouped by publisher);
- `kept-in-rows`: the same, with the claim state a new item starts with (claimed 0, remaining its quantity)
  sent in its row instead of computed by `create_nodes` (what the store would send to skip fragments/kept.cypher);
- `pair`, `pair-disjoint`: two such batches in two concurrent transactions (as the loader's two writers), their
  publishers shared or not (whether the writers wait on each other's locks); the rate counts both batches;
- `unwind`: LOAD CSV's statement with UNWIND $rows instead of the file (one statement, one transaction);
- `load-csv`: LOAD CSV itself over HTTP, one transaction of ROWS rows.

    set -a; . .neo4j/test/env; set +a
    .venv/bin/python -m bench.bench_write_statements [--rows 10000] [--rounds 3] [--profile]

--profile prints the db hits per operator of each statement (PROFILE, 1,000 rows).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase

from bench.bench_load_csv import LIST_VALUES, LOAD_CSV, serve, write_clean_csv
from bench.bench_loaders import CATEGORIES, PUBLISHERS, _drop_items, publishers, seed
from bench.common import neo4j_store
from service.graph import records
from service.graph.neo4j.batches import probe
from service.graph.neo4j.statements import statement
from service.graph.types import RelGroup, RelRow
from service.model import Label, RelType

UNWIND = """
UNWIND $rows AS row
MATCH (p:Organisation {id: row.publisher})
CREATE (i:ListItem:Entity {id: row.id, list: row.list, title: row.title, category: row.category,
                           quantity: row.quantity, unit: row.unit, status: row.status, publishedOn: row.publishedOn})
CREATE (p)-[:PUBLISHED]->(i)
"""


def items(rows: int, prefix: str, units: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    units = units or publishers()
    return [{"id": f"{prefix}-{i:07d}", "list": LIST_VALUES[i % 3], "title": f"共享事项{i}",
             "category": CATEGORIES[i % len(CATEGORIES)], "quantity": i % 40 + 1, "unit": "个", "status": "OPEN",
             "publishedOn": f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "publisher": units[i % len(units)]["id"]}
            for i in range(rows)]


def _driver() -> Any:
    env = os.environ
    return AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], notifications_disabled_classifications=["SECURITY"],
                                     auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))


def _db() -> str:
    return os.environ.get("ALLIANCE_NEO4J_DATABASE", "neo4j")


def _store_statements(batch: list[dict[str, Any]], kept_in_rows: bool = False) -> list[tuple[str, str, dict[str, Any]]]:
    """The create path's statements for the batch, with the parameters the store sends (batches.create_batch);
    `kept_in_rows`: the claim state a new item starts with sent in its row instead of computed by the statement."""
    nodes = [{k: v for k, v in r.items() if k != "publisher"} for r in batch]
    rels = [RelRow(r["publisher"], r["id"], {}) for r in batch]
    node_steps, groups = records.prepare_batch([(Label.LIST_ITEM, nodes)],
                                               [RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM, rels)])
    [(_, rows)] = node_steps
    by_start: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in groups[0].rows:
        by_start[rel.start].append({"end": rel.end, "props": rel.props})
    create = statement("create_nodes", label=Label.LIST_ITEM)
    if kept_in_rows:
        create = create.split("SET n += ")[0] + "RETURN count(n) AS created"
        rows = [{**r, "claimed": 0, "remaining": r.get("quantity", 0)} for r in rows]
    return [("probe", statement("count_existing"), {"ids": probe(node_steps)}),
            ("create_nodes", create, {"rows": rows}),
            ("create_relationships", statement("create_relationships", start=Label.ORGANISATION,
                                               type=RelType.PUBLISHED, end=Label.LIST_ITEM),
             {"groups": [{"start": s, "rows": rows} for s, rows in by_start.items()]})]


async def _in_tx(driver: Any, parts: list[tuple[str, str, dict[str, Any]]], profile: bool = False) -> dict[str, float]:
    """The statements in one transaction: the server's milliseconds for each, and the commit's."""
    out: dict[str, float] = {}
    async with driver.session(database=_db()) as session:
        tx = await session.begin_transaction()
        try:
            for name, text, params in parts:
                result = await tx.run(("PROFILE " if profile else "") + text, params)
                summary = await result.consume()
                out[name] = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
                if profile:
                    print(f"  PROFILE {name}: {_hits(summary.profile)} db hits in all")
                    _operators(summary.profile, "    ")
            started = time.perf_counter()
            await tx.commit()
            out["commit"] = (time.perf_counter() - started) * 1000
        except BaseException:
            await tx.cancel()
            raise
    return out


def _hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(_hits(c) for c in plan.get("children", []))


def _operators(plan: dict[str, Any], indent: str) -> None:
    args = plan.get("args", {})
    print(f"{indent}{plan['operatorType']}: rows {plan.get('rows', 0):,}, db hits {plan.get('dbHits', 0):,}"
          f"{' (' + str(args.get('Details'))[:90] + ')' if args.get('Details') else ''}")
    for child in plan.get("children", []):
        _operators(child, indent + "  ")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with neo4j_store() as store:
        try:
            await _drop_items()
            await seed(store)
        finally:
            await store.close()
    driver = _driver()
    with tempfile.TemporaryDirectory(prefix="bench-write-") as tmp:
        folder = Path(tmp)
        server, port = serve(folder)
        try:
            if args.profile:
                small = items(1000, "PR")
                print("store's create path, 1,000 rows:")
                await _in_tx(driver, _store_statements(small), profile=True)
                await _drop_items()
                print("LOAD CSV's statement over UNWIND, 1,000 rows:")
                await _in_tx(driver, [("unwind", UNWIND, {"rows": small})], profile=True)
                await _drop_items()
            ways = ["store", "statements", "kept-in-rows", "pair", "pair-disjoint", "unwind", "load-csv"]
            for round_ in range(1, args.rounds + 1):
                shift = (round_ - 1) % len(ways)
                for way in ways[shift:] + ways[:shift]:
                    prefix = f"W{round_}{ways.index(way)}"
                    batch = items(args.rows, prefix)
                    started = time.perf_counter()
                    detail = ""
                    if way == "store":
                        with neo4j_store() as store:
                            try:
                                await store.ping()
                                started = time.perf_counter()
                                nodes = [{k: v for k, v in r.items() if k != "publisher"} for r in batch]
                                rels = [RelRow(r["publisher"], r["id"], {}) for r in batch]
                                await store.upsert_batch(
                                    [(Label.LIST_ITEM, nodes)],
                                    [RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM, rels)])
                                seconds = time.perf_counter() - started
                            finally:
                                await store.close()
                    elif way in ("statements", "kept-in-rows"):
                        parts = _store_statements(batch, kept_in_rows=way == "kept-in-rows")
                        started = time.perf_counter()
                        server_ms = await _in_tx(driver, parts)
                        seconds = time.perf_counter() - started
                        detail = " (server: " + ", ".join(f"{k} {v:,.0f} ms" for k, v in server_ms.items()) + ")"
                    elif way.startswith("pair"):
                        # two batches of the store's statements in two concurrent transactions, as two writers
                        # send them: their publishers shared, or half the publishers each ("disjoint")
                        units = publishers()
                        halves = [units[:PUBLISHERS // 2], units[PUBLISHERS // 2:]] if way == "pair-disjoint" \
                            else [units, units]
                        pair = [_store_statements(items(args.rows, f"{prefix}{k}", halves[k])) for k in (0, 1)]
                        started = time.perf_counter()
                        both = await asyncio.gather(*(_in_tx(driver, parts) for parts in pair))
                        seconds = (time.perf_counter() - started) / 2  # per batch of ROWS, to compare with the others
                        detail = " (two at once; server per batch: " + "; ".join(
                            ", ".join(f"{k} {v:,.0f} ms" for k, v in ms.items()) for ms in both) + ")"
                    elif way == "unwind":
                        started = time.perf_counter()
                        server_ms = await _in_tx(driver, [("unwind", UNWIND, {"rows": batch})])
                        seconds = time.perf_counter() - started
                        detail = " (server: " + ", ".join(f"{k} {v:,.0f} ms" for k, v in server_ms.items()) + ")"
                    else:
                        write_clean_csv(folder / "one.csv", args.rows, prefix)
                        started = time.perf_counter()
                        async with driver.session(database=_db()) as session:
                            result = await session.run(LOAD_CSV, url=f"http://127.0.0.1:{port}/one.csv", batch=100_000)
                            await result.consume()
                        seconds = time.perf_counter() - started
                    print(f"round {round_} {way:10s}: {args.rows:,} rows in {seconds:.2f} s = "
                          f"{args.rows / seconds:,.0f} rows/s{detail}; load {os.getloadavg()[0]:.1f}", flush=True)
                    await _drop_items()
        finally:
            server.shutdown()
            await driver.close()
            await _drop_items()


if __name__ == "__main__":
    asyncio.run(main())
