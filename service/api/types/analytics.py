"""`analytics` on Organisation and Enterprise: the unit's written-back scores and whether they
still describe the graph. Kept apart from service/api/analytics.py, which imports the entity types."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from service.analytics.projection import Scope
from service.analytics.writeback import Freshness, Stored
from service.api.types.base import Info
from service.graph.types import Node

_FRESHNESS = "_analytics_freshness"


@strawberry.enum(description="A centrality score written back by `alliance analyze`.")
class CentralityMetric(Enum):
    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"
    CLOSENESS = "closeness"


def freshness(info: Info) -> Freshness:
    """The request's graph versions: each scope's projection is read at most once per request."""
    found = getattr(info.context, _FRESHNESS, None)
    if not isinstance(found, Freshness):
        found = Freshness(info.context.store)
        setattr(info.context, _FRESHNESS, found)
    return found


@strawberry.type(description="Scores from the last analysis that covered this unit (`alliance analyze`).")
class UnitAnalytics:
    degree: float | None = strawberry.field(description="Distinct partners in the alliance network.")
    betweenness: float | None = strawberry.field(description="Normalised betweenness (shortest paths via this unit).")
    pagerank: float | None
    closeness: float | None = strawberry.field(description="Harmonic closeness divided by n-1.")
    community: int | None = strawberry.field(description="Louvain community id within the analysed scope.")
    computed_at: str | None
    graph_version: str | None = strawberry.field(description="Fingerprint of the network the scores describe.")
    scope: str = strawberry.field(description="What was analysed: '' whole graph, 'region:<id>', 'alliance:<id>'.")
    stored: strawberry.Private[Stored]

    @strawberry.field(description="True when the network of that scope has changed since the scores were computed.")
    async def stale(self, info: Info) -> bool:
        return await freshness(info).stale(self.stored)


def unit_analytics(node: Node) -> UnitAnalytics | None:
    stored = Stored.of(node)
    if stored is None:
        return None
    return UnitAnalytics(
        degree=stored.degree, betweenness=stored.betweenness, pagerank=stored.pagerank, closeness=stored.closeness,
        community=stored.community, computed_at=stored.computed_at or None, graph_version=stored.graph_version,
        scope=stored.scope.key, stored=stored,
    )


__all__ = ["CentralityMetric", "Scope", "UnitAnalytics", "days_unclaimed", "freshness", "unit_analytics"]


def days_unclaimed(props: dict[str, object]) -> int | None:
    """Days since a list item was published, while some of it is still open to claim."""
    published, quantity, claimed = props.get("publishedOn"), props.get("quantity") or 0, props.get("claimed") or 0
    if props.get("status") == "CLOSED" or not isinstance(published, str):
        return None
    if not isinstance(quantity, (int, float)) or not isinstance(claimed, (int, float)) or claimed >= quantity:
        return None
    try:
        return (date.today() - date.fromisoformat(published[:10])).days
    except ValueError:
        return None
