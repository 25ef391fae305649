"""A filtered list-item total on Neo4j (issue 13 part 2, issue 17): ways of counting the items one filter
selects, on the same Neo4j, alternated in one run: PROFILE db hits, the count (checked equal across a filter's
ways) and one-client p50/p99. `count store` is the floor: the label's count, which Neo4j keeps.

    set -a; . .neo4j/province/env; set +a
    .venv/bin/python -m bench.bench_item_counts

Reads only.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from typing import Any

from neo4j import GraphDatabase

from bench.bench_peer import db_hits

_SEEK = "MATCH (i:ListItem) WHERE {w} RETURN count(i) AS n"  # today's __COUNTED__ (statements._total_filters)
FILTERS: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    "list": ("i.list = $list", {"list": "RESOURCE"}, {
        "composite (list, id)": "MATCH (i:ListItem) USING INDEX i:ListItem(list, id) "
                                "WHERE i.list = $list AND i.id IS NOT NULL RETURN count(*) AS n",
        "composite (list, category)": "MATCH (i:ListItem) USING INDEX i:ListItem(list, category) "
                                      "WHERE i.list = $list AND i.category IS NOT NULL RETURN count(*) AS n",
    }),
    "status": ("i.status = $status", {"status": "OPEN"}, {}),
    "unclaimed": ("i.remaining > 0 AND i.id IS NOT NULL", {}, {
        "remaining alone": "MATCH (i:ListItem) WHERE i.remaining > 0 RETURN count(*) AS n",
    }),
}


def ways(where: str, extra: dict[str, str]) -> dict[str, str]:
    return {"index seek, count(i)": _SEEK.format(w=where),
            "index seek, count(*)": _SEEK.format(w=where).replace("count(i)", "count(*)"),
            "COUNT {}": f"RETURN COUNT {{ MATCH (i:ListItem) WHERE {where} }} AS n", **extra}


def main(rounds: int = 15) -> None:
    env = os.environ
    db = env.get("ALLIANCE_NEO4J_DATABASE", "neo4j")
    out: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                           "load_before": os.getloadavg()[0], "filters": {}}
    with GraphDatabase.driver(env["ALLIANCE_NEO4J_URI"], auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"),
                              env["ALLIANCE_NEO4J_PASSWORD"]), notifications_min_severity="OFF") as d:
        def run(query: str, params: dict[str, Any]) -> int:
            records, _, _ = d.execute_query(query, params, database_=db)
            return int(records[0]["n"])

        floor = "MATCH (i:ListItem) RETURN count(i) AS n"
        out["items"] = run(floor, {})
        for name, (where, params, extra) in FILTERS.items():
            queries = {**ways(where, extra), "count store (all items)": floor}
            row: dict[str, Any] = {}
            counts = {}
            for way, q in queries.items():
                counts[way] = run(q, params)
                _, summary, _ = d.execute_query("PROFILE " + q, params, database_=db)
                row[way] = {"db_hits": db_hits(summary.profile), "count": counts[way]}
            if len({n for way, n in counts.items() if way != "count store (all items)"}) != 1:
                raise SystemExit(f"{name}: the ways count differently: {counts}")
            times: dict[str, list[float]] = {way: [] for way in queries}
            for _ in range(rounds):
                for way, q in queries.items():
                    started = time.perf_counter()
                    run(q, params)
                    times[way].append((time.perf_counter() - started) * 1000)
            for way, ts in times.items():
                ts.sort()
                row[way].update(p50_ms=round(statistics.median(ts), 2), p99_ms=round(ts[-1], 2))
            out["filters"][name] = row
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
