"""`alliance load items` into Neo4j end to end (stream, parse, validate, resolve publishers, write):
10k-row batches against row-at-a-time loaders measured in the same run, the 1,364-item
urumqi-etdz list, and the loader's peak memory for 10k and 1M rows.

    .venv/bin/python -m bench.bench_loaders [--rows 100000] [--baseline-rows 2000] [--batch 10000]
        [--memory 10000:write,10000:dry-run,1000000:dry-run] [--client-rows 50000]

The client's own CPU per row is measured too, against a store that answers at once (no network, no
server): with the loader's raised garbage-collector threshold, and with Python's default, in one run.

Uses the Neo4j named by ALLIANCE_NEO4J_URI / _PASSWORD (its graph is CLEARED), else starts a local
one for the run. Peak memory is the peak RSS (VmHWM) of a fresh `python` subprocess that runs
`load_file` on a generated CSV; also shown, the RSS before the load (interpreter, imports, driver)
and the peak reached during the load alone (VmHWM reset through /proc/self/clear_refs before it).
getrusage's ru_maxrss is not used: after fork+exec it still counts the parent's size at the fork.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from neo4j import AsyncGraphDatabase

from bench.common import Timer, neo4j_store
from loaders import engine
from loaders.engine import Options, load_file
from loaders.kinds import KINDS, ItemRow, field_of
from loaders.readers import read_records
from loaders.writes import Writes
from service.graph import records
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.graph.types import BatchResult, Node, RelGroup, RelRow, UpsertResult
from service.model import Label, RelType

HEADER = ["清单编号", "清单类型", "事项名称", "类别", "数量", "单位", "状态", "发布日期", "发布单位", "所属协议"]
LISTS = ("需求", "资源", "项目")
CATEGORIES = ("停车位", "场地", "志愿服务", "项目资金", "医疗服务", "教育培训")
PUBLISHERS = 300


def publishers() -> list[dict[str, Any]]:
    return [{"id": f"ORG-P{i:04d}", "name": f"共建单位{i}党支部", "kind": "AGENCY", "level": "BRANCH"}
            for i in range(PUBLISHERS)]


def write_items_csv(path: Path, rows: int, prefix: str) -> Path:
    """Rows as an office types them: Chinese headers and list types, dates as 2021/3/5, the
    publisher by id on two rows in three and by exact name on the third."""
    units = publishers()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            unit = units[i % PUBLISHERS]
            w.writerow([f"{prefix}-{i:07d}", LISTS[i % 3], f"共享事项{i}", CATEGORIES[i % len(CATEGORIES)],
                        i % 40 + 1, "个", "开放", f"2021/{i % 12 + 1}/{i % 28 + 1}",
                        unit["name"] if i % 3 == 2 else unit["id"], ""])
    return path


async def seed(store: GraphStore) -> None:
    await store.clear()
    await store.migrate()
    await store.upsert_nodes(Label.ORGANISATION, publishers())


def _parsed_rows(path: Path) -> Iterator[ItemRow]:
    """The loader's own parsing and validation, one row at a time."""
    model = KINDS["items"].model
    for _, raw in read_records(path, "csv", lambda h: field_of("items", h)):
        values = {f: v for h, v in raw.items() if (f := field_of("items", h)) is not None}
        row = model.model_validate(values)
        assert isinstance(row, ItemRow)
        yield row


async def per_row(store: GraphStore, path: Path, transaction: bool) -> int:
    """Row-at-a-time loaders, publishers resolved once up front (which favours them).
    transaction=False: ONE statement per row (upsert_nodes of the item; its PUBLISHED
    relationship is not even written). transaction=True: one write transaction per row with the
    batched loader's statements (the item, then its PUBLISHED relationship replacing any other)."""
    by_key = {p["id"]: p["id"] for p in publishers()} | {p["name"]: p["id"] for p in publishers()}
    n = 0
    writes = Writes(ItemRow)
    for row in _parsed_rows(path):
        node = writes.node(row)
        assert node is not None
        if transaction:
            rel = RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM,
                           [RelRow(by_key[row.publisher or ""], row.id)])
            await store.upsert_batch([(Label.LIST_ITEM, [node])], [rel])
        else:
            await store.upsert_nodes(Label.LIST_ITEM, [node])
        n += 1
    return n


async def urumqi_list(store: GraphStore, tmp: Path) -> tuple[float, int, int]:
    """The urumqi-etdz demo without its list, then its 1,364 items loaded from a CSV."""
    from service.demo import generate, load_dataset
    from service.demo.dataset import Dataset

    data = generate("urumqi-etdz")
    items = data.nodes[Label.LIST_ITEM]
    touching = {RelType.PUBLISHED, RelType.INCLUDES, RelType.CLAIMED}
    publisher = {r.end: r.start for b in data.relationships if b.type is RelType.PUBLISHED for r in b.rows}
    agreement = {r.end: r.start for b in data.relationships if b.type is RelType.INCLUDES for r in b.rows}
    rest = Dataset({label: rows for label, rows in data.nodes.items() if label is not Label.LIST_ITEM},
                   [b for b in data.relationships if b.type not in touching], [], data.figures)
    await store.clear()
    await store.migrate()
    await load_dataset(store, rest)
    path = tmp / "urumqi-etdz-三张清单.csv"
    lists = {"NEED": "需求", "RESOURCE": "资源", "PROJECT": "项目"}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for it in items:
            w.writerow([it["id"], lists[it["list"]], it["title"], it.get("category", ""), it.get("quantity", ""),
                        it.get("unit", ""), it.get("status", ""), it.get("publishedOn", ""),
                        publisher.get(it["id"], ""), agreement.get(it["id"], "")])
    timer = Timer()
    with timer.measure():
        report = await load_file(store, "items", path, Options(batch_size=10_000))
    return timer.seconds, report.created, report.rejected


# --- the client alone ----------------------------------------------------------------------------

class InstantStore:
    """What the loader sees of a store that answers at once: the publishers found by id or exact name,
    each batch checked as both stores check it (records.prepare_batch), nothing kept."""

    def __init__(self) -> None:
        units = [Node(p["id"], Label.ORGANISATION, p) for p in publishers()]
        self._by_id = {n.id: n for n in units}
        self._by_name = {n.props["name"]: n for n in units}

    async def get_nodes(self, ids: list[str]) -> list[Node]:
        return [self._by_id[i] for i in ids if i in self._by_id]

    async def find_by_names(self, label: Label, names: list[str]) -> list[Node]:
        return [self._by_name[n] for n in names if label is Label.ORGANISATION and n in self._by_name]

    async def upsert_batch(self, nodes: Any, relationships: Any) -> BatchResult:
        node_steps, groups = records.prepare_batch(nodes, relationships)
        return BatchResult([UpsertResult(created=len(rows)) for _, rows in node_steps],
                           [UpsertResult(created=len(g.rows)) for g in groups])


async def client_cpu(path: Path, rows: int, batch: int, fewer_collections: bool) -> float:
    """CPU seconds per row (all threads) of `load_file` against InstantStore."""
    kept = engine.GC_FIRST_THRESHOLD
    engine.GC_FIRST_THRESHOLD = kept if fewer_collections else 0  # 0: the loader leaves Python's default
    try:
        started = time.process_time()
        report = await load_file(cast(GraphStore, InstantStore()), "items", path, Options(batch_size=batch))
        seconds = time.process_time() - started
    finally:
        engine.GC_FIRST_THRESHOLD = kept
    if (report.created, report.rejected) != (rows, 0):
        raise RuntimeError(f"client-only load: {report.created} created, {report.rejected} rejected")
    return seconds / rows


def report_client(args: argparse.Namespace, tmp: Path) -> None:
    path = write_items_csv(tmp / "client.csv", args.client_rows, "C")
    runs: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(3):  # alternated, the best of three each
        for fewer in (False, True):
            runs[fewer].append(asyncio.run(client_cpu(path, args.client_rows, args.batch, fewer)))
    default, raised = min(runs[False]) * 1e6, min(runs[True]) * 1e6
    print(f"client alone ({args.client_rows:,} rows, no server): {raised:.1f} us CPU per row; "
          f"{default:.1f} us with Python's default collector threshold ({default / raised:.2f}x)", flush=True)


# --- peak memory, in a fresh subprocess -------------------------------------------------------

def _status_mib(field: str) -> float:
    """VmRSS / VmHWM of this process, in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024


def _child(path: Path, mode: str, batch: int) -> None:
    before: dict[str, float] = {}

    async def run() -> dict[str, Any]:
        env = os.environ
        store = Neo4jStore.connect(env["ALLIANCE_NEO4J_URI"], env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                                   env["ALLIANCE_NEO4J_PASSWORD"])
        try:
            await store.ping()  # the connection pool is part of "before"
            before["rss"], before["hwm"] = _status_mib("VmRSS"), _status_mib("VmHWM")
            with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
                f.write("5")  # reset VmHWM to the current RSS: what follows is the load's own peak
            started = time.perf_counter()
            report = await load_file(store, "items", path, Options(batch_size=batch, dry_run=mode == "dry-run"))
            seconds = time.perf_counter() - started
        finally:
            await store.close()
        return {"rows": report.rows, "created": report.created, "rejected": report.rejected, "seconds": seconds}

    out = asyncio.run(run())
    out.update(before_mib=before["rss"], load_peak_mib=_status_mib("VmHWM"),
               peak_rss_mib=max(before["hwm"], _status_mib("VmHWM")))
    print(json.dumps(out))


def peak_memory(path: Path, mode: str, batch: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.bench_loaders", "--child", str(path), "--memory-mode", mode,
                           "--batch", str(batch)], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@contextmanager
def neo4j_env() -> Iterator[None]:
    """ALLIANCE_NEO4J_* for this run and its subprocesses: the given server, else a local one."""
    if os.environ.get("ALLIANCE_NEO4J_URI") and os.environ.get("ALLIANCE_NEO4J_PASSWORD"):
        yield
        return
    from service import neo4j_local

    home = Path(tempfile.mkdtemp(prefix="bench-loaders-neo4j-"))
    server = neo4j_local.start(home)
    os.environ.update(ALLIANCE_NEO4J_URI=server.uri, ALLIANCE_NEO4J_USER=server.user,
                      ALLIANCE_NEO4J_PASSWORD=server.password)
    try:
        yield
    finally:
        neo4j_local.stop(home)


async def throughput(args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    with neo4j_store() as store:
        await seed(store)
        path = write_items_csv(tmp / "items.csv", args.rows, "B")
        timer = Timer()
        with timer.measure():
            report = await load_file(store, "items", path, Options(batch_size=args.batch))
        if (report.created, report.rejected) != (args.rows, 0):
            raise RuntimeError(f"batched load: {report.created} created, {report.rejected} rejected")
        again = Timer()
        with again.measure():
            repeat = await load_file(store, "items", path, Options(batch_size=args.batch))
        if repeat.unchanged != args.rows:
            raise RuntimeError(f"reload: {repeat.unchanged} unchanged of {args.rows}")
        single, per_tx = Timer(), Timer()
        with single.measure():
            n1 = await per_row(store, write_items_csv(tmp / "s.csv", args.baseline_rows, "S"), transaction=False)
        with per_tx.measure():
            n2 = await per_row(store, write_items_csv(tmp / "t.csv", args.baseline_rows, "T"), transaction=True)
        urumqi_seconds, urumqi_created, urumqi_rejected = await urumqi_list(store, tmp)
        await store.clear()
        await store.close()
    return {
        "batched": args.rows / timer.seconds, "reload": args.rows / again.seconds,
        "single_statement": n1 / single.seconds, "single_transaction": n2 / per_tx.seconds,
        "urumqi_seconds": urumqi_seconds, "urumqi_created": urumqi_created, "urumqi_rejected": urumqi_rejected,
    }


def report_throughput(args: argparse.Namespace, r: dict[str, float]) -> None:
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    print(f"neo4j: items CSV, batches of {args.batch:,}, end to end: {r['batched']:,.0f} rows/s "
          f"({args.rows:,} rows); reload, all unchanged: {r['reload']:,.0f} rows/s")
    print(f"neo4j: one statement per row (item node only): {r['single_statement']:,.0f} rows/s; "
          f"one transaction per row (item + publisher): {r['single_transaction']:,.0f} rows/s "
          f"({args.baseline_rows:,} rows each)")
    print(f"neo4j: batched / one statement per row = {r['batched'] / r['single_statement']:.1f}x; "
          f"batched / one transaction per row = {r['batched'] / r['single_transaction']:.1f}x")
    print(f"neo4j: urumqi-etdz list: {r['urumqi_created']:,} items loaded in {r['urumqi_seconds']:.2f} s "
          f"({r['urumqi_rejected']} rejected)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--baseline-rows", type=int, default=2_000)
    p.add_argument("--batch", type=int, default=10_000)
    p.add_argument("--memory", default="10000:write,10000:dry-run,1000000:dry-run",
                   help="ROWS:MODE,… peak-memory runs; MODE write loads into Neo4j, dry-run validates only "
                        "(parse, validate, resolve publishers, look up existing ids; writes nothing); empty to skip")
    p.add_argument("--client-rows", type=int, default=50_000, help="rows of the client-only runs; 0 to skip")
    p.add_argument("--memory-mode", choices=["write", "dry-run"], default="write", help=argparse.SUPPRESS)
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        _child(args.child, args.memory_mode, args.batch)
        return
    with neo4j_env(), tempfile.TemporaryDirectory(prefix="bench-loaders-") as tmp_name:
        tmp = Path(tmp_name)
        if args.client_rows > 0:
            report_client(args, tmp)
        if args.rows > 0:  # --rows 0: only the memory runs
            report_throughput(args, asyncio.run(throughput(args, tmp)))
        runs = [(int(r), mode) for r, mode in (x.split(":") for x in args.memory.split(",") if x.strip())]
        for rows, mode in runs:
            path = write_items_csv(tmp / f"mem-{rows}.csv", rows, f"M{rows}")
            asyncio.run(_reseed())
            m = peak_memory(path, mode, args.batch)
            print(f"memory: {rows:>9,} rows ({path.stat().st_size / 2**20:,.0f} MiB CSV, {mode}): "
                  f"peak RSS {m['peak_rss_mib']:.0f} MiB (before the load {m['before_mib']:.0f} MiB, "
                  f"peak during it {m['load_peak_mib']:.0f} MiB); {m['rows'] / m['seconds']:,.0f} rows/s, "
                  f"{m['created']:,} {'would be created' if mode == 'dry-run' else 'created'}, "
                  f"{m['rejected']} rejected", flush=True)
            path.unlink()
        if runs:
            asyncio.run(_clear())


async def _drop_items() -> None:
    """Delete the items in small transactions first: the store's clear deletes in label-blind chunks, and a
    chunk holding the 300 publishers detaches all their PUBLISHED relationships at once (a million after the
    1M-row run), which exceeds Neo4j's transaction memory pool."""
    env = os.environ
    driver = AsyncGraphDatabase.driver(env["ALLIANCE_NEO4J_URI"],
                                       auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"]))
    try:
        while True:
            records, _, _ = await driver.execute_query(
                "MATCH (n:ListItem) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted",
                database_=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
            if not records[0]["deleted"]:
                break
    finally:
        await driver.close()


async def _clear() -> None:
    """Leave an empty graph behind (the memory runs load up to a million items)."""
    with neo4j_store() as store:
        try:
            await _drop_items()
            await store.clear()
        except Exception as exc:  # reported, not fatal: the figures are already printed
            print(f"note: clearing the graph after the memory runs failed: {exc}", file=sys.stderr)
        await store.close()


async def _reseed() -> None:
    with neo4j_store() as store:
        await _drop_items()  # the previous memory run may have left a million items
        await seed(store)
        await store.close()


if __name__ == "__main__":
    main()
