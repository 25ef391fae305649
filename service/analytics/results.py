"""What one analysis run computed, before it is written back onto the units."""

from __future__ import annotations

from dataclasses import dataclass

from service.analytics.brokers import CutReport
from service.analytics.projection import Network


@dataclass(slots=True)
class Analysis:
    network: Network
    version: str
    computed_at: str
    degree: dict[str, float]
    strength: dict[str, float]
    betweenness: dict[str, float] | None = None
    betweenness_pivots: int = 0
    closeness: dict[str, float] | None = None
    closeness_pivots: int = 0
    pagerank: dict[str, float] | None = None
    community: dict[str, int] | None = None
    modularity: float | None = None
    cuts: CutReport | None = None
    engine: str = "networkx"  # what computed the metrics: "networkx" or "igraph" (metrics.engine_for)
