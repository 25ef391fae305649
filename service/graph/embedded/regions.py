"""What a region subtree holds, counted by label, kind and status (the mirror of region_stats.cypher).
Membership itself is MemoryGraph.homes / in_scope (the mirror of fragments/scope.cypher)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.types import Count, Node
from service.model import Label
from service.registry import kind_of, status_of


def region_stats(ex: EmbeddedExecutor, region_id: str) -> list[Count]:
    with ex.reading() as mem:
        counts = region_counts(mem.scope(region_id))
    return [Count(label, kind, status, n) for (label, kind, status), n in
            sorted(counts.items(), key=lambda kv: (kv[0][0].value, str(kv[0][1]), str(kv[0][2])))]


def region_counts(nodes: Iterable[Node]) -> dict[tuple[Label, Any, Any], int]:
    counts: dict[tuple[Label, Any, Any], int] = {}
    for n in nodes:
        key = (n.label, kind_of(n.label, n.props), status_of(n.label, n.props))
        counts[key] = counts.get(key, 0) + 1
    return counts
