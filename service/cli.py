"""`alliance serve | demo | migrate | analyze | neo4j start|stop|status`."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from service.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app

    settings = Settings()
    print(f"Alliance Graph on the {settings.store.value} store: http://{args.host}:{args.port}/", flush=True)
    if args.workers > 1:
        # each worker process builds its own app (and store connection) from the same settings;
        # the embedded store sees the other workers' writes through SQLite's data_version
        uvicorn.run("service.app:create_app", factory=True, workers=args.workers,
                    host=args.host, port=args.port, log_level="info")
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


async def _demo(args: argparse.Namespace) -> int:
    from service.demo import generate, load_dataset
    from service.graph import open_store

    settings = Settings()
    store = open_store(settings)
    try:
        await store.migrate()
        if args.reset:
            await store.clear()
        started = time.perf_counter()
        dataset = generate(args.profile, scale=args.scale, seed=args.seed)
        counts = await load_dataset(store, dataset)
        elapsed = time.perf_counter() - started
    finally:
        await store.close()
    print(f"loaded {args.profile} (scale {args.scale}, seed {args.seed}) into the {settings.store.value} store "
          f"in {elapsed:.1f} s")
    for key, value in counts.items():
        print(f"  {key:<28} {value:>10,}")
    return 0


async def _migrate(_: argparse.Namespace) -> int:
    from service.graph import open_store

    store = open_store(Settings())
    try:
        applied = await store.migrate()
    finally:
        await store.close()
    print("applied: " + (", ".join(applied) if applied else "nothing, the schema is current"))
    return 0


def _neo4j(args: argparse.Namespace) -> int:
    from service import neo4j_local

    return neo4j_local.main([args.action, "--home", str(args.home)] + (["--port", str(args.port)] if args.port else []))


def parser() -> argparse.ArgumentParser:
    from service.demo import PROFILES

    p = argparse.ArgumentParser(prog="alliance", description="Alliance Graph: regional party-building alliances")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (one per core helps throughput)")

    demo = sub.add_parser("demo", help="generate and load a seed-calibrated demo dataset")
    demo.add_argument("--profile", required=True, choices=sorted(PROFILES))
    demo.add_argument("--scale", type=int, default=1, help="multiply the profile (benchmarks)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--reset", action="store_true", help="empty the store first")

    sub.add_parser("migrate", help="apply schema migrations")

    from service.analytics.command import add_command as add_analyze

    add_analyze(sub)  # analyze

    from loaders.cli import add_commands

    add_commands(sub)  # load, template

    neo = sub.add_parser("neo4j", help="a local Neo4j Community 5.26 for development and tests")
    neo.add_argument("action", choices=["start", "stop", "status"])
    neo.add_argument("--home", type=Path, default=Path(".neo4j"))
    neo.add_argument("--port", type=int)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError

    from service.errors import AllianceError
    from service.settings import problems

    args = parser().parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "demo":
            if args.scale < 1:
                raise SystemExit(f"--scale {args.scale}: must be 1 or more")
            return asyncio.run(_demo(args))
        if args.command == "migrate":
            return asyncio.run(_migrate(args))
        if args.command == "analyze":
            from service.analytics.command import run as run_analyze

            return asyncio.run(run_analyze(args))
        if args.command in ("load", "template"):
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
