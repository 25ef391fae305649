"""The embedded store's answers to the analytics port reads, over its in-memory graph; they
mirror service/cypher/queries/analytics_network.cypher and analytics_gaps.cypher rule for rule."""

from __future__ import annotations

from collections.abc import Iterable

from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.types import CoverageFacts, Item, Node, Tie, UnitTies
from service.model import Label, RelType


def analytics_network(
    ex: EmbeddedExecutor, region_id: str | None = None, alliance_id: str | None = None
) -> list[UnitTies]:
    with ex.reading() as mem:
        return network(mem, region_id, alliance_id)


def analytics_gaps(ex: EmbeddedExecutor, region_id: str | None, published_before: str) -> CoverageFacts:
    with ex.reading() as mem:
        return gaps(mem, region_id, published_before)


def _units_in_scope(mem: MemoryGraph, region_id: str | None) -> set[str]:
    units = {u for u in mem.by_label[Label.ORGANISATION] | mem.by_label[Label.ENTERPRISE]
             if mem.nodes[u].props.get("withdrawn") is None}  # withdrawn units are left out
    if region_id is None:
        return set(units)
    regions = mem.subtree(region_id)
    return {u for u in units if any(r in regions for r in mem.out(u, RelType.LOCATED_IN))}


def _alliance_units(mem: MemoryGraph, alliance_id: str) -> set[str]:
    if not mem.has_label(alliance_id, Label.ALLIANCE):
        return set()
    orgs = set(mem.into(alliance_id, RelType.MEMBER_OF)) | set(mem.out(alliance_id, RelType.LED_BY))
    hosts = {e for o in orgs for e in mem.out(o, RelType.EMBEDDED_IN)}
    return orgs | hosts


def _alliance_size(mem: MemoryGraph, alliance_id: str) -> int:
    members = set(mem.into(alliance_id, RelType.MEMBER_OF)) | set(mem.out(alliance_id, RelType.LED_BY))
    return sum(1 for m in members if mem.has_label(m, Label.ORGANISATION))


def _active_claims(mem: MemoryGraph, unit: str) -> Iterable[str]:
    for item, props in mem.related(unit, RelType.CLAIMED, True):
        if props.get("status") == "ACTIVE" and mem.has_label(item, Label.LIST_ITEM):
            yield item


def network(mem: MemoryGraph, region_id: str | None, alliance_id: str | None) -> list[UnitTies]:
    scope = _units_in_scope(mem, region_id)
    if alliance_id is not None:
        scope &= _alliance_units(mem, alliance_id)
    out = []
    for unit in sorted(scope):
        agreements = tuple(
            Tie(a, sum(1 for _ in mem.into(a, RelType.PARTY_TO)))
            for a in mem.out(unit, RelType.PARTY_TO)
            if mem.has_label(a, Label.AGREEMENT) and mem.nodes[a].props.get("status") == "ACTIVE"
            and mem.nodes[a].props.get("withdrawn") is None
        )
        alliances = {a for a in mem.out(unit, RelType.MEMBER_OF) if mem.has_label(a, Label.ALLIANCE)}
        alliances |= {a for a in mem.into(unit, RelType.LED_BY) if mem.has_label(a, Label.ALLIANCE)}
        claims = list(_active_claims(mem, unit))
        regions = sorted(r for r in mem.out(unit, RelType.LOCATED_IN) if mem.has_label(r, Label.REGION))
        out.append(UnitTies(
            node=mem.nodes[unit],
            region_id=regions[0] if regions else None,
            agreements=agreements,
            alliances=tuple(Tie(a, _alliance_size(mem, a)) for a in alliances),
            claimed_from=tuple(p for item in claims for p in mem.into(item, RelType.PUBLISHED)),
            signed=sum(1 for a in mem.out(unit, RelType.PARTY_TO) if mem.has_label(a, Label.AGREEMENT)),
            published=sum(1 for i in mem.out(unit, RelType.PUBLISHED) if mem.has_label(i, Label.LIST_ITEM)),
            claims=len(claims),
        ))
    return out


def _paired(mem: MemoryGraph, region: Node) -> bool:
    for org in mem.into(region.id, RelType.LOCATED_IN):
        if not mem.has_label(org, Label.ORGANISATION) or mem.nodes[org].props.get("kind") != region.props.get("level"):
            continue
        for agreement in mem.out(org, RelType.PARTY_TO):
            if mem.has_label(agreement, Label.AGREEMENT) and mem.nodes[agreement].props.get("status") == "ACTIVE" \
                    and any(other != org for other in mem.into(agreement, RelType.PARTY_TO)):
                return True
    return False


def gaps(mem: MemoryGraph, region_id: str | None, published_before: str) -> CoverageFacts:
    regions = set(mem.by_label[Label.REGION]) if region_id is None else mem.subtree(region_id)
    unpaired = [
        mem.nodes[r] for r in sorted(regions)
        if mem.nodes[r].props.get("level") in ("COMMUNITY", "VILLAGE") and not _paired(mem, mem.nodes[r])
    ]
    units = _units_in_scope(mem, region_id)
    if region_id is None:
        items = set(mem.by_label[Label.LIST_ITEM])
    else:
        items = {i for u in units for i in mem.out(u, RelType.PUBLISHED) if mem.has_label(i, Label.LIST_ITEM)}
    aging = []
    for i in sorted(items):
        p = mem.nodes[i].props
        published, claimed, quantity = p.get("publishedOn"), p.get("claimed", 0), p.get("quantity", 0)
        if p.get("status", "OPEN") == "CLOSED" or not isinstance(published, str) or published >= published_before:
            continue
        if claimed < quantity:
            publishers = sorted(mem.into(i, RelType.PUBLISHED))
            aging.append(Item(mem.nodes[i], claimed, quantity - claimed, publishers[0] if publishers else None))
    idle = [
        mem.nodes[u] for u in sorted(units)
        if any(mem.has_label(a, Label.AGREEMENT) for a in mem.out(u, RelType.PARTY_TO))
        and not any(mem.has_label(i, Label.LIST_ITEM) for i in mem.out(u, RelType.PUBLISHED))
        and not any(True for _ in _active_claims(mem, u))
    ]
    return CoverageFacts(unpaired, aging, idle)
