"""Analytics at province scale (issue 13 part 4): a full refresh with networkx's own code against the
compiled engine (igraph behind the same networkx interface), alternated, with the peak memory of each.

    .venv/bin/python -m bench.bench_analytics_scale                        # huadu ×10 store, ×30/×60/×120 in memory
    .venv/bin/python -m bench.bench_analytics_scale --copies 12 --engines igraph   # one engine only

1. huadu ×10 is generated and loaded into an embedded store (22,010 units). On it, alternated: the full
   refresh as `alliance analyze` runs it (read the projection, compute every metric, write every unit)
   with each engine, and a district-scoped refresh (`--region` of one of the ten districts).
2. A province-sized projection is built in memory from that store's projection: `copies` replicas of
   huadu ×10's units under their own ids (×30 = 3 copies ... ×120 = 12 copies, ≈ Guangdong's 120
   districts), the way the demo generator scales a profile (replicas under their own codes). No store
   holds it (the embedded store would need ≈ 12 GiB at ×120, docs/scale.md): timed are the projection
   build (projection.build: edges, weights, fingerprint) and every metric, per engine, alternated.

Memory: the peak resident set of the process during each timed run, sampled every 20 ms, and its
growth over the RSS before the run. Progress: each run's steps print on stderr through the CLI's bar
(units done, RSS, peak). Prints Markdown rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from service.analytics import metrics, projection
from service.analytics.analysis import analyze, compute
from service.analytics.command import Bar, memory_mib
from service.analytics.projection import Scope
from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from service.graph.types import Node, Tie, UnitTies
from service.model import Label
from service.settings import AnalyticsEngine

ENGINES = [AnalyticsEngine.NETWORKX, AnalyticsEngine.IGRAPH]  # --engines narrows it


class PeakRss:
    """The highest resident set seen while the block runs (sampled), in MiB."""

    def __init__(self, every: float = 0.02) -> None:
        self.every, self.peak, self.before = every, 0.0, 0.0
        self._stop = threading.Event()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, memory_mib()[0])
            self._stop.wait(self.every)

    @contextmanager
    def watching(self) -> Iterator[PeakRss]:
        self.before = self.peak = memory_mib()[0]
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        try:
            yield self
        finally:
            self._stop.set()
            watcher.join()
            self.peak = max(self.peak, memory_mib()[0])


def _timing_progress(steps: dict[str, float], bar: Bar) -> Callable[[str, int, int], None]:
    last = [time.perf_counter()]

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - last[0]
        last[0] = now
        bar(step, done, total)

    return progress


def _replica(units: list[UnitTies], copy: int) -> list[UnitTies]:
    """The units under ids of their own (prefix `P<copy>-`), agreements, alliances and publishers too."""
    if copy == 0:
        return units
    tag = f"P{copy}-"

    def tie(t: Tie) -> Tie:
        return Tie(tag + t.id, t.size)

    return [dataclasses.replace(
        u, node=Node(tag + u.node.id, u.node.label, u.node.props),
        region_id=None if u.region_id is None else tag + u.region_id,
        agreements=tuple(tie(t) for t in u.agreements), alliances=tuple(tie(t) for t in u.alliances),
        claimed_from=tuple(tag + p for p in u.claimed_from)) for u in units]


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in steps.items())


async def store_runs(rounds: int) -> tuple[list[UnitTies], list[str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-analytics-scale-") as tmp:
        store = EmbeddedStore(Path(tmp))
        try:
            await store.migrate()
            dataset = generate("huadu", scale=10)
            districts = sorted(r["id"] for r in dataset.nodes[Label.REGION] if r.get("level") == "DISTRICT")
            started = time.perf_counter()
            await load_dataset(store, dataset)
            del dataset
            rows.append(_row("huadu ×10, embedded store", f"{len(districts)} districts",
                             f"demo load {time.perf_counter() - started:.1f} s (not part of any refresh)"))
            units = await store.analytics_network()
            results: dict[tuple[str, str], list[tuple[float, float, dict[str, float]]]] = {}
            for _ in range(rounds):
                for engine in ENGINES:
                    for what, scope in (("full", Scope()), ("district", Scope(region_id=districts[0]))):
                        steps: dict[str, float] = {}
                        print(f"-- {what} refresh, {engine.value}", file=sys.stderr)
                        bar = Bar(sys.stderr)
                        with PeakRss().watching() as rss:
                            started = time.perf_counter()
                            result = await analyze(store, scope, options=metrics.Options(engine=engine),
                                                   progress=_timing_progress(steps, bar))
                            seconds = time.perf_counter() - started
                        assert result.engine == engine.value
                        results.setdefault((what, engine.value), []).append((seconds, rss.peak - rss.before, steps))
                        size = result.network.graph.number_of_nodes()
                        results.setdefault((what, "units"), []).append((size, 0.0, {}))
        finally:
            await store.close()
    for what in ("full", "district"):
        units_in = int(results[(what, "units")][0][0])
        for engine in ENGINES:
            runs = results[(what, engine.value)]
            times = [r[0] for r in runs]
            best = min(runs, key=lambda r: r[0])
            rows.append(_row(f"{what} refresh ({units_in:,} units), {engine.value}",
                             f"**{statistics.median(times):.2f} s** (runs: {', '.join(f'{t:.2f}' for t in times)}); "
                             f"RSS +{max(r[1] for r in runs):.0f} MiB",
                             _steps(best[2])))
    return units, rows


def memory_runs(units: list[UnitTies], copies: list[int], rounds: int) -> list[str]:
    rows = []
    for count in copies:
        started = time.perf_counter()
        province = [u for c in range(count) for u in _replica(units, c)]
        with PeakRss().watching() as built:
            network = projection.build(province)
        build_s = time.perf_counter() - started
        g = network.graph
        rows.append(_row(f"huadu ×{10 * count} in memory ({count} × huadu ×10)",
                         f"{g.number_of_nodes():,} units, {g.number_of_edges():,} ties",
                         f"projection build {build_s:.1f} s, RSS {built.peak:,.0f} MiB after it"))
        seen: dict[str, list[tuple[float, float, dict[str, float]]]] = {}
        for _ in range(rounds):
            for engine in ENGINES:
                steps: dict[str, float] = {}
                print(f"-- ×{10 * count}, {engine.value}", file=sys.stderr)
                with PeakRss().watching() as rss:
                    started = time.perf_counter()
                    compute(network, options=metrics.Options(engine=engine),
                            progress=_timing_progress(steps, Bar(sys.stderr)))
                    seconds = time.perf_counter() - started
                seen.setdefault(engine.value, []).append((seconds, rss.peak - rss.before, steps))
        for engine in ENGINES:
            runs = seen[engine.value]
            times = [r[0] for r in runs]
            best = min(runs, key=lambda r: r[0])
            rows.append(_row(f"every metric, {engine.value}",
                             f"**{statistics.median(times):.2f} s** (runs: {', '.join(f'{t:.2f}' for t in times)}); "
                             f"RSS +{max(r[1] for r in runs):.0f} MiB", _steps(best[2])))
        for row in rows[-3:]:
            print(row, flush=True)
        del network, province, g
    return rows


async def run(copies: list[int], rounds: int) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)", flush=True)
    print("| run | figure | detail (seconds) |\n|---|---|---|", flush=True)
    units, rows = await store_runs(rounds)
    for row in rows:
        print(row, flush=True)
    memory_runs(units, copies, rounds)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"process peak RSS {memory_mib()[1]:,.0f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", default="3,6,12", help="province sizes as copies of huadu ×10 (12 = ×120)")
    parser.add_argument("--rounds", type=int, default=2, help="alternated runs of each engine")
    parser.add_argument("--engines", default="networkx,igraph", help="comma-separated engines to run")
    args = parser.parse_args()
    ENGINES[:] = [AnalyticsEngine(e.strip()) for e in args.engines.split(",") if e.strip()]
    asyncio.run(run([int(c) for c in args.copies.split(",") if c], args.rounds))


if __name__ == "__main__":
    main()
