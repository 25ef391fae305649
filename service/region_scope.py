"""Region scope for writes: a region-scoped key changes only what lies wholly inside its region.

Reads keep a node a key can see when one of its regions is inside the scope (Context.visible). A
write is stricter: every node it writes and every other end of a relationship it writes or replaces
must have ALL its regions (its label's `region_path` in service/registry.py) inside the scope. A
node in two regions, one outside, is outside; a node placed nowhere is outside (a scoped key cannot
reach it). Moving a node (a new LOCATED_IN, BELONGS_TO, PART_OF, IN…) touches its old and its new
region: the node as it is must be inside, and so must the new end.

One exception, on purpose: a member may be linked from elsewhere to a place inside the region
(双报到: members of units elsewhere report, join teams, take grid duty, accept and contribute to
wishes where they live). Such a link writes nothing on the member and does not move it; writing the
member itself (upsertMembers, a members file) needs the member inside.

The API's mutations (service/api/shared/writes.py) and the loaders (loaders/engine.py) both ask here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.errors import Forbidden
from service.graph.port import GraphStore
from service.graph.types import Condition, Node, Op, Query
from service.model import Label, RelType
from service.registry import Step, label_spec

# Labels a relationship may reach from elsewhere without the node itself being written (see above).
LINKED_FROM_ELSEWHERE: frozenset[Label] = frozenset({Label.MEMBER})
_PAGE = 1000  # the store's largest page
_PART_OF = Step(RelType.PART_OF)


def placing_step(label: Label) -> Step:
    """The relationship that places a new node of `label` in a region: the first hop of its path
    (a region's is its parent, PART_OF)."""
    path = label_spec(label).region_path
    return path[0] if path else _PART_OF


async def homes(store: GraphStore, nodes: Sequence[Node]) -> dict[str, set[str]]:
    """The regions each node belongs to, walked over its label's region path (one store call per hop
    and label), as the read scope walks it (MemoryGraph.homes, fragments/scope.cypher)."""
    found: dict[str, set[str]] = {n.id: set() for n in nodes}
    by_label: dict[Label, list[str]] = {}
    for node in nodes:
        by_label.setdefault(node.label, []).append(node.id)
    for label, ids in by_label.items():
        frontier: dict[str, set[str]] = {i: {i} for i in ids}  # the node reached -> the nodes it is a hop of
        for step in label_spec(label).region_path or ():  # None: in no region (ApiKey)
            reached: dict[str, set[str]] = {}
            wanted = sorted(frontier)
            for start in range(0, len(wanted), _PAGE):
                for rel in await store.related(wanted[start:start + _PAGE], step.type, step.outgoing):
                    reached.setdefault(rel.node.id, set()).update(frontier[rel.source_id])
            frontier = reached
        for region, origins in frontier.items():
            for origin in origins:
                found[origin].add(region)
    return found


async def regions_within(store: GraphStore, region_ids: Iterable[str], scope: str) -> set[str]:
    """Those of the regions that lie in the subtree of `scope` (one statement per thousand)."""
    wanted = sorted(set(region_ids))
    inside: set[str] = set()
    for start in range(0, len(wanted), _PAGE):
        chunk = wanted[start:start + _PAGE]
        page = await store.list_nodes(Query(Label.REGION, where=(Condition("id", Op.IN, chunk),),
                                            region_id=scope, first=len(chunk)))
        inside.update(n.id for n in page.items)
    return inside


async def outside(store: GraphStore, scope: str | None, nodes: Sequence[Node]) -> dict[str, str]:
    """The nodes not wholly inside `scope`, each with the reason (None scope: the whole graph, nothing)."""
    if scope is None or not nodes:
        return {}
    placed = await homes(store, nodes)
    inside = await regions_within(store, {r for found in placed.values() for r in found}, scope)
    out: dict[str, str] = {}
    for node in nodes:
        regions = placed[node.id]
        if not regions:
            out[node.id] = f"{node.label.value} {node.id!r} lies in no region"
        elif beyond := sorted(regions - inside):
            out[node.id] = f"{node.label.value} {node.id!r} lies in region {beyond[0]!r}, outside {scope!r}"
    return out


async def require_inside(store: GraphStore, scope: str | None, nodes: Sequence[Node], what: str) -> None:
    """FORBIDDEN, naming the first node and its region, unless every node lies wholly inside `scope`."""
    found = await outside(store, scope, nodes)
    if found:
        first = next(n for n in nodes if n.id in found)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise Forbidden(f"{what}: {found[first.id]}{more}; this key may write only inside region {scope!r}")


def written_ends(nodes: Iterable[Node]) -> list[Node]:
    """The ends of links a write must find inside: all but members linked from elsewhere."""
    return [n for n in nodes if n.label not in LINKED_FROM_ELSEWHERE]
