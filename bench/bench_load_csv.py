"""`alliance load items` end to end against Neo4j's own in-server loader, on the same server and schema, alternated
in one run (issue 16's speed target): `LOAD CSV … CALL { … } IN TRANSACTIONS` creating the same ListItem nodes
(with the Entity label the store gives every node) and PUBLISHED links from a pre-cleaned file (ids, English
values, ISO dates: no validation), served to the server over HTTP from this process.

    .venv/bin/python -m bench.bench_load_csv [--rows 100000] [--rounds 2] [--batch 10000] [--writers 2] [--bulk]
    .venv/bin/python -m bench.bench_load_csv --rows 1000000 --rounds 1 --bulk --no-loader
    .venv/bin/python -m bench.bench_load_csv --rows 0 --memory 200000,1000000,2000000

Uses the Neo4j named by ALLIANCE_NEO4J_URI / _PASSWORD (its graph is CLEARED), else starts a local one.
Prints one line per run and the ratio loader ÷ LOAD CSV of rows/s per round; add them to bench/RESULTS.md.
--bulk adds `alliance load --bulk` (organisations file + items file, into the emptied database, through
neo4j-admin import: the local server of ALLIANCE_NEO4J_HOME is stopped and restarted) to every round.
--memory: the peak RSS of a fresh process loading ROWS items, for the normal path (into Neo4j, after the
publishers are seeded) and the bulk path's own process (validation, staging, the importer's files; the
importer is a JVM of its own with a fixed heap, -Xmx1g).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase

from bench.bench_loaders import CATEGORIES, PUBLISHERS, _drop_items, _status_mib, publishers, seed, write_items_csv
from bench.common import cpu_seconds, neo4j_store
from loaders.bulk import BulkResult, bulk_load, stage
from loaders.engine import Options, load_file

LIST_VALUES = ("NEED", "RESOURCE", "PROJECT")
# the statement LOAD CSV runs: the items the loader writes for item rows, without its checks. Every list item
# carries the claim state the store keeps on it (issue 17: claimed, and remaining = quantity less it, indexed),
# so "the same items" hold claimed 0 and remaining = quantity; the item tallies, which the loader also keeps,
# are left out (LOAD CSV's rows cannot be counted per batch): the baseline does less than the loader.
LOAD_CSV = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (p:Organisation {id: row.publisher})
  CREATE (i:ListItem:Entity {id: row.id, list: row.list, title: row.title, category: row.category,
                             quantity: toInteger(row.quantity), unit: row.unit, status: row.status,
                             publishedOn: row.publishedOn, claimed: 0, remaining: toInteger(row.quantity)})
  CREATE (p)-[:PUBLISHED]->(i)
} IN TRANSACTIONS OF $batch ROWS
"""
# the statement as issue 16 first set it, before items kept their claim state: items without claimed and
# remaining (two index entries a row fewer), which listings by what is unclaimed would not find (--plain)
LOAD_CSV_PLAIN = LOAD_CSV.replace(", claimed: 0, remaining: toInteger(row.quantity)", "")


def server_pid(home: Path) -> int | None:
    """The local server's process, to count its CPU (None for a server this machine did not start)."""
    try:
        return int(json.loads((home / "server.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


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


async def count_items() -> tuple[int, int, int]:
    env = os.environ
    driver = AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"],
                                       auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))
    try:
        records, _, _ = await driver.execute_query(
            "MATCH (i:ListItem) OPTIONAL MATCH (i)<-[r:PUBLISHED]-() RETURN count(DISTINCT i) AS items, "
            "count(r) AS links, sum(CASE WHEN i.claimed = 0 AND i.remaining = i.quantity THEN 1 ELSE 0 END) AS kept",
            database_=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
        return int(records[0]["items"]), int(records[0]["links"]), int(records[0]["kept"])
    finally:
        await driver.close()


async def load_csv(url: str, batch: int, text: str = LOAD_CSV) -> float:
    env = os.environ
    driver = AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], notifications_disabled_classifications=["SECURITY"],
                                       auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))
    try:
        started = time.perf_counter()
        async with driver.session(database=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")) as session:
            result = await session.run(text, url=url, batch=batch)  # implicit: IN TRANSACTIONS needs it
            await result.consume()
        return time.perf_counter() - started
    finally:
        await driver.close()


def write_orgs_csv(path: Path) -> Path:
    """The seeded publishers as an office organisations file: what --bulk loads before the items."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["组织编号", "组织名称", "组织类型", "组织层级"])
        for p in publishers():
            w.writerow([p["id"], p["name"], "机关", "党支部"])
    return path


async def bulk(orgs: Path, office: Path, batch: int, home: Path, processes: int = 1) -> tuple[float, BulkResult]:
    started = time.perf_counter()
    result = await bulk_load([("organisations", [orgs]), ("items", [office])], Options(batch_size=batch), home,
                             processes=processes)
    return time.perf_counter() - started, result


async def _child(path: Path, mode: str, batch: int) -> None:
    """One load in this fresh process, its peak RSS measured from just before it starts (VmHWM reset)."""
    before: dict[str, float] = {}

    def reset() -> None:
        before["rss"] = _status_mib("VmRSS")
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")  # reset VmHWM to the current RSS: what follows is the load's own peak

    async def run() -> dict[str, Any]:
        started = time.perf_counter()
        if mode == "write":
            with neo4j_store() as store:
                try:
                    await store.ping()  # the connection pool is part of "before"
                    reset()
                    started = time.perf_counter()
                    report = await load_file(store, "items", path, Options(batch_size=batch))
                finally:
                    await store.close()
            rows, created = report.rows, report.created
        else:  # the bulk path's own process: validation, staging, the importer's files (no store involved)
            reset()
            with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
                result = BulkResult()
                await stage([("organisations", [path.with_name("orgs.csv")]), ("items", [path])],
                            Options(batch_size=batch), Path(tmp), result)
            rows, created = sum(r.rows for r in result.reports), result.nodes
        return {"rows": rows, "created": created, "seconds": time.perf_counter() - started}

    out = await run()
    out.update(before_mib=before["rss"], peak_mib=_status_mib("VmHWM"))
    print(json.dumps(out))


async def memory(sizes: list[tuple[int, list[str]]], batch: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-load-mem-") as tmp, neo4j_store() as store:
        folder = Path(tmp)
        write_orgs_csv(folder / "orgs.csv")
        for rows, modes in sizes:
            office = write_items_csv(folder / "items.csv", rows, "BM")
            for mode in modes:
                if mode == "write":
                    await _drop_items()
                    await seed(store)
                done = subprocess.run([sys.executable, "-m", "bench.bench_load_csv", "--child", str(office),
                                       "--child-mode", mode, "--batch", str(batch)],
                                      check=True, capture_output=True, text=True)
                m = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"memory {mode:5s} {rows:>9,} rows: peak RSS {m['peak_mib']:.0f} MiB (before the load "
                      f"{m['before_mib']:.0f} MiB), {m['created']:,} written in {m['seconds']:.0f} s "
                      f"= {rows / m['seconds']:,.0f} rows/s; load average {os.getloadavg()[0]:.1f}", flush=True)
        await _drop_items()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--bulk", action="store_true", help="also `alliance load --bulk` in every round")
    parser.add_argument("--no-loader", action="store_true", help="LOAD CSV and --bulk only")
    parser.add_argument("--plain", action="store_true",
                        help="also LOAD CSV of items without their claim state (the statement before issue 17)")
    parser.add_argument("--processes", type=int, default=1, help="--bulk's validating processes")
    parser.add_argument("--writers", type=int, default=Options.writers, help="the loader's concurrent batch writers")
    parser.add_argument("--neo4j-home", type=Path, default=Path(os.environ.get("ALLIANCE_NEO4J_HOME", ".neo4j/test")))
    parser.add_argument("--memory", default="", help="ROWS[:bulk|:write],… peak-memory runs (default: both paths)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-mode", default="write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        await _child(args.child, args.child_mode, args.batch)
        return
    if args.memory:
        sizes = [x.split(":") for x in args.memory.split(",")]
        await memory([(int(x[0]), x[1:] or ["bulk", "write"]) for x in sizes], args.batch)
    if args.rows <= 0:
        return
    with tempfile.TemporaryDirectory(prefix="bench-load-csv-") as tmp:
        folder = Path(tmp)
        office = write_items_csv(folder / "items.csv", args.rows, "BI")
        orgs = write_orgs_csv(folder / "orgs.csv")
        write_clean_csv(folder / "clean.csv", args.rows, "BI")
        server, port = serve(folder)
        runs = ["load-csv", *([] if args.no_loader else ["loader"]), *(["bulk"] if args.bulk else []),
                *(["plain"] if args.plain else [])]
        try:
            for round_ in range(1, args.rounds + 1):
                shift = (round_ - 1) % len(runs)
                order = runs[shift:] + runs[:shift]  # each round starts with the next one
                rates: dict[str, float] = {}
                for which in order:
                    with neo4j_store() as store:  # a new connection each run: --bulk restarts the server
                        try:
                            await _drop_items()
                            await seed(store)
                            if which == "bulk":
                                await store.clear()
                        finally:
                            await store.close()
                    note = ""
                    pid = server_pid(args.neo4j_home)
                    client_before, server_before = time.process_time(), cpu_seconds(pid)
                    if which == "load-csv":
                        seconds = await load_csv(f"http://127.0.0.1:{port}/clean.csv", args.batch)
                    elif which == "plain":
                        seconds = await load_csv(f"http://127.0.0.1:{port}/clean.csv", args.batch, LOAD_CSV_PLAIN)
                    elif which == "loader":
                        started = time.perf_counter()
                        with neo4j_store() as store:
                            try:
                                report = await load_file(store, "items", office,
                                                         Options(batch_size=args.batch, writers=args.writers))
                            finally:
                                await store.close()
                        seconds = time.perf_counter() - started
                        assert report.rejected == 0 and report.created == args.rows, report.summary()
                    else:
                        seconds, result = await bulk(orgs, office, args.batch, args.neo4j_home, args.processes)
                        assert not result.failed and all(r.rejected == 0 for r in result.reports), result.failed
                        note = f" ({result.summary()})"
                    client_cpu, server_cpu = time.process_time() - client_before, cpu_seconds(pid) - server_before
                    if pid is not None and which != "bulk":  # CPU per row: steadier than the rate on a busy machine
                        note += (f" (CPU per row: client {client_cpu / args.rows * 1e6:.0f} µs, "
                                 f"server {server_cpu / args.rows * 1e6:.0f} µs)")
                    items, links, kept = await count_items()
                    assert (items, links) == (args.rows, args.rows), (which, items, links)
                    assert kept == (0 if which == "plain" else args.rows), (which, kept)  # the same items
                    rates[which] = args.rows / seconds
                    print(f"round {round_} {which:8s}: {args.rows:,} items and PUBLISHED links in {seconds:.2f} s "
                          f"= {rates[which]:,.0f} rows/s; load average {os.getloadavg()[0]:.1f}{note}", flush=True)
                ratios = ", ".join(f"{w} ÷ LOAD CSV = {rates[w] / rates['load-csv']:.2f}×" for w in runs[1:])
                print(f"round {round_}: {ratios}", flush=True)
        finally:
            server.shutdown()
            await _drop_items()


if __name__ == "__main__":
    asyncio.run(main())
