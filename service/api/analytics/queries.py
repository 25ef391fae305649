"""Root fields over the written-back analytics: centrality rankings, communities, brokers, and
the live coverage gaps. `centrality` reads the top scores through sorted listings (two to four
bounded store calls); `communities` and `brokers` read the asked region's projection once (its
units carry their scores); `coverageGaps` is one call. A scoped key may cost one call more to
check the asked region."""

from __future__ import annotations

from datetime import date, timedelta

import strawberry

from service.analytics import writeback
from service.analytics.projection import Scope
from service.analytics.writeback import Stored
from service.api.analytics.types import (
    Broker,
    CentralityMetric,
    Community,
    CommunityReport,
    CoverageGaps,
    UnitScore,
    freshness,
)
from service.api.limits import MAX_FIRST, check_first
from service.api.shared.listing import region_of
from service.api.shared.nodes import Info, wrap
from service.errors import OverLimit
from service.graph.types import Condition, Node, Op, Query
from service.model import Label
from service.registry import UNITS

DEFAULT_TOP = 20
DEFAULT_UNCLAIMED_DAYS = 90
MAX_UNCLAIMED_DAYS = 36_500


async def _scored(info: Info, region_id: strawberry.ID | None) -> list[tuple[Node, Stored]]:
    """The units of the asked region (within the caller's scope) that carry results."""
    region = await region_of(info, region_id)
    network = await freshness(info).network(Scope(region))
    found = []
    for ties in network.units.values():
        stored = Stored.of(ties.node)
        if stored is not None:
            found.append((ties.node, stored))
    return found


_PROPS = {
    CentralityMetric.DEGREE: writeback.DEGREE, CentralityMetric.BETWEENNESS: writeback.BETWEENNESS,
    CentralityMetric.PAGERANK: writeback.PAGERANK, CentralityMetric.CLOSENESS: writeback.CLOSENESS,
}


async def _top_of(info: Info, label: Label, prop: str, region: str | None, top: int) -> list[Node]:
    """The `top` units of a label by a stored score, ties by ascending id, in at most two sorted
    listings: the highest scores, then, when the page was full, the ids tied at its lowest score
    (the listing breaks ties by descending id when it sorts descending)."""
    store = info.context.store
    scored = (Condition(prop, Op.GTE, 0.0),)  # every score is >= 0; units without one drop out
    page = await store.list_nodes(Query(label, where=scored, region_id=region, order_by=prop, descending=True,
                                        first=top))
    if not page.has_next or not page.items:
        return page.items
    lowest = page.items[-1].props[prop]
    tied = await store.list_nodes(Query(label, where=(Condition(prop, Op.EQ, lowest),), region_id=region, first=top))
    return [n for n in page.items if n.props[prop] != lowest] + tied.items


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Units of a region ranked by a centrality score from their last analysis.")
    async def centrality(
        self, info: Info, metric: CentralityMetric, region_id: strawberry.ID | None = None, top: int | None = 20
    ) -> list[UnitScore]:
        top = check_first(DEFAULT_TOP if top is None else top, MAX_FIRST, "top")
        region = await region_of(info, region_id)
        prop = _PROPS[metric]
        scored: dict[str, tuple[Node, float]] = {}
        for label in UNITS:
            for node in await _top_of(info, label, prop, region, top):
                scored[node.id] = (node, float(node.props[prop]))
        ranked = sorted(scored.values(), key=lambda pair: (-pair[1], pair[0].id))[:top]
        return [UnitScore(unit=wrap(node), score=value, rank=i) for i, (node, value) in enumerate(ranked, 1)]

    @strawberry.field(description="Louvain communities of a region's units, with the modularity of the analysis.")
    async def communities(self, info: Info, region_id: strawberry.ID | None = None) -> CommunityReport:
        members: dict[int, list[Node]] = {}
        latest: tuple[str, float] | None = None
        for node, stored in await _scored(info, region_id):
            if stored.community is None:
                continue
            members.setdefault(stored.community, []).append(node)
            if stored.modularity is not None and (latest is None or stored.computed_at > latest[0]):
                latest = (stored.computed_at, stored.modularity)
        groups = sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        listed = [Community(id=cid, size=len(nodes), member_nodes=sorted(nodes, key=lambda n: n.id))
                  for cid, nodes in groups if len(nodes) > 1]
        return CommunityReport(modularity=latest[1] if latest else 0.0, community_list=listed,
                               singletons=sum(1 for _, nodes in groups if len(nodes) == 1))

    @strawberry.field(description="Articulation points of a region's units, the ones cutting off most units first.")
    async def brokers(
        self, info: Info, region_id: strawberry.ID | None = None, top: int | None = 20
    ) -> list[Broker]:
        top = check_first(DEFAULT_TOP if top is None else top, MAX_FIRST, "top")
        found = [(node, stored, stored.split_sizes) for node, stored in await _scored(info, region_id)
                 if stored.split_sizes]

        def order(row: tuple[Node, Stored, tuple[int, ...] | None]) -> tuple[int, int, float, str]:
            node, stored, sizes = row
            assert sizes
            return (-(sum(sizes) - max(sizes)), -len(sizes), -(stored.betweenness or 0.0), node.id)

        found.sort(key=order)
        return [Broker(unit=wrap(node), components=len(sizes or ()), split_sizes=list(sizes or ()))
                for node, _, sizes in found[:top]]

    @strawberry.field(description="Unpaired communities, aging list items and idle units of a region, computed now.")
    async def coverage_gaps(
        self, info: Info, region_id: strawberry.ID | None = None, unclaimed_days: int | None = 90
    ) -> CoverageGaps:
        unclaimed_days = DEFAULT_UNCLAIMED_DAYS if unclaimed_days is None else unclaimed_days
        if not 0 <= unclaimed_days <= MAX_UNCLAIMED_DAYS:
            raise OverLimit(f"`unclaimedDays` is {unclaimed_days}; ask for 0 to {MAX_UNCLAIMED_DAYS}")
        region = await region_of(info, region_id)
        before = (date.today() - timedelta(days=unclaimed_days)).isoformat()
        facts = await info.context.store.analytics_gaps(region, before)
        aging = sorted(facts.aging, key=lambda it: (str(it.node.props.get("publishedOn")), it.node.id))
        return CoverageGaps(unpaired=facts.unpaired, idle=facts.idle, aging=aging)
