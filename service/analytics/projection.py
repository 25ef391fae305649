"""The alliance network: organisations and enterprises as nodes, weighted undirected edges for
what two units share. Built from `GraphStore.analytics_network`, the same on both stores.

Edge weight between units u and v (documented in README "Analytics"; all terms add up):

- each ACTIVE agreement both are party to: 1 / (parties - 1). A one-to-one pairing weighs 1; a
  co-building agreement of p parties spreads one unit of tie over its p - 1 partners, so a big
  multi-party agreement does not outweigh a pairing (Newman's weighting of a bipartite projection);
- each alliance both belong to (MEMBER_OF, or its leader by LED_BY): 0.5 / (members - 1), half an
  agreement's worth, because co-membership of an alliance is a looser tie than a signed agreement;
- each ACTIVE claim one holds on a list item the other published: 1.

Group sizes count every party or member organisation, in scope or not, so restricting the view to
a region or an alliance does not inflate the ties inside it. Weights are summed with `math.fsum`
(exactly rounded, independent of order), so both stores give bit-identical graphs.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from service.graph.port import GraphStore
from service.graph.types import Node, UnitTies

AGREEMENT_WEIGHT = 1.0
ALLIANCE_WEIGHT = 0.5
CLAIM_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Scope:
    """Which part of the graph a projection covers; None means no restriction."""

    region_id: str | None = None
    alliance_id: str | None = None

    @property
    def key(self) -> str:
        """The scope as stored with written-back results: '' for the whole graph."""
        parts = []
        if self.region_id is not None:
            parts.append(f"region:{self.region_id}")
        if self.alliance_id is not None:
            parts.append(f"alliance:{self.alliance_id}")
        return "|".join(parts)

    @classmethod
    def parse(cls, key: str) -> Scope:
        found: dict[str, str] = {}
        for part in filter(None, key.split("|")):
            kind, _, value = part.partition(":")
            found[kind] = value
        return cls(found.get("region"), found.get("alliance"))


@dataclass(slots=True)
class EdgeTies:
    """What one edge is made of, kept for exports."""

    agreements: list[str] = field(default_factory=list)
    alliances: list[str] = field(default_factory=list)
    claims: int = 0
    parts: list[float] = field(default_factory=list)


@dataclass(slots=True)
class Network:
    scope: Scope
    graph: nx.Graph  # nodes are unit ids in sorted order; edge attribute `weight`
    units: dict[str, UnitTies]
    ties: dict[tuple[str, str], EdgeTies]  # keyed by (smaller id, larger id)
    version: str  # fingerprint(graph), computed once

    def node(self, unit_id: str) -> Node:
        return self.units[unit_id].node


def build(units: list[UnitTies], scope: Scope = Scope()) -> Network:
    by_id = {u.node.id: u for u in units}
    ties: dict[tuple[str, str], EdgeTies] = defaultdict(EdgeTies)
    agreements: dict[str, tuple[int, set[str]]] = {}
    alliances: dict[str, tuple[int, set[str]]] = {}
    for unit in units:
        for tie in unit.agreements:
            agreements.setdefault(tie.id, (tie.size, set()))[1].add(unit.node.id)
        for tie in unit.alliances:
            alliances.setdefault(tie.id, (tie.size, set()))[1].add(unit.node.id)
    for groups, weight, is_agreement in ((agreements, AGREEMENT_WEIGHT, True), (alliances, ALLIANCE_WEIGHT, False)):
        for group_id, (size, members) in groups.items():
            if size < 2:
                continue
            for a, b in itertools.combinations(sorted(members), 2):
                edge = ties[(a, b)]
                edge.parts.append(weight / (size - 1))
                (edge.agreements if is_agreement else edge.alliances).append(group_id)
    for unit in units:
        for publisher in unit.claimed_from:
            if publisher != unit.node.id and publisher in by_id:
                edge = ties[(min(unit.node.id, publisher), max(unit.node.id, publisher))]
                edge.parts.append(CLAIM_WEIGHT)
                edge.claims += 1
    graph = nx.Graph()
    graph.add_nodes_from(sorted(by_id))  # a fixed order keeps seeded algorithms identical across stores
    for (a, b) in sorted(ties):
        edge = ties[(a, b)]
        edge.agreements.sort()
        edge.alliances.sort()
        graph.add_edge(a, b, weight=math.fsum(edge.parts))
    return Network(scope, graph, by_id, dict(ties), fingerprint(graph))


def fingerprint(graph: nx.Graph) -> str:
    """The graph version: a hash of the unit ids and weighted edges of a projection. It is
    written beside every result; results are stale when the projection of their scope no longer
    has it. A write that changes no tie (a member's phone, a meeting) keeps results fresh; a new
    agreement, claim, membership or unit in scope makes them stale."""
    digest = hashlib.sha256()
    for unit in graph.nodes:
        digest.update(f"n\t{unit}\n".encode())
    for u, v, weight in sorted((min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight")):
        digest.update(f"e\t{u}\t{v}\t{float(weight).hex()}\n".encode())
    return digest.hexdigest()[:16]


async def load(store: GraphStore, scope: Scope = Scope()) -> Network:
    """The projection of `scope`, read in one store call."""
    return build(await store.analytics_network(scope.region_id, scope.alliance_id), scope)
