"""Server CPU per uncached GraphQL request, in process, this checkout against an older tree, alternated.

    .venv/bin/python -m bench.bench_lean --base /tmp/cached-base [--rounds 4] [--requests 40]
    .venv/bin/python -m bench.bench_lean --base /tmp/base --store neo4j --org ORG-440114-000001   # ALLIANCE_NEO4J_*

Each round runs one child process per tree (the older tree first on sys.path, this checkout's bench/ after
it) over the same embedded urumqi-etdz ×1 store (bench_cached's, under --root), with the response cache
off (or over the Neo4j the ALLIANCE_NEO4J_* variables name, with --store neo4j: its data as it is, --org one of
its organisations); a child asks each question of bench_peer (the peer comparison's six) through a bare ASGI call and
prints the CPU time (time.process_time) per request. Medians over the rounds."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
KEY = "bench-ops-key"
ORG = "ORG-650106-000001"  # an organisation of the demo with agreements (pairedUnits, node)


async def measure(data_dir: str, requests: int, only: str | None = None, org: str = ORG) -> dict[str, float]:
    from pydantic import SecretStr

    from bench.bench_ops import ask
    from bench.bench_peer import QUESTIONS
    from service.app import create_app
    from service.settings import Settings

    where = {"store": "neo4j"} if data_dir == "neo4j" else {"store": "embedded", "data_dir": data_dir}
    app = create_app(Settings(api_keys=SecretStr(f"{KEY}:analyst"), environment="test", response_cache=0,
                              **where))
    out: dict[str, float] = {}
    async with app.router.lifespan_context(app):
        for question in QUESTIONS:
            if only and question.name != only:
                continue
            variables = {"id": org, "text": "社区"} if "$" in question.service else {}
            body = json.dumps({"query": question.service, "variables": variables}).encode()
            for _ in range(2):
                assert await ask(app, body) == 200
            started = time.process_time()
            for _ in range(requests):
                await ask(app, body)
            out[question.name] = (time.process_time() - started) / requests * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path)
    parser.add_argument("--root", type=Path, default=Path("/tmp/bench-cached"))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--only", help="one question by its name in bench_peer (node, dashboard, …)")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--org", default=ORG, help="the organisation pairedUnits and node ask about")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args.child, args.requests, args.only, args.org))))
        return
    from bench.bench_listings import embedded_demo

    data_dir = "neo4j" if args.store == "neo4j" else str(embedded_demo(1, args.root))
    started = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}"
    trees = {"before": args.base.resolve(), "after": HERE}
    spent: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            # the tree first on sys.path (with -m the working directory would come first), this bench/ after it
            argv = ["bench_lean", "--child", data_dir, "--requests", str(args.requests), "--org", args.org]
            argv += ["--only", args.only] if args.only else []
            code = (f"import sys; sys.path[:0] = [{str(tree)!r}, {str(HERE)!r}]; sys.argv = {argv!r}; "
                    "import service; assert service.__file__.startswith(sys.path[0]), service.__file__; "
                    "from bench.bench_lean import main; main()")
            done = subprocess.run([sys.executable, "-c", code], cwd=tree, check=True, capture_output=True, text=True)
            for question, ms in json.loads(done.stdout.strip().splitlines()[-1]).items():
                spent.setdefault((question, name), []).append(ms)
    print(f"{started}; at the end {os.getloadavg()[0]:.2f}. Uncached, {args.store}, CPU ms per request, "
          f"medians of {args.rounds} alternated rounds of {args.requests} requests\n")
    print("| question | before | after | after ÷ before |")
    print("|---|---:|---:|---:|")
    for question in dict.fromkeys(q for q, _ in spent):
        before, after = (statistics.median(spent[(question, n)]) for n in trees)
        print(f"| {question} | {before:.2f} | {after:.2f} | {after / before:.2f}× |")


if __name__ == "__main__":
    main()
