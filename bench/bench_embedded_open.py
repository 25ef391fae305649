"""Open time and memory of the embedded store: each run is a fresh process that opens a store
(`EmbeddedStore(dir).version()` loads the whole graph) and reports the seconds it took, its RSS
before and after (VmRSS) and its peak (VmHWM). With `--vs DIR` the same store is opened alternately
by this tree's code and by another checkout's `service` package (say the commit before a change,
`git archive <commit> service | tar -x -C DIR`), so a ratio is taken under the same load.

    .venv/bin/python -m bench.bench_embedded_open /tmp/x10 [/tmp/x50 …] [--runs 3] [--vs /tmp/base]

The stores are made beforehand, e.g.
`ALLIANCE_DATA_DIR=/tmp/x10 alliance demo --profile urumqi-etdz --scale 10 --no-analyze`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

# One open in a child process: the figures of interest are a fresh process's.
_CHILD = r"""
import json, sqlite3, sys, time
from pathlib import Path

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    return 0

from service.graph.embedded import EmbeddedStore
import asyncio
data = Path(sys.argv[1])
db = sqlite3.connect(data / "alliance.sqlite3")
nodes = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
rels = db.execute("SELECT count(*) FROM rels").fetchone()[0]
db.close()
before = status("VmRSS")
store = EmbeddedStore(data)
started, cpu = time.perf_counter(), time.process_time()
error = None
try:
    asyncio.run(store.version())
except Exception as exc:  # a refusal is a result too
    error = f"{type(exc).__name__}: {exc}"
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"nodes": nodes, "rels": rels, "seconds": round(seconds, 2), "cpu": round(cpu, 2),
                  "rss_before_mib": before, "rss_after_mib": status("VmRSS"), "peak_mib": status("VmHWM"),
                  "error": error}))
"""


def open_once(store: Path, source: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(store)], env=env, capture_output=True, text=True,
                          check=False, cwd=source)
    if done.returncode != 0:
        raise SystemExit(f"opening {store} with {source} failed:\n{done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stores", nargs="+", type=Path, help="data directories holding alliance.sqlite3")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vs", type=Path, help="another checkout's root (holding service/) to alternate with")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    sources = [("this tree", here)] + ([("vs", args.vs.resolve())] if args.vs else [])
    print("| store | code | nodes | rels | open s (wall) | open s (CPU) | RSS after open MiB "
          "| graph MiB (after − before) | bytes per node | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for store in args.stores:
        for run in range(args.runs):
            for name, source in sources if run % 2 == 0 else reversed(sources):
                r = open_once(store, source)
                graph = int(r["rss_after_mib"]) - int(r["rss_before_mib"])  # type: ignore[call-overload]
                per_node = graph * 1024 * 1024 // max(int(r["nodes"]), 1)  # type: ignore[call-overload]
                note = f" (refused: {r['error']})" if r["error"] else ""
                print(f"| {store} | {name} | {r['nodes']:,} | {r['rels']:,} | {r['seconds']} | {r['cpu']} "
                      f"| {r['rss_after_mib']} | {graph} | {per_node:,} | {r['peak_mib']}{note} |", flush=True)


if __name__ == "__main__":
    main()
