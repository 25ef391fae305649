"""Listing totals and search on Neo4j (issue 17): PROFILE db hits of the statements each page runs,
with this process's code. Reads only: the Neo4j named by the environment must hold a demo.

    set -a; . .neo4j/test/env; set +a
    git archive <base-commit> service | tar -x -C /tmp/totals-base      # the code to compare against
    PYTHONPATH=/tmp/totals-base:. .venv/bin/python -m bench.bench_totals   # before
    .venv/bin/python -m bench.bench_totals                                  # after

Prints one JSON object: question -> db hits (the second run of each, the plan cached), and the
number of list items (the scale).
"""

from __future__ import annotations

import asyncio
import json
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
        "listItems (admin)": lambda: store.list_items(ItemQuery(first=50, include_withdrawn=True)),
        "organisations": lambda: store.list_nodes(Query(Label.ORGANISATION, first=50)),
        "organisations by name": lambda: store.list_nodes(Query(Label.ORGANISATION, order_by="name", first=50)),
        "agreements": lambda: store.list_nodes(Query(Label.AGREEMENT, first=50)),
        "enterprises": lambda: store.list_nodes(Query(Label.ENTERPRISE, first=50)),
        "search": lambda: store.search(SEARCH_TEXT, 10),
    }
    return {"items": int(size["items"]), **await hits_of(ex, store, questions)}

if __name__ == "__main__":
    print(json.dumps(asyncio.run(profile_hits())))
