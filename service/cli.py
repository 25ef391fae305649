"""`alliance serve | demo | migrate | info | analyze | load | imports | template | export | keys | audit |
backup | restore | withdraw | merge-units | history | neo4j start|stop|status`,
and `alliance --version`.

Every command that opens a store says which one on stderr, in one line, before anything else: the
embedded store's data directory or Neo4j's URI (never its password), so a file loaded into an
unexpected store is noticed at once."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.settings import Settings, StoreKind

# the commands that open the store the settings name (template and neo4j do not)
STORE_COMMANDS = frozenset({"serve", "demo", "migrate", "info", "analyze", "load", "imports", "export", "keys",
                            "backup", "restore", "audit", "withdraw", "merge-units", "history"})


def package_version() -> str:
    """The installed package's version (pyproject.toml's, through importlib.metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance-graph")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        return "unknown (not installed)"


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.api.metrics import reset_multiprocess_dir
    from service.app import create_app
    from service.logging_setup import uvicorn_log_config

    print(f"Alliance Graph on the {settings.store.value} store: http://{args.host}:{args.port}/", flush=True)
    reset_multiprocess_dir()  # PROMETHEUS_MULTIPROC_DIR, when set: no counts of an earlier run
    # JSON log lines; uvicorn's access log (paths with their query strings) off: the service logs its own
    log_config = uvicorn_log_config("info")
    if args.workers > 1:
        # each worker process builds its own app (and store connection) from the same settings;
        # the embedded store sees the other workers' writes through SQLite's data_version
        uvicorn.run("service.app:create_app", factory=True, workers=args.workers,
                    host=args.host, port=args.port, log_config=log_config, access_log=False)
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=log_config, access_log=False)
    return 0


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from service.analytics.analysis import analyze
    from service.analytics.command import Bar
    from service.analytics.command import summary as analysis_summary
    from service.analytics.metrics import options_for
    from service.analytics.results import Analysis
    from service.graph import open_store
    from service.model import Label

    store = open_store(settings)
    try:
        await store.migrate()
        # the audit trail is not data the demo would overwrite (any audited command leaves a record)
        held = sum(n for label, n in (await store.count_by_label()).items() if label is not Label.AUDIT_RECORD)
        if held and args.reset and args.bulk:
            print(f"the offline import replaces the {settings.store_location()} ({held:,} nodes)")
        elif held and args.reset:
            await store.clear()
            print(f"emptied the {settings.store_location()} ({held:,} nodes deleted)")
        elif held and args.if_empty:
            print(f"the {settings.store_location()} already holds {held:,} nodes: left as it is, "
                  "the demo is not loaded (--if-empty)")
            return 0
        elif held:
            print(f"error: the {settings.store_location()} already holds {held:,} nodes, and the demo loads only "
                  "into an empty store (it would overwrite edits made since). --reset empties the store first, "
                  "deleting everything in it; --if-empty loads only when it is empty", file=sys.stderr)
            return 1
        started = time.perf_counter()
        if args.bulk:
            await store.close()  # the import stops and restarts the server
            counts = await _bulk_demo(args, settings)
            store = open_store(settings)
        else:
            counts = await _load_demo_stream(store, args, started)
        elapsed = time.perf_counter() - started
        analysis: Analysis | None = None
        if not args.no_analyze:  # the whole graph, so the pages show brokers and communities at once
            bar = Bar(sys.stderr)
            try:
                analysis = await analyze(store, options=options_for(settings), progress=bar)
            finally:
                bar.close()
        analysed_in = time.perf_counter() - started - elapsed
    finally:
        await store.close()
    from service.demo import PROVINCE_REPLICAS, PROVINCES

    scale = args.scale or (PROVINCE_REPLICAS if args.profile in PROVINCES else 1)
    print(f"loaded {args.profile} (scale {scale}, seed {args.seed}) into the {settings.store.value} store "
          f"in {elapsed:.1f} s "
          f"({(counts['nodes'] + counts['relationships']) / max(elapsed, 1e-9):,.0f} nodes and relationships/s; "
          f"this process's peak RSS {_peak_rss_mib():,.0f} MiB)")
    for key, value in counts.items():
        print(f"  {key:<28} {value:>10,}")
    if analysis is None:
        print("not analysed (--no-analyze): `alliance analyze` or the dashboard's 运行分析 computes the analytics")
    else:
        print(analysis_summary(analysis, analysed_in, written=True))
    return 0


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _load_demo_stream(store: Any, args: argparse.Namespace, started: float) -> dict[str, int]:
    """The demo generated and written one replica of one profile at a time (service.demo.stream), so memory holds
    one part whatever the scale; a line per part on stderr when there are several: where it is, rate, RSS."""
    from service.demo import load_dataset, stream

    counts: dict[str, int] = {}
    parts = list(_demo_parts(args))
    for done, dataset in enumerate(stream(args.profile, scale=args.scale, seed=args.seed), 1):
        for key, value in (await load_dataset(store, dataset)).items():
            counts[key] = counts.get(key, 0) + value
        if len(parts) > 1:
            spent = time.perf_counter() - started
            print(f"  part {done}/{len(parts)} {dataset.profile} #{dataset.replica}: {counts['nodes']:,} nodes, "
                  f"{counts['relationships']:,} relationships, {spent:.0f} s, "
                  f"{(counts['nodes'] + counts['relationships']) / max(spent, 1e-9):,.0f}/s, "
                  f"peak RSS {_peak_rss_mib():,.0f} MiB", file=sys.stderr, flush=True)
    return counts


async def _bulk_demo(args: argparse.Namespace, settings: Settings) -> dict[str, int]:
    import os

    from loaders.bulk import BulkRefused, bulk_import_demo
    from service.demo import Dataset, stream

    started = time.perf_counter()
    total = len(_demo_parts(args))
    done = 0

    def progress(part: Dataset, nodes: int, relationships: int) -> None:
        nonlocal done
        done += 1
        spent = time.perf_counter() - started
        print(f"  part {done}/{total} {part.profile} #{part.replica} written out: {nodes:,} nodes, "
              f"{relationships:,} relationships, {spent:.0f} s, peak RSS {_peak_rss_mib():,.0f} MiB",
              file=sys.stderr, flush=True)

    home = args.neo4j_home or (Path(os.environ["ALLIANCE_NEO4J_HOME"]) if os.environ.get("ALLIANCE_NEO4J_HOME")
                               else None)
    try:
        result = await bulk_import_demo(stream(args.profile, scale=args.scale, seed=args.seed), home, settings,
                                        progress=progress, replace=args.reset)
    except BulkRefused as exc:
        raise SystemExit(f"error: {exc}") from exc
    print(result.summary() + f"; {result.claims:,} claims in {result.seconds.get('claims', 0):.1f} s", flush=True)
    return {"nodes": result.nodes, "nodes_created": result.nodes, "relationships": result.relationships,
            "relationships_created": result.relationships, "claims": result.claims,
            "claims_rejected": result.claims_rejected}


def _demo_parts(args: argparse.Namespace) -> list[tuple[str, int]]:
    from service.demo import PROVINCE_REPLICAS, PROVINCES

    members = PROVINCES.get(args.profile, (args.profile,))
    scale = args.scale or (PROVINCE_REPLICAS if args.profile in PROVINCES else 1)
    return [(key, r) for r in range(1, scale + 1) for key in members]


async def _migrate(settings: Settings) -> int:
    from service.graph import open_store

    store = open_store(settings)
    try:
        applied = await store.migrate()
    finally:
        await store.close()
    print("applied: " + (", ".join(applied) if applied else "nothing, the schema is current"))
    return 0


async def _info(settings: Settings) -> int:
    from service.graph import open_store
    from service.model import Label
    from service.settings import public_uri

    lines = [f"Alliance Graph {package_version()}", f"store     {settings.store.value}"]
    counts = dict.fromkeys(Label, 0)
    if settings.store is StoreKind.NEO4J:
        lines.append(f"neo4j     {public_uri(settings.neo4j_uri)} (database {settings.neo4j_database}, "
                     f"user {settings.neo4j_user})")
        found = True
    else:
        from service.graph.embedded import EmbeddedStore

        lines.append(f"data dir  {settings.data_dir}")
        found = EmbeddedStore(settings.data_dir).path.exists()  # not opened: opening would create it
        if not found:
            lines.append("          (no store there yet: `alliance demo` or `alliance load` creates it)")
    if found:
        store = open_store(settings)
        try:
            counts = await store.count_by_label()
        finally:
            await store.close()
    lines.append("nodes by label")
    lines += [f"  {label.value:<16}{n:>10,}" for label, n in counts.items()]
    lines.append(f"  {'total':<16}{sum(counts.values()):>10,}")
    print("\n".join(lines))
    return 0


def _neo4j(args: argparse.Namespace) -> int:
    from service import neo4j_local

    return neo4j_local.main([args.action, "--home", str(args.home)] + (["--port", str(args.port)] if args.port else []))


def parser() -> argparse.ArgumentParser:
    from service.demo import PROFILES, PROVINCE_REPLICAS, PROVINCES

    p = argparse.ArgumentParser(prog="alliance", description="Alliance Graph: regional party-building alliances")
    p.add_argument("--version", action="version", version=f"%(prog)s {package_version()}",
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the HTTP service")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every one)")
    serve.add_argument("--port", type=int, default=8000, help="the TCP port to listen on (default: 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (one per core helps throughput)")

    demo = sub.add_parser("demo", help="generate and load a seed-calibrated demo dataset into an empty store")
    demo.add_argument("--profile", required=True, choices=sorted((*PROFILES, *PROVINCES)),
                      help="which seed article's figures to reproduce; guangdong: a province of the Guangdong seeds, "
                           "each replicated as its own districts (about 3.2M nodes, 5.0M relationships)")
    demo.add_argument("--scale", type=int, default=None,
                      help="multiply the profile (benchmarks; default 1, at most 30; for a province "
                           f"{PROVINCE_REPLICAS} replicas of each of its seeds, at most 41)")
    demo.add_argument("--seed", type=int, default=2026,
                      help="the random seed (default: 2026); the same seed gives the same names and ids")
    demo.add_argument("--no-analyze", action="store_true",
                      help="load only; skip computing the analytics (centrality, communities, brokers) afterwards")
    demo.add_argument("--bulk", action="store_true",
                      help="Neo4j only: write the demo through the offline importer into the local server named by "
                           "--neo4j-home (stopped and restarted); far faster than transactions for a province")
    demo.add_argument("--neo4j-home", type=Path, help="with --bulk: the local Neo4j's home (default: "
                      "$ALLIANCE_NEO4J_HOME)")
    when_full = demo.add_mutually_exclusive_group()
    when_full.add_argument("--reset", action="store_true",
                           help="empty the store first, deleting everything in it, then load the demo")
    when_full.add_argument("--if-empty", action="store_true",
                           help="load only when the store is empty; otherwise say so and exit 0 (make run)")

    sub.add_parser("migrate", help="apply schema migrations")
    sub.add_parser("info", help="the version, the store and its data directory or URI, and its nodes by label")

    from service.analytics.command import add_command as add_analyze

    add_analyze(sub)  # analyze

    from loaders.cli import add_commands

    add_commands(sub)  # load, imports, template, export

    from service.keys_command import add_command as add_keys

    add_keys(sub)  # keys create | list | revoke | rotate

    from service.backup_command import add_command as add_backup

    add_backup(sub)  # backup FILE, restore FILE
    from service.audit_command import add_command as add_audit

    add_audit(sub)  # audit [filters] [--format] | audit prune
    from service.corrections_command import add_command as add_corrections

    add_corrections(sub)  # withdraw, merge-units, history

    neo = sub.add_parser("neo4j", help="a local Neo4j Community 5.26 for development and tests")
    neo.add_argument("action", choices=["start", "stop", "status"], help="start, stop or report the local server")
    neo.add_argument("--home", type=Path, default=Path(".neo4j"),
                     help="the folder holding the server, its data and its env file (default: .neo4j)")
    neo.add_argument("--port", type=int, help="the Bolt port for start (default: a free one)")
    return p


def _on_store(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "demo":
        if args.scale is not None and args.scale < 1:
            raise SystemExit(f"--scale {args.scale}: must be 1 or more")
        return asyncio.run(_demo(args, settings))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings))
    if args.command == "info":
        return asyncio.run(_info(settings))
    if args.command == "analyze":
        from service.analytics.command import run as run_analyze

        return asyncio.run(run_analyze(args))
    if args.command == "keys":
        from service.keys_command import run as run_keys

        return asyncio.run(run_keys(args, settings))
    if args.command in ("backup", "restore"):
        from service.backup_command import run as run_backup

        return asyncio.run(run_backup(args, settings, package_version()))
    if args.command == "audit":
        from service.audit_command import run as run_audit

        return asyncio.run(run_audit(args, settings))
    if args.command in {"withdraw", "merge-units", "history"}:
        from service.corrections_command import run as run_corrections

        return asyncio.run(run_corrections(args, settings))
    from loaders.cli import run  # load, imports, export

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError

    from service.errors import AllianceError
    from service.settings import problems

    args = parser().parse_args(argv)
    try:
        if args.command in STORE_COMMANDS:
            settings = Settings()
            print(f"alliance {args.command}: using the {settings.store_location()}", file=sys.stderr, flush=True)
            return _on_store(args, settings)
        if args.command == "template":
            from loaders.cli import run

            return run(args)
        return _neo4j(args)
    except AllianceError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise
        for line in problems(exc):
            print(f"configuration error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
