"""regionStats on Neo4j (issue 13): this tree's statement against the one of a base commit, on the same Neo4j,
alternated in one run: PROFILE db hits, the rows checked equal, one-client latency (uncached: the statement
itself, no response cache) and the rate of N concurrent clients running it.

    set -a; . .neo4j/province/env; set +a
    .venv/bin/python -m bench.bench_region_stats --base 2af7040 --region 440114

The base statement is read from git (queries/region_stats.cypher of `--base` and the fragments it pastes), so
the comparison needs no second checkout. Reads only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import threading
import time
from typing import Any

from neo4j import Driver, GraphDatabase

from bench.bench_peer import db_hits
from service.graph.neo4j.statements import statement
from service.registry import stats_keys

_PLACEHOLDER = re.compile(r"__([A-Z]+)__")


def _show(rev: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:service/cypher/{path}"], check=True, capture_output=True,
                          text=True).stdout


def base_statement(rev: str) -> str:
    text = _show(rev, "queries/region_stats.cypher")
    for name in set(_PLACEHOLDER.findall(text)):
        fragment = _show(rev, f"fragments/{name.lower()}.cypher")
        body = "\n".join(line for line in fragment.splitlines() if not line.lstrip().startswith("//"))
        text = text.replace(f"__{name}__", body)
    return text


def _run(d: Driver, db: str, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    records, _, _ = d.execute_query(query, params, database_=db)
    return [tuple(r.values()) for r in records]


def _rate(d: Driver, db: str, query: str, params: dict[str, Any], clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        while time.perf_counter() < stop:
            _run(d, db, query, params)
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit whose statement is the baseline")
    parser.add_argument("--region", default="440114", help="the region asked about (huadu replica 1)")
    parser.add_argument("--rounds", type=int, default=40, help="one-client runs of each, alternated")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients for the rate (0: skip)")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each rate run")
    parser.add_argument("--rate-rounds", type=int, default=2, help="rate runs of each, alternated")
    args = parser.parse_args()
    env = os.environ
    db = env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")
    sides = {"base": base_statement(args.base), "this": str(statement("region_stats"))}
    params = {"regionId": args.region, "statsKeys": stats_keys()}  # the base statement takes the keys
    out: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "base": args.base,
                           "region": args.region, "load_before": os.getloadavg()[0]}
    with GraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                              env["ALLIANCE_NEO4J_PASSWORD"]), notifications_min_severity="OFF",
                              max_connection_pool_size=max(args.clients, 1) + 2) as d:
        rows = {}
        for side, query in sides.items():
            _run(d, db, query, params)  # the plan cached
            _, summary, _ = d.execute_query("PROFILE " + query, params, database_=db)
            out[f"{side}_db_hits"] = db_hits(summary.profile)
            rows[side] = _run(d, db, query, params)
        if rows["base"] != rows["this"]:
            raise SystemExit(f"the answers differ:\nbase {rows['base']}\nthis {rows['this']}")
        out["rows"], out["nodes"] = len(rows["this"]), sum(r[-1] for r in rows["this"])
        times: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(args.rounds):
            for side, query in sides.items():
                started = time.perf_counter()
                _run(d, db, query, params)
                times[side].append((time.perf_counter() - started) * 1000)
        for side, ts in times.items():
            ts.sort()
            out[f"{side}_p50_ms"] = round(statistics.median(ts), 2)
            out[f"{side}_p99_ms"] = round(ts[min(len(ts) - 1, round(0.99 * len(ts)) - 1)], 2)
        for _ in range(args.rate_rounds if args.clients else 0):  # alternated too: the load drifts
            for side, query in sides.items():
                rate = _rate(d, db, query, params, args.clients, args.seconds)
                out.setdefault(f"{side}_rate_{args.clients}", []).append(round(rate, 1))
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
