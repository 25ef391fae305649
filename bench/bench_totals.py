"""Listing totals and search on Neo4j (issue 17): PROFILE db hits of the statements each page runs,
with this process's code. Reads only: the Neo4j named by the environment must hold a demo.

    set -a; . .neo4j/test/env; set +a
    git archive <base-commit> service | tar -x -C /tmp/totals-base      # the code to compare against
    PYTHONPATH=/tmp/totals-base:. .venv/bin/python -m bench.bench_totals   # before
    .venv/bin/python -m bench.bench_totals                                  # after

Prints one JSON object: question -> db hits (the second run of each, the plan cached), and the
number of list items (the scale).

    .venv/bin/python -m bench.bench_totals --withdraw   # once after `alliance demo`: withdraws a few nodes
    .venv/bin/python -m bench.bench_totals --writes     # db hits of item writes (what the item tallies add)

`--withdraw` marks the first few nodes by id of each withdrawable label withdrawn through the store (so
the item tallies follow) and prints how many; `--writes` runs writes that leave the data as they found it
(a claim of an item's last unit and its release, a reload of 200 items with another status and back).
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Awaitable, Callable

from bench.bench_listings import hits_of, profiling_store
from service.graph.types import ItemQuery, Query
from service.model import Label

SEARCH_TEXT = "社区"


async def profile_hits() -> dict[str, int]:
    ex, store = profiling_store()
    [row] = await ex.run("MATCH (i:ListItem) WITH i ORDER BY i.id LIMIT 1 "
                         "RETURN i.category AS category, i.status AS status")
    [size] = await ex.run("MATCH (i:ListItem) RETURN count(i) AS items")
    questions: dict[str, Callable[[], Awaitable[object]]] = {
        "listItems": lambda: store.list_items(ItemQuery(first=50)),
        "listItems list": lambda: store.list_items(ItemQuery(list="RESOURCE", first=50)),
        "listItems category": lambda: store.list_items(ItemQuery(category=row["category"], first=50)),
        "listItems status": lambda: store.list_items(ItemQuery(status=row["status"], first=50)),
        "listItems unclaimed": lambda: store.list_items(ItemQuery(unclaimed=True, first=50)),
        "listItems list unclaimed": lambda: store.list_items(ItemQuery(list="RESOURCE", unclaimed=True, first=50)),
        "listItems list category status": lambda: store.list_items(ItemQuery(
            list="RESOURCE", category=row["category"], status=row["status"], first=50)),
        "listItems exhausted (admin)": lambda: store.list_items(ItemQuery(unclaimed=False, first=50,
                                                                          include_withdrawn=True)),
        "listItems (admin)": lambda: store.list_items(ItemQuery(first=50, include_withdrawn=True)),
        "organisations": lambda: store.list_nodes(Query(Label.ORGANISATION, first=50)),
        "organisations by name": lambda: store.list_nodes(Query(Label.ORGANISATION, order_by="name", first=50)),
        "agreements": lambda: store.list_nodes(Query(Label.AGREEMENT, first=50)),
        "enterprises": lambda: store.list_nodes(Query(Label.ENTERPRISE, first=50)),
        "search": lambda: store.search(SEARCH_TEXT, 10),
    }
    return {"items": int(size["items"]), **await hits_of(ex, store, questions)}

WITHDRAWN = {Label.LIST_ITEM: 5, Label.ORGANISATION: 2, Label.AGREEMENT: 2, Label.ENTERPRISE: 2}


async def withdraw_some() -> dict[str, int]:
    ex, store = profiling_store()
    out = {}
    try:
        for label, k in WITHDRAWN.items():
            rows = await ex.run(f"MATCH (n:{label.value}) WHERE n.withdrawn IS NULL "  # type: ignore[arg-type]
                                "RETURN n.id AS id ORDER BY id LIMIT $k", {"k": k})
            for row in rows:
                await store.withdraw(row["id"], "bench_totals", "2026-12-03T00:00:00Z")
            out[label.value] = len(rows)
    finally:
        await store.close()
    return out


async def write_hits() -> dict[str, int]:
    ex, store = profiling_store()
    try:
        [item] = await ex.run("MATCH (i:ListItem) WHERE i.remaining = 1 AND i.withdrawn IS NULL "
                              "RETURN i.id AS id ORDER BY id LIMIT 1")
        [unit] = await ex.run("MATCH (o:Organisation) WHERE o.withdrawn IS NULL RETURN o.id AS id ORDER BY id LIMIT 1")
        items = await ex.run("MATCH (i:ListItem) WHERE i.status IS NOT NULL "
                             "RETURN i.id AS id, i.status AS status ORDER BY id LIMIT 200")
        out = {}
        ex.hits = 0
        claim = await store.claim_item(item["id"], unit["id"], 1, "2026-12-03", f"bench-{uuid.uuid4()}")
        out["claim (the last unit)"] = ex.hits
        ex.hits = 0
        await store.release_claim(claim.id)
        out["release"] = ex.hits
        ex.hits = 0
        await store.upsert_nodes(Label.LIST_ITEM, [{"id": r["id"], "status": "BENCH"} for r in items])
        out["reload 200 items, status changed"] = ex.hits
        ex.hits = 0
        await store.upsert_nodes(Label.LIST_ITEM, [{"id": r["id"], "status": r["status"]} for r in items])
        out["reload 200 items, status back"] = ex.hits
    finally:
        await store.close()
    return out


if __name__ == "__main__":
    if "--withdraw" in sys.argv:
        print(json.dumps(asyncio.run(withdraw_some())))
    elif "--writes" in sys.argv:
        print(json.dumps(asyncio.run(write_hits()), ensure_ascii=False))
    else:
        print(json.dumps(asyncio.run(profile_hits())))
