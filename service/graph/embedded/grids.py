"""Grids (网格) in a region subtree with their branches and responsible members (the mirror of
grid_facts.cypher)."""

from __future__ import annotations

from collections.abc import Iterator

from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.scope import scoped
from service.model import Label, RegionLevel, RelType
from service.workflows.grids import GridFact


def grid_facts(ex: EmbeddedExecutor, region_id: str | None) -> list[GridFact]:
    with ex.reading() as mem:
        regions = scoped(mem, region_id)
        out = []
        for gid in sorted(mem.by_label[Label.REGION]):
            grid = mem.nodes[gid]
            if grid.props.get("level") != RegionLevel.GRID or (regions is not None and gid not in regions):
                continue
            level = grid.props.get("gridLevel")
            out.append(GridFact(
                gid, None if level is None else int(level), _place_of(mem, gid),
                sum(mem.has_label(o, Label.ORGANISATION) for o in mem.into(gid, RelType.LOCATED_IN)),
                sum(mem.has_label(m, Label.MEMBER) for m in mem.into(gid, RelType.RESPONSIBLE_FOR)),
            ))
    return out


def _place_of(mem: MemoryGraph, grid_id: str) -> str | None:
    """The nearest non-grid region above a grid, within four PART_OF hops (grid_facts.cypher)."""
    frontier: Iterator[str] | list[str] = [grid_id]
    for _ in range(4):
        parents = sorted({p for g in frontier for p in mem.out(g, RelType.PART_OF) if mem.has_label(p, Label.REGION)})
        for p in parents:
            if mem.nodes[p].props.get("level") != RegionLevel.GRID:
                return p
        frontier = parents
    return None
