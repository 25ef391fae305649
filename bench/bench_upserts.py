"""Batch upserts into Neo4j through UNWIND (10k-row batches) against one statement per row,
measured in the same run; and the urumqi-etdz demo loaded into the embedded store.

    .venv/bin/python -m bench.bench_upserts [--rows 100000] [--baseline-rows 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.common import Timer, neo4j_store
from service.graph.embedded import EmbeddedStore
from service.model import Label


def _rows(prefix: str, n: int) -> list[dict[str, object]]:
    return [{"id": f"{prefix}-{i:07d}", "name": f"共建单位{i}", "kind": "NON_PUBLIC", "level": "BRANCH",
             "createdOn": "2021-03-05"} for i in range(n)]


async def neo4j_upserts(rows: int, baseline_rows: int, batch: int) -> dict[str, float]:
    with neo4j_store() as store:
        await store.migrate()
        await store.clear()
        batched, single = Timer(), Timer()
        data = _rows("B", rows)
        with batched.measure():
            for i in range(0, rows, batch):
                await store.upsert_nodes(Label.ORGANISATION, data[i : i + batch])
        baseline = _rows("S", baseline_rows)
        with single.measure():
            for row in baseline:
                await store.upsert_nodes(Label.ORGANISATION, [row])
        again = Timer()
        with again.measure():  # a reload of the same rows: every node unchanged
            for i in range(0, rows, batch):
                await store.upsert_nodes(Label.ORGANISATION, data[i : i + batch])
        await store.clear()
        await store.close()
    return {
        "batched_nodes_per_s": rows / batched.seconds,
        "single_nodes_per_s": baseline_rows / single.seconds,
        "reload_nodes_per_s": rows / again.seconds,
        "ratio": (rows / batched.seconds) / (baseline_rows / single.seconds),
    }


async def embedded_demo_load(profile: str) -> dict[str, float]:
    from service.demo import generate, load_dataset

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp))
        await store.migrate()
        timer = Timer()
        with timer.measure():
            counts = await load_dataset(store, generate(profile))
        await store.close()
    return {"seconds": timer.seconds, "nodes": counts["nodes"], "relationships": counts["relationships"]}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--baseline-rows", type=int, default=2_000)
    p.add_argument("--batch", type=int, default=10_000)
    args = p.parse_args()
    demo = asyncio.run(embedded_demo_load("urumqi-etdz"))
    print(f"embedded: urumqi-etdz demo ({demo['nodes']:,.0f} nodes, {demo['relationships']:,.0f} relationships) "
          f"generated and loaded in {demo['seconds']:.2f} s")
    r = asyncio.run(neo4j_upserts(args.rows, args.baseline_rows, args.batch))
    print(f"neo4j: UNWIND batches of {args.batch:,}: {r['batched_nodes_per_s']:,.0f} nodes/s "
          f"({args.rows:,} rows); reload unchanged: {r['reload_nodes_per_s']:,.0f} nodes/s")
    print(f"neo4j: one statement per row: {r['single_nodes_per_s']:,.0f} nodes/s ({args.baseline_rows:,} rows)")
    print(f"neo4j: batched / per-row = {r['ratio']:.1f}x")


if __name__ == "__main__":
    main()
