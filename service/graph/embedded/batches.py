"""upsert_batch on the embedded store: node groups, then relationship groups, in one IMMEDIATE
transaction; a failing group rolls back the groups written before it, and memory is reloaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.nodes import write_nodes
from service.graph.embedded.relationships import write_relationships
from service.graph.types import BatchResult, RelGroup
from service.model import Label


def upsert_batch(
    ex: EmbeddedExecutor, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
) -> BatchResult:
    node_steps, groups = records.prepare_batch(nodes, relationships)
    out = BatchResult()
    with ex.writing() as (db, mem):
        for label, prepared in node_steps:
            out.nodes.append(write_nodes(db, mem, label, prepared))
        for g in groups:
            result, removed = write_relationships(db, mem, g)
            out.relationships.append(result)
            out.removed += removed
    return out
