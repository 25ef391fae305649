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

`settle` keeps the region entries too (schema/013_region_entries.cypher): a unit or item has one in each region
whose subtree holds it, so a region's page of them by id (listings.py) is an index seek in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, LiteralString

import neo4j

from service.graph.neo4j import region_scope
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.statements import statement
from service.model import Label, RelType
from service.registry import REGION_ENTRIES, Single, label_spec, region_paths, rel_spec

# The writing statements of service/cypher/queries by what they may do to a region's census
# (tests/test_statement_variants.py holds every writing statement to one of the two):
AROUND = frozenset({  # may add, delete, relabel or move a counted node: run between `before` and `settle`
    "create_nodes", "create_nodes_kept", "create_nodes_linked", "upsert_nodes", "delete_unit",
    "create_relationships", "upsert_relationships", "drop_other_ends", "drop_other_starts",
    "wish_publish", "wish_dispatch", "wish_accept", "wish_fulfil", "wish_rate", "wish_cancel",
    "meeting_record", "matter_assign", "matter_complete",
})
UNCOUNTED = frozenset({  # write nothing a census groups by: no node of a region path, its kind, status or path
    "claim_items", "release_claim",  # an item's claimed and remaining quantity
    "withdraw", "report_to_community",  # withdrawn marks; a member's REPORTED_TO
    "audit_append", "audit_prune", "migration_record",  # the service's own records
    "census_before", "census_read", "census_settle",  # the tallies themselves (and a lock)
    "clear", "clear_relationships", "clear_tallies", "clear_region_tallies",  # everything, the tallies after
    "clear_region_entries",  # the region entries after
})


@dataclass(frozen=True, slots=True)
class Before:
    """What `before` read: each node's row (id, label, kind, status, regions), the ids asked for, and the labels
    the nodes may have (those the settling statement reads); nothing to settle without any."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    ids: tuple[str, ...] = ()
    labels: frozenset[Label] = frozenset()


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


def links(type: RelType, start: Label, end: Label, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """census_before's `$links` for relationship rows ({start, end}) of `type` from `start` to `end` nodes: none
    when no region path runs over it."""
    near = _near_ends().get(type)
    if near is None:
        return []
    far = "end" if near == "start" else "start"
    single = rel_spec(type).single is (Single.START if near == "start" else Single.END)
    label = (start if near == "start" else end).value
    out = near == "start"  # the relationship leaves the near end
    return [{"member": r[near], "other": r[far], "type": type.value, "out": out, "single": single, "label": label}
            for r in rows]


def counted(label: Label, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ids of node rows that may move a node between tallies by themselves: a region's (it counts itself),
    or one that sets what a count groups the node by (a stats key, the status). Any other row leaves the
    tallies as they are: a node's regions change only with its links (`links`), and a new node has none yet."""
    if label is Label.REGION:
        return [r["id"] for r in rows]
    grouped = {*label_spec(label).stats_keys, "status"}
    return [r["id"] for r in rows if not grouped.isdisjoint(r)]


async def before(ex: Neo4jExecutor, tx: Transaction, labels: Iterable[Label], ids: Iterable[str] = (),
                 linked: Sequence[Mapping[str, Any]] = (), moved: Iterable[str] = ()) -> Before:
    """Lock and read the nodes a write of `ids` and `moved` (nodes of `labels`: written, or deleted or rewired
    with the nodes below them) and of `linked` (links()) may move between tallies."""
    moved = list(dict.fromkeys(moved))
    # the near end of a link is read after the write too: a new node joins its regions by its first link
    asked = tuple(dict.fromkeys([*ids, *(link["member"] for link in linked), *moved]))
    shifted = {Label(link["label"]) for link in linked} | (frozenset(labels) if moved else frozenset())
    every = (frozenset(labels) | shifted | region_scope.dependent_labels(frozenset(shifted))
             ) & region_scope.counted_labels()
    if not every or not asked:  # the service's own records, in no region; or nothing that moves a count
        return Before()
    if shifted:
        records = await ex.run(statement("census_before", homes=every, below=frozenset(shifted)),
                               {"ids": list(asked), "links": list(linked), "moved": moved}, tx=tx)
    else:  # no path written: the nodes named, in a statement the planner plans in a fraction of the time
        records = await ex.run(statement("census_read", homes=every), {"ids": list(asked)}, tx=tx)
    return Before([dict(r) for r in records], asked, every)


async def settle(ex: Neo4jExecutor, tx: Transaction, read: Before, shard: int | None = None) -> None:
    """Move the nodes `read` before the write (and those it asked for, now written) to the tallies they count
    in now."""
    if not read.labels:
        return
    every = list(dict.fromkeys([*read.ids, *(r["id"] for r in read.rows)]))
    was = [{"label": r["label"], "kind": r["kind"], "status": r["status"], "regions": r["regions"]}
           for r in read.rows if r["regions"]]
    entered = [label.value for label in REGION_ENTRIES if label in read.labels]
    await ex.run(statement("census_settle", homes=read.labels),
                 {"ids": every, "before": was, "shard": shard, "entered": entered}, tx=tx)


async def kept(ex: Neo4jExecutor, query: LiteralString, params: Mapping[str, Any], labels: Iterable[Label],
               ids: Iterable[str]) -> list[neo4j.Record]:
    """One writing statement of the nodes `ids` (of `labels`) with the tallies kept around it, in one transaction;
    its records."""
    asked, of = list(ids), list(labels)

    async def work(tx: Transaction) -> list[neo4j.Record]:
        read = await before(ex, tx, of, asked)
        records = await ex.run(query, params, write=True, tx=tx)
        await settle(ex, tx, read)
        return records

    return await ex.in_transaction(work)
