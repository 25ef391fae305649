"""Relationships between nodes named by id: upserts of one (start, type, end) group per statement,
replacing the other links of a single-valued end first; neighbours over one type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.errors import NotFound
from service.graph import records
from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor, Transaction
from service.graph.neo4j.results import node_of
from service.graph.neo4j.statements import statement
from service.graph.types import Related, RelGroup, RelRow, UpsertResult
from service.model import Label, RelType
from service.registry import Single, rel_spec


@dataclass(frozen=True, slots=True)
class RelStep:
    """A prepared relationship group (records.prepare_group) as statement parameters."""

    type: RelType
    start: Label
    end: Label
    single: Single | None
    per: str | None
    rows: list[dict[str, Any]]  # {"start", "end", "props"}

    @classmethod
    def of(cls, g: RelGroup) -> RelStep:
        spec = rel_spec(g.type)  # the registry's cardinality, for every writer alike
        return cls(g.type, g.start, g.end, spec.single, spec.per,
                   [{"start": r.start, "end": r.end, "props": r.props} for r in g.rows])


async def upsert_relationships(
    ex: Neo4jExecutor, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
) -> UpsertResult:
    group = records.prepare_group(RelGroup(type, start, end, rows))
    if not group.rows:
        return UpsertResult()
    step = RelStep.of(group)
    linked = census.links(step.type, step.start, step.end, step.rows)
    if step.single is None and not linked:
        written, _ = await write_relationships(ex, step)
    else:  # the replaced links, and the region tallies, go in the same transaction as the new ones
        written, _ = await ex.in_transaction(_in_tx, ex, step, linked)
    return written


async def _in_tx(tx: Transaction, ex: Neo4jExecutor, step: RelStep, linked: list[dict[str, Any]]
                 ) -> tuple[UpsertResult, int]:
    counted = await census.before(ex, tx, (), linked=linked)  # nothing read nor settled without links
    out = await write_relationships(ex, step, tx)
    await census.settle(ex, tx, counted)
    return out


async def write_relationships(
    ex: Neo4jExecutor, step: RelStep, tx: Transaction | None = None
) -> tuple[UpsertResult, int]:
    """One group merged by (start, type, end), after removing the relationships a single-valued
    end replaces; the counts and how many were removed. In `tx` when given (a group with `single`
    runs two statements, so only ever inside a batch's transaction)."""
    removed = 0
    if step.single is not None:
        name = "drop_other_ends" if step.single is Single.START else "drop_other_starts"
        [dropped] = await ex.run(statement(name, start=step.start, type=step.type, end=step.end),
                                 {"rows": step.rows, "per": step.per}, write=True, tx=tx)
        removed = dropped["removed"]
    [row] = await ex.run(statement("upsert_relationships", start=step.start, type=step.type, end=step.end),
                         {"rows": step.rows}, write=True, tx=tx)
    return relationships_written(step.type, step.start, step.end, row), removed


def relationships_written(type: RelType, start: Label, end: Label, row: Mapping[str, Any]) -> UpsertResult:
    """upsert_relationships' answer as counts; a missing end raises (and rolls back)."""
    missing = [f"no {start} {i!r}" for i in row["missingStart"]]
    missing += [f"no {end} {i!r}" for i in row["missingEnd"]]
    if missing:
        raise NotFound(f"cannot write {type} relationships: {'; '.join(missing[:5])}")
    return UpsertResult(row["created"], row["updated"], row["unchanged"])


async def related(ex: Neo4jExecutor, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
    type = records.as_rel_type(type)
    name = "related_out" if outgoing else "related_in"
    [record] = await ex.run(statement(name, type=type), {"ids": list(ids)})
    return [Related(source_id, node_of(labels, props), rel_props)
            for source_id, labels, props, rel_props in record["rows"]]
