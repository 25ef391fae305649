"""upsert_batch on the embedded store: node groups, then relationship groups, in one IMMEDIATE
transaction; a failing group rolls back the groups written before it, and memory is reloaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.graph import provenance, records, versions
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.nodes import write_nodes
from service.graph.embedded.relationships import write_relationships
from service.graph.types import BatchResult, RelGroup
from service.model import Label, RelType


def upsert_batch(
    ex: EmbeddedExecutor, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
) -> BatchResult:
    node_steps, groups = records.prepare_batch(nodes, relationships)
    out = BatchResult()
    ids = versions.touched((r for label, rows in node_steps if label is Label.AGREEMENT for r in rows),
                           (r.end for g in groups if g.type is RelType.PARTY_TO for r in g.rows))
    with ex.writing() as (db, mem):
        before = agreement_states(mem, ids)
        for label, prepared in node_steps:
            out.nodes.append(write_nodes(db, mem, label, prepared))
        for g in groups:
            result, removed = write_relationships(db, mem, g)
            out.relationships.append(result)
            out.removed += removed
        if before:  # a version of every existing agreement the batch changed (service/graph/versions.py)
            rows = versions.version_rows(before, agreement_states(mem, sorted(before)), versions.now(),
                                         provenance.current())
            if rows:
                write_nodes(db, mem, Label.AGREEMENT_VERSION, rows)
    return out


def agreement_states(mem: MemoryGraph, ids: list[str]) -> dict[str, versions.AgreementState]:
    """The mirror of agreement_states.cypher (copies: the writes that follow replace memory's values)."""
    return {
        i: versions.AgreementState(dict(mem.nodes[i].props),
                                   {unit: dict(p) for unit, p in mem.related(i, RelType.PARTY_TO, outgoing=False)})
        for i in ids if mem.has_label(i, Label.AGREEMENT)
    }
