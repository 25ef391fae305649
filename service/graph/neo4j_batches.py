"""upsert_batch on Neo4j: one transaction per batch, written one of two ways.

- `write_batch`, the general way: each node group through upsert_nodes (existing nodes merged,
  ids of other labels reported), each relationship group through upsert_relationships, a
  single-valued one after removing the relationships it replaces.
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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

import neo4j
from neo4j.exceptions import ConstraintError

from service.cypher import statement
from service.errors import Conflict, NotFound
from service.graph.store import BatchResult, UpsertResult
from service.model import Label, RelType
from service.registry import Single

PROBE = 16  # ids sampled across the batch to guess whether its nodes are new

NodeSteps = list[tuple[Label, list[dict[str, Any]]]]


class NotAllNew(Exception):
    """create_batch's guess was wrong: roll back and write the batch the general way."""


@dataclass(frozen=True, slots=True)
class RelStep:
    type: RelType
    start: Label
    end: Label
    single: Single | None
    per: str | None
    rows: list[dict[str, Any]]  # {"start", "end", "props"}


def probe(node_steps: NodeSteps) -> list[str]:
    """Up to PROBE + 1 ids spread evenly over the batch's nodes, the first and the last among them."""
    ids = [row["id"] for _, rows in node_steps for row in rows]
    if len(ids) <= PROBE:
        return ids
    return [ids[i * len(ids) // PROBE] for i in range(PROBE)] + [ids[-1]]


def nodes_written(label: Label, row: Mapping[str, Any]) -> UpsertResult:
    """upsert_nodes' answer as counts; ids that other labels use raise (and roll back)."""
    if row["conflicts"]:
        clash = ", ".join(f"{c['id']!r} is a {c['label']}" for c in row["conflicts"][:5])
        raise Conflict(f"cannot write {label} nodes: ids already used by other labels: {clash}")
    return UpsertResult(row["created"], row["updated"], row["unchanged"])


def relationships_written(type: RelType, start: Label, end: Label, row: Mapping[str, Any]) -> UpsertResult:
    """upsert_relationships' answer as counts; a missing end raises (and rolls back)."""
    missing = [f"no {start} {i!r}" for i in row["missingStart"]]
    missing += [f"no {end} {i!r}" for i in row["missingEnd"]]
    if missing:
        raise NotFound(f"cannot write {type} relationships: {'; '.join(missing[:5])}")
    return UpsertResult(row["created"], row["updated"], row["unchanged"])


async def _one_row(tx: neo4j.AsyncManagedTransaction, query: LiteralString, params: Mapping[str, Any]) -> neo4j.Record:
    return await (await tx.run(query, dict(params))).single(strict=True)


async def _upsert_relationships(tx: neo4j.AsyncManagedTransaction, step: RelStep, out: BatchResult) -> None:
    if step.single is not None:
        name = "drop_other_ends" if step.single is Single.START else "drop_other_starts"
        dropped = await _one_row(tx, statement(name, start=step.start, type=step.type, end=step.end),
                                 {"rows": step.rows, "per": step.per})
        out.removed += dropped["removed"]
    row = await _one_row(tx, statement("upsert_relationships", start=step.start, type=step.type, end=step.end),
                         {"rows": step.rows})
    out.relationships.append(relationships_written(step.type, step.start, step.end, row))


async def write_batch(
    tx: neo4j.AsyncManagedTransaction, node_steps: NodeSteps, rel_steps: list[RelStep]
) -> BatchResult:
    """The general way, as a transaction function: the upsert statements in order; a conflict or a
    dangling end raises, which rolls back everything run before it."""
    out = BatchResult()
    for label, rows in node_steps:
        if not rows:
            out.nodes.append(UpsertResult())
            continue
        row = await _one_row(tx, statement("upsert_nodes", label=label), {"rows": rows})
        out.nodes.append(nodes_written(label, row))
    for step in rel_steps:
        if step.rows:
            await _upsert_relationships(tx, step, out)
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


async def create_batch(
    tx: neo4j.AsyncManagedTransaction, node_steps: NodeSteps, rel_steps: list[RelStep], sample: list[str]
) -> BatchResult:
    """The way for new nodes, as a transaction function; raises NotAllNew when they are not."""
    found = await _one_row(tx, statement("count_existing"), {"ids": sample})
    if found["found"]:
        raise NotAllNew
    out = BatchResult()
    new: dict[Label, set[str]] = defaultdict(set)
    for label, rows in node_steps:
        if rows:
            try:
                await _one_row(tx, statement("create_nodes", label=label), {"rows": rows})
            except ConstraintError:
                raise NotAllNew from None
            new[label].update(row["id"] for row in rows)
        out.nodes.append(UpsertResult(created=len(rows)))
    for step in rel_steps:
        if not step.rows:
            out.relationships.append(UpsertResult())
        elif _creatable(step, new):
            by_start: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in step.rows:
                by_start[r["start"]].append({"end": r["end"], "props": r["props"]})
            groups = [{"start": start, "rows": rows} for start, rows in by_start.items()]
            row = await _one_row(tx, statement("create_relationships", start=step.start, type=step.type, end=step.end),
                                 {"groups": groups})
            if row["created"] != len(step.rows):
                raise NotAllNew  # a missing end: the general way names it
            out.relationships.append(UpsertResult(created=len(step.rows)))
        else:
            await _upsert_relationships(tx, step, out)
    return out
