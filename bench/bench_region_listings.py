"""A district's listings on Neo4j (issue 13): this tree's region-listing statements against those of a base commit,
on the same Neo4j, alternated request by request: PROFILE db hits, the rows checked equal, one-client latency of
the statement itself (the driver, no service, no response cache) and, optionally, the rate of N clients.

    set -a; . .neo4j/province/env; set +a
    .venv/bin/python -m bench.bench_region_listings --base main --region 440114

The base statements are rendered by the base commit's own code (its `service/` extracted from git into a
temporary directory), so the comparison needs no second checkout. Reads only. The listings are the bench_scale
questions "listItems region" and "organisations region": the first 50, by id, withdrawn left out (the
statements listings.py chooses for them: since session 12, the region's entries).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from typing import Any

from neo4j import GraphDatabase

from bench.bench_peer import db_hits
from bench.bench_region_stats import _rate, _run

# The statements of a page of 50 (listings.list_items / list_nodes with a region), rendered by whichever tree
# runs this snippet.
RENDER = """
import json
from service.graph.types import ItemQuery, Query
from service.model import Label
try:  # the statement listings.py chooses (since session 12)
    from service.graph.neo4j.listings import item_statement, node_statement
    items, units = item_statement(ItemQuery(region_id="r")), node_statement(Query(Label.ORGANISATION, region_id="r"))
except ImportError:  # before: always the walk down from the region
    from service.graph.neo4j.statements import statement
    items = statement("list_items_in_region", from_root=Label.LIST_ITEM, filters=("item_current",), descending=False)
    units = statement("list_nodes_in_region", from_root=Label.ORGANISATION, filters=("node_current",),
                      descending=False)
print(json.dumps({"listItems region": items, "organisations region": units}))
"""


def rendered(rev: str | None) -> dict[str, str]:
    """The statements as the tree at `rev` renders them (None: this tree)."""
    if rev is None:
        out = subprocess.run([sys.executable, "-c", RENDER], check=True, capture_output=True, text=True)
        return dict(json.loads(out.stdout))
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "service"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        out = subprocess.run([sys.executable, "-c", RENDER], check=True, capture_output=True, text=True,
                             cwd=tmp, env={**os.environ, "PYTHONPATH": tmp})
    return dict(json.loads(out.stdout))


def _rows(records: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with nodes as their element ids (a driver Node compares by identity)."""
    return [tuple(getattr(v, "element_id", v) for v in r) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit whose statements are the baseline")
    parser.add_argument("--region", default="440114", help="the region asked about (huadu replica 1)")
    parser.add_argument("--rounds", type=int, default=100, help="one-client runs of each, alternated")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients for the rate (0: skip)")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each rate run")
    args = parser.parse_args()
    env = os.environ
    db = env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")
    sides = {"base": rendered(args.base), "this": rendered(None)}
    params = {"regionId": args.region, "orderBy": "id", "limit": 51, "afterId": None, "afterNulls": None,
              "afterKey": None, "list": None, "category": None, "status": None, "publisherId": None,
              "unclaimed": None, "conds": [], "withPublisher": True}
    out: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "base": args.base,
                           "region": args.region, "load_before": os.getloadavg()[0], "questions": {}}
    with GraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                              env["ALLIANCE_NEO4J_PASSWORD"]), notifications_min_severity="OFF",
                              max_connection_pool_size=max(args.clients, 1) + 2) as d:
        for name in sides["this"]:
            row: dict[str, Any] = {}
            answers = {}
            for side, texts in sides.items():
                _run(d, db, texts[name], params)  # the plan cached
                _, summary, _ = d.execute_query("PROFILE " + texts[name], params, database_=db)
                row[f"{side}_db_hits"] = db_hits(summary.profile)
                answers[side] = _rows(_run(d, db, texts[name], params))
            if answers["base"] != answers["this"]:
                raise SystemExit(f"{name}: the answers differ")
            row["rows"], row["total"] = len(answers["this"]), answers["this"][0][0]
            times: dict[str, list[float]] = {side: [] for side in sides}
            for _ in range(args.rounds):
                for side, texts in sides.items():
                    started = time.perf_counter()
                    _run(d, db, texts[name], params)
                    times[side].append((time.perf_counter() - started) * 1000)
            for side, ts in times.items():
                ts.sort()
                row[f"{side}_p50_ms"] = round(statistics.median(ts), 2)
                row[f"{side}_p99_ms"] = round(ts[min(len(ts) - 1, round(0.99 * len(ts)) - 1)], 2)
            for side, texts in sides.items() if args.clients else ():
                row[f"{side}_rate_{args.clients}"] = round(_rate(d, db, texts[name], params, args.clients,
                                                                 args.seconds), 1)
            out["questions"][name] = row
            print(name, json.dumps(row), file=sys.stderr, flush=True)
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
