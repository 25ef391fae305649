"""Every benchmark under bench/, in sequence, each with its default sizes (`make bench`).

    .venv/bin/python -m bench.run [--only NAME ...]

A benchmark is a module `bench/bench_*.py` with a `main()` (plain or async). Each runs in its own
`python -m bench.<name>` process, so one's event loop, Neo4j and memory do not leak into the
next; a failing benchmark is reported and the others still run. Set ALLIANCE_NEO4J_URI /
_PASSWORD to measure against a running Neo4j (its graph is CLEARED), else each starts its own.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def discover() -> list[str]:
    """Names of the bench_*.py modules that define a top-level main(), read without importing them."""
    found = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "main"
               for node in tree.body):
            found.append(path.stem)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=None, help="run only these (e.g. bench_loaders)")
    args = parser.parse_args()
    names = [n for n in discover() if args.only is None or n in args.only]
    failed = []
    for name in names:
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=BENCH_DIR.parent)
        print(f"== {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - started:.0f} s",
              flush=True)
        if code:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
