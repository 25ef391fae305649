"""`alliance analyze [--region ID] [--alliance ID] [--metrics m,m] [--engine E] [--dry-run]`: a full
refresh of the metrics on whichever store the settings name, with a progress bar on stderr that shows
each step's units done and the process's memory (resident now and at its peak)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import sys
import time
from typing import TextIO

from service import audit
from service.analytics.analysis import ALL_METRICS, Analysis, Metric, analyze
from service.analytics.metrics import options_for
from service.analytics.projection import Scope
from service.settings import AnalyticsEngine, Settings


def add_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="compute centrality, communities and brokers and write them onto the units")
    p.add_argument("--region", help="a region id: analyse the units located in its subtree")
    p.add_argument("--alliance", help="an alliance id: analyse its member organisations (and their enterprises)")
    p.add_argument("--metrics", type=_metrics, default=ALL_METRICS,
                   help=f"comma-separated, of {', '.join(m.value for m in ALL_METRICS)} (default: all)")
    p.add_argument("--engine", choices=[e.value for e in AnalyticsEngine],
                   help="what computes the metrics (default: ALLIANCE_ANALYTICS_ENGINE, else auto: "
                        "igraph from 5,000 units, networkx below)")
    p.add_argument("--dry-run", action="store_true", help="compute and report, write nothing")


def _metrics(text: str) -> tuple[Metric, ...]:
    try:
        return tuple(Metric(part.strip().lower()) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: metrics are {', '.join(m.value for m in ALL_METRICS)}") from None


def memory_mib() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MiB (now = peak where /proc is missing)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    try:
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        now = peak
    return now, max(now, peak)


class Bar:
    """A one-line progress bar: the step, its units done, the memory and the time so far, redrawn in
    place at most every `every` seconds (a province's betweenness reports thousands of components)."""

    def __init__(self, out: TextIO, width: int = 30, every: float = 0.2) -> None:
        self.out, self.width, self.every = out, width, every
        self.interactive = out.isatty()
        self.started = self.drawn = time.perf_counter()

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        finished = done == total
        if self.interactive and not finished and now - self.drawn < self.every:
            return
        self.drawn = now
        share = done / total if total else 1.0
        filled = int(share * self.width)
        rss, peak = memory_mib()
        line = (f"[{'#' * filled}{'.' * (self.width - filled)}] {step:<12} {done:,}/{total:,}  "
                f"rss {rss:,.0f} MiB (peak {peak:,.0f})  {now - self.started:.1f} s")
        if self.interactive:
            self.out.write("\r" + line + "\x1b[K")  # erase what a longer line left behind
        elif finished:
            self.out.write(line + "\n")  # a log file gets one line per finished step
        self.out.flush()

    def close(self) -> None:
        if self.interactive:
            self.out.write("\n")


async def run(args: argparse.Namespace) -> int:
    from service.graph import open_store

    settings = Settings()
    options = options_for(settings)
    if args.engine is not None:
        options = dataclasses.replace(options, engine=AnalyticsEngine(args.engine))
    store = open_store(settings)
    bar = Bar(sys.stderr)
    started = time.perf_counter()
    try:
        await store.migrate()
        async with audit.recorded(store, audit.cli_actor(), "analysis.run", [args.region, args.alliance]):
            result = await analyze(store, Scope(args.region, args.alliance), args.metrics, options, progress=bar,
                                   write=not args.dry_run)
    finally:
        bar.close()
        await store.close()
    print(summary(result, time.perf_counter() - started, written=not args.dry_run))
    return 0


def summary(result: Analysis, seconds: float, written: bool) -> str:
    g = result.network.graph
    lines = [
        f"analysed {result.network.scope.key or 'the whole graph'} on graph version {result.version} "
        f"in {seconds:.1f} s" + ("" if written else " (dry run: nothing written)"),
        f"  units {g.number_of_nodes():,}, ties {g.number_of_edges():,}; computed by {result.engine}, "
        f"peak memory {memory_mib()[1]:,.0f} MiB",
    ]
    if result.betweenness is not None:
        how = f"sampled, {result.betweenness_pivots:,} pivots" if result.betweenness_pivots else "exact"
        lines.append(f"  betweenness {how}")
    if result.closeness is not None:
        how = f"sampled, {result.closeness_pivots:,} pivots" if result.closeness_pivots else "exact"
        lines.append(f"  closeness (harmonic) {how}")
    if result.community is not None:
        lines.append(f"  communities {len(set(result.community.values())):,}, modularity {result.modularity:.4f}")
    if result.cuts is not None:
        lines.append(f"  articulation points {len(result.cuts.articulation):,}, bridges {len(result.cuts.bridges):,}")
    return "\n".join(lines)
