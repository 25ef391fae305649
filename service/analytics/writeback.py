"""Results on the units themselves (like Neo4j GDS write mode), and reading them back.

Each unit of an analysed scope gets `analytics*` properties through the ordinary
`upsert_nodes`: the scores, the time computed, the scope and the graph version (the projection
fingerprint, projection.Network.version) they describe. A run always writes a whole record: a
metric it did not compute is removed, so a record never mixes runs. Results are *stale* when
the projection of their scope no longer has that version; this is decided on read by
fingerprinting the current projection, so no write path of either store needs to maintain a
counter, and writing the results back (which touches only unit properties) never makes them stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from service.analytics import projection
from service.analytics.projection import Network, Scope
from service.analytics.results import Analysis
from service.graph.port import GraphStore
from service.graph.types import Node
from service.model import Label

PREFIX = "analytics"
DEGREE, STRENGTH = "analyticsDegree", "analyticsStrength"
BETWEENNESS, BETWEENNESS_PIVOTS = "analyticsBetweenness", "analyticsBetweennessPivots"
CLOSENESS, PAGERANK = "analyticsCloseness", "analyticsPagerank"
COMMUNITY, MODULARITY = "analyticsCommunity", "analyticsModularity"
SPLIT_SIZES = "analyticsSplitSizes"  # [] for a unit that splits nothing; sizes for an articulation point
COMPUTED_AT, GRAPH_VERSION, SCOPE = "analyticsComputedAt", "analyticsGraphVersion", "analyticsScope"
BATCH = 5_000


@dataclass(frozen=True, slots=True)
class Stored:
    """A unit's written-back results, as read from its properties."""

    degree: float | None
    strength: float | None
    betweenness: float | None
    pagerank: float | None
    closeness: float | None
    community: int | None
    modularity: float | None
    split_sizes: tuple[int, ...] | None  # None: brokers not computed in that run
    computed_at: str
    graph_version: str
    scope: Scope

    @classmethod
    def of(cls, node: Node) -> Stored | None:
        p = node.props
        if not isinstance(p.get(GRAPH_VERSION), str):
            return None
        splits = p.get(SPLIT_SIZES)
        return cls(
            degree=_float(p.get(DEGREE)), strength=_float(p.get(STRENGTH)), betweenness=_float(p.get(BETWEENNESS)),
            pagerank=_float(p.get(PAGERANK)), closeness=_float(p.get(CLOSENESS)),
            community=int(p[COMMUNITY]) if isinstance(p.get(COMMUNITY), (int, float)) else None,
            modularity=_float(p.get(MODULARITY)),
            split_sizes=tuple(int(x) for x in splits) if isinstance(splits, list) else None,
            computed_at=str(p.get(COMPUTED_AT, "")), graph_version=str(p[GRAPH_VERSION]),
            scope=Scope.parse(str(p.get(SCOPE, ""))),
        )


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _pick(values: Mapping[str, Any] | None, unit: str) -> Any:
    return None if values is None else values.get(unit)


def rows(result: Analysis) -> dict[Label, list[dict[str, Any]]]:
    """The property rows to upsert, per label."""
    out: dict[Label, list[dict[str, Any]]] = {Label.ORGANISATION: [], Label.ENTERPRISE: []}
    cuts = result.cuts
    for unit, ties in result.network.units.items():
        splits = None if cuts is None else list(cuts.articulation.get(unit, ()))
        out[ties.node.label].append({
            "id": unit,
            DEGREE: result.degree[unit],
            STRENGTH: result.strength[unit],
            BETWEENNESS: _pick(result.betweenness, unit),
            BETWEENNESS_PIVOTS: result.betweenness_pivots if result.betweenness is not None else None,
            CLOSENESS: _pick(result.closeness, unit),
            PAGERANK: _pick(result.pagerank, unit),
            COMMUNITY: _pick(result.community, unit),
            MODULARITY: result.modularity,
            SPLIT_SIZES: splits,
            COMPUTED_AT: result.computed_at,
            GRAPH_VERSION: result.version,
            SCOPE: result.network.scope.key,
        })
    return out


async def write(store: GraphStore, result: Analysis, progress: Callable[[str, int, int], None]) -> int:
    """Upsert the results in batches; returns the number of units written."""
    by_label = rows(result)
    total = sum(len(r) for r in by_label.values())
    done = 0
    progress("write", 0, total)
    for label, label_rows in by_label.items():
        for start in range(0, len(label_rows), BATCH):
            chunk = label_rows[start : start + BATCH]
            await store.upsert_nodes(label, chunk)
            done += len(chunk)
            progress("write", done, total)
    return done


class Freshness:
    """The current graph version of each scope, each read at most once (one store call per
    scope; concurrent resolvers asking for the same scope share the read)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._loads: dict[str, asyncio.Future[Network]] = {}

    def remember(self, network: Network) -> None:
        done: asyncio.Future[Network] = asyncio.get_running_loop().create_future()
        done.set_result(network)
        self._loads[network.scope.key] = done

    async def network(self, scope: Scope) -> Network:
        load = self._loads.get(scope.key)
        if load is None:
            load = self._loads[scope.key] = asyncio.ensure_future(projection.load(self._store, scope))
        return await load

    async def stale(self, stored: Stored) -> bool:
        return (await self.network(stored.scope)).version != stored.graph_version
