"""Which nodes a workflow fact read keeps: those within a region subtree, dated within a period."""

from __future__ import annotations

from typing import Any

from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.types import Node


def scoped(mem: MemoryGraph, region_id: str | None) -> set[str] | None:
    """None: the whole graph; otherwise the regions of the subtree (empty for an unknown region)."""
    return None if region_id is None else mem.subtree(region_id)


def within(mem: MemoryGraph, node: Node, regions: set[str] | None) -> bool:
    return regions is None or mem.in_scope(node, regions)


def in_period(day: Any, since: str | None, until: str | None) -> bool:
    """`since <= day <= until` with Cypher's nulls: a missing day is outside any bounded period."""
    if since is None and until is None:
        return True
    if not isinstance(day, str):
        return False
    return (since is None or day >= since) and (until is None or day <= until)
