"""`alliance load items` end to end against Neo4j's own in-server loader, on the same server and schema, alternated
in one run (issue 16's speed target): `LOAD CSV … CALL { … } IN TRANSACTIONS` creating the same ListItem nodes
(with the Entity label the store gives every node) and PUBLISHED links from a pre-cleaned file (ids, English
values, ISO dates: no validation), served to the server over HTTP from this process.

    .venv/bin/python -m bench.bench_load_csv [--rows 100000] [--rounds 2] [--batch 10000]

Uses the Neo4j named by ALLIANCE_NEO4J_URI / _PASSWORD (its graph is CLEARED), else starts a local one.
Prints one line per run and the ratio loader ÷ LOAD CSV of rows/s per round; add them to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import http.server
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase

from bench.bench_loaders import CATEGORIES, PUBLISHERS, _drop_items, publishers, seed, write_items_csv
from bench.common import neo4j_store
from loaders.engine import Options, load_file

LIST_VALUES = ("NEED", "RESOURCE", "PROJECT")
# the statement LOAD CSV runs: what the loader writes for an item row, without its checks
LOAD_CSV = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Organisation {id: row.publisher})
  CREATE (i:ListItem:Entity {id: row.id, list: row.list, title: row.title, category: row.category,
                             quantity: toInteger(row.quantity), unit: row.unit, status: row.status,
                             publishedOn: row.publishedOn})
  CREATE (p)-[:PUBLISHED]->(i)
} IN TRANSACTIONS OF $batch ROWS
"""


def write_clean_csv(path: Path, rows: int, prefix: str) -> Path:
    """The same items as bench_loaders.write_items_csv, as a cleaned file: ids, enum values, ISO dates."""
    units = publishers()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "list", "title", "category", "quantity", "unit", "status", "publishedOn", "publisher"])
        for i in range(rows):
            w.writerow([f"{prefix}-{i:07d}", LIST_VALUES[i % 3], f"共享事项{i}", CATEGORIES[i % len(CATEGORIES)],
                        i % 40 + 1, "个", "OPEN", f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                        units[i % PUBLISHERS]["id"]])
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


async def count_items() -> tuple[int, int]:
    env = os.environ
    driver = AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"],
                                       auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))
    try:
        records, _, _ = await driver.execute_query(
            "MATCH (i:ListItem) OPTIONAL MATCH (i)<-[r:PUBLISHED]-() RETURN count(DISTINCT i) AS items, "
            "count(r) AS links", database_=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
        return int(records[0]["items"]), int(records[0]["links"])
    finally:
        await driver.close()


async def load_csv(url: str, batch: int) -> float:
    env = os.environ
    driver = AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], notifications_disabled_classifications=["SECURITY"],
                                       auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))
    try:
        started = time.perf_counter()
        async with driver.session(database=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")) as session:
            result = await session.run(LOAD_CSV, url=url, batch=batch)  # implicit: IN TRANSACTIONS needs it
            await result.consume()
        return time.perf_counter() - started
    finally:
        await driver.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-load-csv-") as tmp, neo4j_store() as store:
        folder = Path(tmp)
        office = write_items_csv(folder / "items.csv", args.rows, "BI")
        write_clean_csv(folder / "clean.csv", args.rows, "BI")
        server, port = serve(folder)
        try:
            for round_ in range(1, args.rounds + 1):
                order = ("load-csv", "loader") if round_ % 2 else ("loader", "load-csv")
                rates: dict[str, float] = {}
                for which in order:
                    await _drop_items()
                    await seed(store)
                    if which == "load-csv":
                        seconds = await load_csv(f"http://127.0.0.1:{port}/clean.csv", args.batch)
                    else:
                        started = time.perf_counter()
                        report = await load_file(store, "items", office, Options(batch_size=args.batch))
                        seconds = time.perf_counter() - started
                        assert report.rejected == 0 and report.created == args.rows, report.summary()
                    items, links = await count_items()
                    assert (items, links) == (args.rows, args.rows), (which, items, links)
                    rates[which] = args.rows / seconds
                    print(f"round {round_} {which:8s}: {args.rows:,} items and PUBLISHED links in {seconds:.2f} s "
                          f"= {rates[which]:,.0f} rows/s", flush=True)
                print(f"round {round_}: loader ÷ LOAD CSV = {rates['loader'] / rates['load-csv']:.2f}×", flush=True)
        finally:
            server.shutdown()
            await _drop_items()


if __name__ == "__main__":
    asyncio.run(main())
