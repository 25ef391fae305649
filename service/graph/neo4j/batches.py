"""upsert_batch on Neo4j: one transaction per batch, written one of two ways.

- `write_batch`, the general way: each node group through nodes.write_nodes (existing nodes merged,
  ids of other labels reported), each relationship group through relationships.write_relationships,
  a single-valued one after removing the relationships it replaces.
- `create_batch`, when the batch's nodes are all new (a first load, which is what bulk loads mostly
  are): the nodes are CREATEd without looking for them first, and so is every relationship group
  whose single-valued end (either end, without `single`) is one of them, since a node created a
  moment ago has no relationship to find or replace. The server does about a third less work per
  row (bench/RESULTS.md, loaders).

Whether the nodes are new is guessed from a sample of their ids (`probe`). A wrong guess costs one
rolled-back transaction before the general way runs: an existing id breaks the uniqueness
constraint, a missing end leaves a count short, and either raises `NotAllNew` inside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from neo4j.exceptions import ConstraintError

from service.graph import provenance, records, versions
from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.nodes import write_nodes
from service.graph.neo4j.relationships import RelStep, write_relationships
from service.graph.neo4j.statements import statement
from service.graph.types import BatchResult, RelGroup, UpsertResult
from service.model import Label, RelType
from service.registry import ITEM_TALLY, Single

PROBE = 16  # ids sampled across the batch to guess whether its nodes are new

NodeSteps = list[tuple[Label, list[dict[str, Any]]]]


class NotAllNew(Exception):
    """create_batch's guess was wrong: roll back and write the batch the general way."""


async def upsert_batch(
    ex: Neo4jExecutor, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
) -> BatchResult:
    # Everything is checked before the transaction opens: the driver may run the transaction
    # function again after a transient failure, so it only runs statements.
    node_steps, groups = records.prepare_batch(nodes, relationships)
    rel_steps = [RelStep.of(g) for g in groups]
    has_nodes = any(rows for _, rows in node_steps)
    if not has_nodes and not any(s.rows for s in rel_steps):
        return BatchResult([UpsertResult() for _ in node_steps], [UpsertResult() for _ in rel_steps])
    if has_nodes:
        try:
            return await ex.in_transaction(_versioned, ex, node_steps, rel_steps, probe(node_steps))
        except NotAllNew:
            pass  # rolled back; some nodes exist (or an end is missing): the general way reports it
    return await ex.in_transaction(_versioned, ex, node_steps, rel_steps, None)


async def agreement_states(ex: Neo4jExecutor, tx: Transaction, ids: list[str]) -> dict[str, versions.AgreementState]:
    rows = await ex.run(statement("agreement_states"), {"ids": ids}, tx=tx)
    return {r["id"]: versions.AgreementState(dict(r["props"]), {p["unit"]: dict(p["props"]) for p in r["parties"]})
            for r in rows}


async def _versioned(
    tx: Transaction, ex: Neo4jExecutor, node_steps: NodeSteps, rel_steps: list[RelStep], sample: list[str] | None
) -> BatchResult:
    """The batch (create_batch with a sample, write_batch without), a version of every existing
    agreement it changed (service/graph/versions.py) and the region tallies (census.py), in the same
    transaction; a batch of new nodes counts into a tally shard of its own, as its items do."""
    ids = versions.touched((r for label, rows in node_steps if label is Label.AGREEMENT for r in rows),
                           (r["end"] for s in rel_steps if s.type is RelType.PARTY_TO for r in s.rows))
    before = await agreement_states(ex, tx, ids) if ids else {}
    counted = await census.before(ex, tx, [label for label, rows in node_steps if rows],
                                  [i for label, rows in node_steps for i in census.counted(label, rows)],
                                  [link for s in rel_steps for link in census.links(s.type, s.start, s.end, s.rows)])
    shard = None if sample is None else ex.tally_shard()
    if sample is None:
        out = await write_batch(tx, ex, node_steps, rel_steps)
    else:
        out = await create_batch(tx, ex, node_steps, rel_steps, sample, shard)
    await census.settle(ex, tx, counted, shard=shard)
    if before:
        after = await agreement_states(ex, tx, sorted(before))
        rows = versions.version_rows(before, after, versions.now(), provenance.current())
        if rows:
            await ex.run(statement("create_nodes", label=Label.AGREEMENT_VERSION), {"rows": rows}, tx=tx)
    return out


def new_item_tallies(label: Label, rows: Sequence[Mapping[str, Any]], shard: int | None = None
                     ) -> list[dict[str, Any]]:
    """fragments/tally.cypher's `touched` for new nodes of `label`, counted here: one {now, times} per
    combination of what keys an item tally (ITEM_TALLY.by, the sign of remaining, withdrawn), the first
    row of each standing for it, counted into the tallies of `shard` if given. Values count apart when
    Cypher's toString would tell them apart (1, 1.0, "1"), so each lands in the tally the fragment would
    have keyed it to."""
    if label is not ITEM_TALLY.label:
        return []
    by = ITEM_TALLY.by
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        values = tuple(map(row.get, by))
        remaining = row.get("remaining")
        key = (values, tuple(map(type, values)), None if remaining is None else remaining > 0,
               row.get("withdrawn") is not None)
        try:
            seen = out.get(key)
        except TypeError:  # a list value: hashed as a tuple
            key = (tuple(tuple(v) if isinstance(v, list) else v for v in values), *key[1:])
            seen = out.get(key)
        if seen is None:
            out[key] = {"now": {**dict(zip(by, values, strict=True)), "remaining": remaining,
                                "withdrawn": row.get("withdrawn"), "shard": shard}, "times": 1}
        else:
            seen["times"] += 1
    return list(out.values())


def kept_new(label: Label, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of new nodes with what fragments/kept.cypher keeps on a list item (records.kept: nothing
    claimed yet, remaining its quantity); other labels' rows as they are."""
    return rows if label is not Label.LIST_ITEM else [records.kept(label, dict(row)) for row in rows]


def probe(node_steps: NodeSteps) -> list[str]:
    """Up to PROBE + 1 ids spread evenly over the batch's nodes, the first and the last among them."""
    ids = [row["id"] for _, rows in node_steps for row in rows]
    if len(ids) <= PROBE:
        return ids
    return [ids[i * len(ids) // PROBE] for i in range(PROBE)] + [ids[-1]]


async def _write_group(ex: Neo4jExecutor, tx: Transaction, step: RelStep, out: BatchResult) -> None:
    written, removed = await write_relationships(ex, step, tx)
    out.relationships.append(written)
    out.removed += removed


async def write_batch(
    tx: Transaction, ex: Neo4jExecutor, node_steps: NodeSteps, rel_steps: list[RelStep]
) -> BatchResult:
    """The general way, as a transaction function: the upsert statements in order; a conflict or a
    dangling end raises, which rolls back everything run before it."""
    out = BatchResult()
    for label, rows in node_steps:
        out.nodes.append(await write_nodes(ex, label, rows, tx) if rows else UpsertResult())
    for step in rel_steps:
        if step.rows:
            await _write_group(ex, tx, step, out)
        else:
            out.relationships.append(UpsertResult())
    return out


def _creatable(step: RelStep, new: dict[Label, set[str]]) -> bool:
    """Whether no row of the group can exist already nor replace another relationship."""
    starts, ends = new.get(step.start, set()), new.get(step.end, set())
    if step.single is Single.START:
        return all(r["start"] in starts for r in step.rows)
    if step.single is Single.END:
        return all(r["end"] in ends for r in step.rows)
    return all(r["start"] in starts or r["end"] in ends for r in step.rows)


def _link_of_each(label: Label, ids: set[str], rel_steps: list[RelStep]) -> RelStep | None:
    """A relationship group giving each new node of `label` exactly one link from a node of another label,
    creatable with the nodes (nothing to find nor replace: `_creatable`), if the batch has one."""
    for step in rel_steps:
        if (step.end is label and step.start is not label and len(step.rows) == len(ids)
                and _creatable(step, {label: ids}) and {r["end"] for r in step.rows} == ids):
            return step
    return None


def _linked(kept: list[dict[str, Any]], step: RelStep) -> list[dict[str, Any]]:
    """create_nodes_linked's rows, sorted by their start: each node's props, its link's start and props."""
    links = {r["end"]: r for r in step.rows}
    rows = [{"start": (link := links[props["id"]])["start"], "props": props, "rel": link["props"]} for props in kept]
    rows.sort(key=lambda r: r["start"])
    return rows


async def create_batch(
    tx: Transaction, ex: Neo4jExecutor, node_steps: NodeSteps, rel_steps: list[RelStep], sample: list[str],
    shard: int | None = None,
) -> BatchResult:
    """The way for new nodes, as a transaction function; raises NotAllNew when they are not. Its items count
    into the tallies of `shard` when given."""
    [found] = await ex.run(statement("count_existing"), {"ids": sample}, tx=tx)
    if found["found"]:
        raise NotAllNew
    out = BatchResult()
    new: dict[Label, set[str]] = defaultdict(set)
    fused: set[int] = set()  # the relationship groups created with their nodes
    for label, rows in node_steps:
        if rows:
            ids = {row["id"] for row in rows}
            kept = kept_new(label, rows)
            touched = new_item_tallies(label, kept, shard if label is ITEM_TALLY.label else None)
            step = _link_of_each(label, ids, rel_steps)
            try:
                if step is None:
                    await ex.run(statement("create_nodes_kept", label=label), {"rows": kept, "touched": touched},
                                 tx=tx)
                else:
                    [row] = await ex.run(statement("create_nodes_linked", label=label, start=step.start,
                                                   type=step.type), {"rows": _linked(kept, step), "touched": touched},
                                         tx=tx)
                    if row["created"] != len(rows):
                        raise NotAllNew  # a missing start: the general way names it
                    fused.add(id(step))
            except ConstraintError:
                raise NotAllNew from None
            new[label].update(ids)
        out.nodes.append(UpsertResult(created=len(rows)))
    for step in rel_steps:
        if id(step) in fused:
            out.relationships.append(UpsertResult(created=len(step.rows)))
        elif not step.rows:
            out.relationships.append(UpsertResult())
        elif _creatable(step, new):
            by_start: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in step.rows:
                by_start[r["start"]].append({"end": r["end"], "props": r["props"]})
            groups = [{"start": start, "rows": rows} for start, rows in by_start.items()]
            [row] = await ex.run(statement("create_relationships", start=step.start, type=step.type, end=step.end),
                                 {"groups": groups}, tx=tx)
            if row["created"] != len(step.rows):
                raise NotAllNew  # a missing end: the general way names it
            out.relationships.append(UpsertResult(created=len(step.rows)))
        else:
            await _write_group(ex, tx, step, out)
    return out
