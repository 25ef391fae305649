"""The steps of `alliance load --bulk` measured apart, each alternated against its alternative in one run (issue 16):

- validate: the organisations and items files through the loader into a staging graph, by one process and by
  `--processes` (loaders/parts.py), in turns; the reports must agree;
- the fixed cost, from the same importer's files every time: stop the local server and import, start it,
  build the schema (`migrate_imported`), per variant in turns:
  `before` (Neo4j's one index population worker on two cores, the constraints before the other indexes: the
  defaults), `after` (a worker per core, ALLIANCE_NEO4J_INDEX_WORKERS=2, and the constraints while the other
  indexes populate, `migrate_imported(overlap=True)`), and the two halves, `workers` and `overlap`.

    set -a; . .neo4j/test/env; set +a; export ALLIANCE_NEO4J_HOME=.neo4j/test
    .venv/bin/python -m bench.bench_bulk_steps --rows 200000 --rounds 2 [--processes 2] [--variants before,after]

The local server of ALLIANCE_NEO4J_HOME is stopped, its database REPLACED, and started again.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.bench_load_csv import count_items, write_orgs_csv
from bench.bench_loaders import write_items_csv
from loaders.bulk import BulkResult, _import_and_restart, stage
from loaders.engine import Options
from loaders.staging import ImportFiles
from service.graph import open_store
from service.graph.neo4j import Neo4jStore
from service.settings import Settings

VARIANTS = {  # name: (index population workers, "" for Neo4j's default (1 on 2 cores); the constraints built
    # while the other indexes populate)
    "before": ("", False),
    "after": ("2", True),
    "workers": ("2", False),
    "overlap": ("", True),
}


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


async def validate(groups: list[tuple[str, list[Path]]], rows: int, rounds: int, processes: int, batch: int,
                   keep: Path) -> ImportFiles:
    """Both ways in turns, in `keep`; the last staging's importer files (kept for the fixed-cost runs)."""
    last: ImportFiles | None = None
    for round_ in range(1, rounds + 1):
        order = [1, processes] if round_ % 2 else [processes, 1]
        reports = {}
        for n in order:
            folder = keep / f"r{round_}-p{n}"
            folder.mkdir()
            if last is not None:
                shutil.rmtree(next(iter(last.nodes)).parent)  # only the last run's files are kept

            result = BulkResult()
            started = time.perf_counter()
            files, done = await stage(groups, Options(batch_size=batch), folder, result, processes=n)
            seconds = time.perf_counter() - started
            assert files is not None and not result.failed, result.failed
            last = files
            reports[n] = [{k: v for k, v in dataclasses.asdict(r).items() if k not in ("seconds", "rejects_file")}
                          for _, _, r in done]
            print(f"round {round_} validate+files, {n} process(es): {seconds:.1f} s = {rows / seconds:,.0f} rows/s "
                  f"(validate {result.seconds['validate']:.1f} s, files {result.seconds['files']:.1f} s); "
                  f"load {_load()}", flush=True)
        assert reports[1] == reports[processes], "the reports differ"
    assert last is not None
    return last


async def fixed(files: ImportFiles, rows: int, rounds: int, variants: list[str], home: Path) -> None:
    settings = Settings()
    for round_ in range(1, rounds + 1):
        shift = (round_ - 1) % len(variants)
        for name in variants[shift:] + variants[:shift]:
            workers, overlap = VARIANTS[name]
            os.environ["ALLIANCE_NEO4J_INDEX_WORKERS"] = workers
            steps = BulkResult()
            _import_and_restart(home, settings, files, steps)
            store = open_store(settings)
            assert isinstance(store, Neo4jStore)
            try:
                started = time.perf_counter()
                await store.migrate_imported(overlap=overlap)
                steps.seconds["migrate"] = time.perf_counter() - started
            finally:
                await store.close()
            items, links = await count_items()
            assert (items, links) == (rows, rows), (items, links)
            total = sum(steps.seconds.values())
            launcher = next((line.split(": ", 1)[1] for line in (home / "neo4j.log").read_text().splitlines()
                             if "alliance-neo4j timing" in line), "")
            print(f"round {round_} {name:8s}: stop+import {steps.seconds['import']:.1f} s, start "
                  f"{steps.seconds['restart']:.1f} s ({launcher}), migrate {steps.seconds['migrate']:.1f} s "
                  f"= {total:.1f} s; load {_load()}", flush=True)
    os.environ.pop("ALLIANCE_NEO4J_INDEX_WORKERS", None)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--variants", default="before,after")
    parser.add_argument("--no-fixed", action="store_true", help="validation only (no Neo4j needed)")
    parser.add_argument("--neo4j-home", type=Path, default=Path(os.environ.get("ALLIANCE_NEO4J_HOME", ".neo4j/test")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bulk-steps-") as tmp:
        folder = Path(tmp)
        groups = [("organisations", [write_orgs_csv(folder / "orgs.csv")]),
                  ("items", [write_items_csv(folder / "items.csv", args.rows, "BI")])]
        files = await validate(groups, args.rows, args.rounds, args.processes, args.batch, folder)
        if not args.no_fixed:
            await fixed(files, args.rows, args.rounds, args.variants.split(","), args.neo4j_home)


if __name__ == "__main__":
    asyncio.run(main())
