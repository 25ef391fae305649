"""Grid coverage (网格化党建): the share of grids at each level that have a party branch located
in them, e.g. Yuquan's 223 grid branches covering 98.3% of residential compounds (level-2 grids)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GridFact:
    id: str
    grid_level: int | None
    place_id: str | None  # the nearest non-grid region above it (its community, village or street)
    branches: int  # party organisations LOCATED_IN the grid
    responsible: int  # members RESPONSIBLE_FOR it


@dataclass(frozen=True, slots=True)
class Coverage:
    region_id: str | None  # None: the whole scope asked for
    grid_level: int | None
    grids: int
    covered: int
    with_responsible: int

    @property
    def coverage(self) -> float:
        return round(self.covered / self.grids, 4) if self.grids else 0.0


def coverage(facts: Iterable[GridFact], region_id: str | None) -> list[Coverage]:
    """One row per grid level for the whole scope (region_id), then per place and level."""
    totals: dict[tuple[str | None, int | None], list[int]] = {}
    for f in facts:
        # a grid directly in the scope region counts once, not as scope and place both
        for key in {(region_id, f.grid_level), ((f.place_id or region_id), f.grid_level)}:
            row = totals.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += f.branches > 0
            row[2] += f.responsible > 0
    rows = [Coverage(r, level, *counts) for (r, level), counts in totals.items()]

    def order(c: Coverage) -> tuple[int, str, int]:
        return (0 if c.region_id == region_id else 1, c.region_id or "", c.grid_level or 0)

    return sorted(rows, key=order)
