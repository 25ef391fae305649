"""The region tallies on Neo4j: regionStats' counts, kept by every writer in its own transaction.

A region's census (how many nodes of each label, kind and status its subtree holds) walked from the
region down costs the subtree: 16-24 ms of Neo4j's CPU for a district (bench/RESULTS.md, session 10), a
province's seconds. The tallies (schema/012_region_tallies.cypher) hold each region's counts instead, and
regionStats reads a few index entries. They stay exact because each writer runs, in its transaction:

1. `before`: the nodes it writes, the nodes whose region path it changes (the near end of a relationship
   of a path it adds or replaces, a node it deletes or rewires) and every node below those (a unit's members,
   items, agreements, teams; a region's subtree), locked in id order and read: what each is counted as;
2. its own statements;
3. `settle`: the same nodes (and the writer's new ones) read again, each leaving the tallies it was counted
   in and joining those it is counted in now, only the tallies whose count changes written, in key order.

A count cannot be summed from child regions (a unit located in two regions of one subtree counts once), so
each node is counted in every region whose subtree holds it (fragments/homes.cypher). The embedded store
counts the subtree in memory when asked (embedded/regions.py) and keeps none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, LiteralString

import neo4j

from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.statements import statement
from service.model import RelType
from service.registry import Single, region_paths, rel_spec


@dataclass(frozen=True, slots=True)
class Before:
    """What `before` read: each node's row (id, label, kind, status, regions) and the ids asked for."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    ids: tuple[str, ...] = ()


@cache
def _near_ends() -> dict[RelType, str]:
    """For each relationship type of a region path, the end whose path it is ("start" when the path leaves
    the node over it, as a member's BELONGS_TO; "end" when it arrives, as an item's PUBLISHED); PART_OF is a
    region's own."""
    ends: dict[RelType, str] = {RelType.PART_OF: "start"}
    for path in region_paths():
        for step in path.steps:
            ends[step.type] = "start" if step.outgoing else "end"
    return ends


def links(type: RelType, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """census_before's `$links` for relationship rows ({start, end}) of `type`: none when no region path
    runs over it."""
    near = _near_ends().get(type)
    if near is None:
        return []
    far = "end" if near == "start" else "start"
    single = rel_spec(type).single is (Single.START if near == "start" else Single.END)
    return [{"member": r[near], "other": r[far], "type": type.value, "single": single} for r in rows]


async def before(ex: Neo4jExecutor, tx: Transaction, ids: Iterable[str] = (),
                 linked: Sequence[Mapping[str, Any]] = (), moved: Iterable[str] = ()) -> Before:
    """Lock and read the nodes a write of `ids`, `linked` (links()) and `moved` may move between tallies."""
    asked = tuple(dict.fromkeys(ids))
    records = await ex.run(statement("census_before"),
                           {"ids": list(asked), "links": list(linked), "moved": list(dict.fromkeys(moved))}, tx=tx)
    return Before([dict(r) for r in records], asked)


async def settle(ex: Neo4jExecutor, tx: Transaction, read: Before, ids: Iterable[str] = (),
                 shard: int | None = None) -> None:
    """Move the nodes `read` before the write, and `ids` written since, to the tallies they count in now."""
    every = list(dict.fromkeys([*read.ids, *(r["id"] for r in read.rows), *ids]))
    was = [{"label": r["label"], "kind": r["kind"], "status": r["status"], "regions": r["regions"]}
           for r in read.rows if r["regions"]]
    await ex.run(statement("census_settle"), {"ids": every, "before": was, "shard": shard}, tx=tx)


async def kept(ex: Neo4jExecutor, query: LiteralString, params: Mapping[str, Any], ids: Iterable[str],
               linked: Sequence[Mapping[str, Any]] = ()) -> list[neo4j.Record]:
    """One writing statement with the tallies kept around it, in one transaction; its records."""
    asked = list(ids)

    async def work(tx: Transaction) -> list[neo4j.Record]:
        read = await before(ex, tx, asked, linked)
        records = await ex.run(query, params, write=True, tx=tx)
        await settle(ex, tx, read)
        return records

    return await ex.in_transaction(work)
