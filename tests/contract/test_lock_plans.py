"""Every statement that locks a node before reading it must read it after the lock.

Neo4j's planner caches a property read at the index seek (CacheProperties) when the statement's
own writes touch other keys only, so `SET n._lock = true … n.claimed` can read `claimed` before
the lock: concurrent claims then pass the quantity check together. The concurrency tests catch it
only when the scheduler interleaves them; the plan shows it every time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

import service
from service.graph.neo4j import region_scope
from service.graph.neo4j.statements import statement
from service.model import Label, RelType

QUERIES = Path(service.__file__).parent / "cypher" / "queries"


def _rendered(path: Path) -> str:
    """The statement as it runs: fragments pasted (the item tallies' lock is in fragments/tally.cypher),
    a statement for any label rendered for list items, the one label whose writes lock."""
    raw = path.read_text(encoding="utf-8")
    ends = {"start": Label.ORGANISATION, "type": RelType.PUBLISHED} if "__START__" in raw else {}  # a publisher's
    below = {"below": region_scope.counted_labels()} if "__DEPENDENTS__" in raw else {}  # the region tallies'
    return statement(path.stem, **({"label": Label.LIST_ITEM} if "__LABEL__" in raw else {}), **ends, **below)


LOCKING = sorted(p for p in QUERIES.glob("*.cypher")
                 if "`_lock`" in p.read_text(encoding="utf-8") or "__TALLY__" in p.read_text(encoding="utf-8"))
IMMUTABLE = {"id", "key"}  # read at the seek by the planner for the seek itself; never written after creation


def _operators(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("children", []):
        yield from _operators(child)


def test_the_locking_statements_are_found() -> None:
    assert {"claim_items", "release_claim", "wish_dispatch", "upsert_nodes", "withdraw"} <= {p.stem for p in LOCKING}


@pytest.mark.parametrize("path", LOCKING, ids=lambda p: p.stem)
def test_no_property_of_a_locked_node_is_read_before_its_lock(path: Path, neo4j_server: dict[str, str]) -> None:
    text = _rendered(path)
    locks = set(re.findall(r"SET (\w+)\.`_lock` = true", text))
    assert locks
    auth = (neo4j_server["user"], neo4j_server["password"])
    with neo4j.GraphDatabase.driver(neo4j_server["uri"], auth=auth) as d, d.session(
        database=neo4j_server["database"]
    ) as session:
        plan = session.run("EXPLAIN " + text).consume().plan
    assert plan is not None
    for locked in sorted(locks):
        cached = {
            key
            for op in _operators(plan)
            for key in re.findall(rf"cache\[{locked}\.(\w+)\]", str(op.get("args", {}).get("Details", "")))
        }
        assert cached <= IMMUTABLE, f"{path.name}: {sorted(cached - IMMUTABLE)} of `{locked}` read from a cache"
