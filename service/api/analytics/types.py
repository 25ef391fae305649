"""The shapes of analytics: `analytics` on Organisation and Enterprise (the unit's written-back scores
and whether they still describe the graph), the rankings, communities and brokers, and the coverage
gaps."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from service.analytics.writeback import Freshness, Stored
from service.api.limits import check_first
from service.api.lists.types import ListItem, listed_item
from service.api.shared.nodes import Info, wrap
from service.graph.types import Item, Node

if TYPE_CHECKING:
    from service.api.shared.refs import Region, Unit

MAX_LISTED = 1000

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


@strawberry.type(description="A unit's score on one centrality metric, ranked from 1.")
class UnitScore:
    unit: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    score: float
    rank: int


@strawberry.type(description="A Louvain community of the alliance network.")
class Community:
    id: int
    size: int
    member_nodes: strawberry.Private[list[Node]]

    @strawberry.field(description="Members by id, at most `first` (1-100).")
    def members(self, first: int = 20) -> list[Annotated["Unit", strawberry.lazy("service.api.units.types")]]:
        check_first(first)
        return [wrap(n) for n in self.member_nodes[:first]]


@strawberry.type(description="Communities of the units in a region, from their last analysis.")
class CommunityReport:
    modularity: float = strawberry.field(description="Weighted modularity of the analysed partition.")
    singletons: int = strawberry.field(description="Units with no tie, each alone in its community (not listed).")
    community_list: strawberry.Private[list[Community]]

    @strawberry.field(description="Communities of two or more units, largest first, at most `first` (1-100).")
    def communities(self, first: int = 50) -> list[Community]:
        check_first(first)
        return self.community_list[:first]


@strawberry.type(description="An articulation point: a unit whose departure splits its part of the network.")
class Broker:
    unit: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    components: int = strawberry.field(description="How many pieces its component falls into without it.")
    split_sizes: list[int] = strawberry.field(description="Their sizes in units, largest first.")


@strawberry.type(description="Where the pairing network has holes (computed live).")
class CoverageGaps:
    unpaired: strawberry.Private[list[Node]]
    aging: strawberry.Private[list[Item]]
    idle: strawberry.Private[list[Node]]

    @strawberry.field(description="Community / village regions whose party organisation has no ACTIVE agreement.")
    def unpaired_communities(
        self, first: int = 100
    ) -> list[Annotated["Region", strawberry.lazy("service.api.regions.types")]]:
        check_first(first, MAX_LISTED)
        return [wrap(n) for n in self.unpaired[:first]]

    @strawberry.field(description="Items not CLOSED, partly or wholly unclaimed, published more than "
                                  "`unclaimedDays` ago; oldest first.")
    def aging_items(self, first: int = 100) -> list[ListItem]:
        check_first(first, MAX_LISTED)
        return [listed_item(it) for it in self.aging[:first]]

    @strawberry.field(description="Units party to an agreement that publish no list item and hold no ACTIVE claim.")
    def idle_units(self, first: int = 100) -> list[Annotated["Unit", strawberry.lazy("service.api.units.types")]]:
        check_first(first, MAX_LISTED)
        return [wrap(n) for n in self.idle[:first]]

    @strawberry.field
    def unpaired_count(self) -> int:
        return len(self.unpaired)

    @strawberry.field
    def aging_count(self) -> int:
        return len(self.aging)

    @strawberry.field
    def idle_count(self) -> int:
        return len(self.idle)
