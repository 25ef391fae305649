"""The graph the adversarial suite reads, built from the registry alone: two streets (SIDE_A, SIDE_B)
of one district, on each side a node of every label placed along its region path, every
relationship type the registry allows between them (with its properties, the personal ones
included), and links from side A to side B wherever a relationship type is not part of a region
path, so a read that follows them can leak a node of the other street.

Every string is marked by its side (WORDS), and every personal value is unique, so a response
can be scanned for a raw personal value or a word of the other side without knowing its shape."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from service.errors import AllianceError
from service.graph.port import GraphStore
from service.graph.types import Query, RelRow
from service.model import Label, RelType
from service.registry import WITHDRAWN_PROPS, PropType, label_spec, labels, personal_properties, rel_spec
from tests import region_paths

DISTRICT, SIDE_A, SIDE_B = "R-D", "R-A", "R-B"
SIDES = (SIDE_A, SIDE_B)
WORDS = {SIDE_A: "红柳", SIDE_B: "胡杨"}  # in every string of a side's nodes and relationships
REGION_NAMES = {DISTRICT: "测试区", SIDE_A: "东街道", SIDE_B: "西街道"}
ODD_REGION_IDS = ("红柳东区", "R-A\r\nX-Injected: 1", "R-A\"; filename=evil.sh")
PATH_TYPES = frozenset(step.type for spec in labels() for step in spec.region_path or ()) | {RelType.PART_OF}


@dataclass
class Graph:
    primary: dict[tuple[Label, str], str] = field(default_factory=dict)  # (label, side) -> id
    side_of: dict[str, str] = field(default_factory=dict)  # node id -> side (the district's regions: none)
    label_of: dict[str, Label] = field(default_factory=dict)
    personal: dict[str, tuple[str, str]] = field(default_factory=dict)  # raw value -> (owner, property)

    def ids(self, side: str) -> set[str]:
        return {i for i, s in self.side_of.items() if s == side}


def _value(label: str, name: str, kind: PropType, side: str, n: int) -> Any:
    if kind is PropType.STRING:
        return f"{WORDS[side]}{label}{name}{n}"
    return {PropType.INT: 3, PropType.FLOAT: 2.5, PropType.BOOL: True, PropType.DATE: "2024-05-01",
            PropType.STRINGS: [f"{WORDS[side]}场地"]}[kind]


def _props(label: Label, node_id: str, side: str, n: int) -> dict[str, Any]:
    props: dict[str, Any] = {"id": node_id}
    for p in label_spec(label).props:
        # kept: the store writes it (claimed, remaining); withdrawn: the node would leave every listing
        if p.name != "id" and not p.kept and p not in WITHDRAWN_PROPS:
            props[p.name] = next(iter(p.values)).value if p.values else _value(label.value, p.name, p.kind, side, n)
    return props


async def _place(store: GraphStore, graph: Graph, label: Label, side: str) -> str:
    """A node of `label` whose region path ends at region `side`, with the nodes along the path."""
    made = await region_paths.place(store, label, side, _props)
    for lab, nid in made:
        graph.side_of[nid], graph.label_of[nid] = side, lab
    return made[0][1]


def _rel_props(type: RelType, start: Label, side: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for p in rel_spec(type).props:
        if p.name == "role" and type is RelType.PARTY_TO:
            props["role"] = f"{WORDS[side]}{start.value}"  # one party per role: a role per unit label
        else:
            props[p.name] = next(iter(p.values)).value if p.values else _value(type.value, p.name, p.kind, side, 0)
    if rel_spec(type).personal:  # unique per start label too
        props.update({name: f"{WORDS[side]}{type.value}{name}{start.value}" for name in rel_spec(type).personal})
    return props


async def build(store: GraphStore) -> Graph:
    graph = Graph()
    await store.upsert_nodes(Label.REGION, [
        {"id": r, "name": name, "level": "DISTRICT" if r == DISTRICT else "STREET"} for r, name in REGION_NAMES.items()
    ])
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                     [RelRow(SIDE_A, DISTRICT), RelRow(SIDE_B, DISTRICT)])
    graph.side_of.update({SIDE_A: SIDE_A, SIDE_B: SIDE_B})
    for odd in ODD_REGION_IDS:  # ids a file name or a header must survive (an export names its region)
        with contextlib.suppress(AllianceError):
            await store.upsert_nodes(Label.REGION, [{"id": odd, "name": f"{WORDS[SIDE_A]}小区", "level": "COMMUNITY"}])
            await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION, [RelRow(odd, SIDE_A)])
            graph.side_of[odd], graph.label_of[odd] = SIDE_A, Label.REGION
    graph.label_of.update({r: Label.REGION for r in REGION_NAMES})
    for side in SIDES:
        for label in Label:
            if label_spec(label).region_path is not None:  # records outside the region tree (Import) are not placed
                graph.primary[label, side] = await _place(store, graph, label, side)

    for spec in (rel_spec(t) for t in RelType):
        if spec.type is RelType.PART_OF:
            continue
        for start, end in sorted(spec.ends):
            pairs = [(SIDE_A, SIDE_A), (SIDE_B, SIDE_B)]
            if spec.single is None and spec.type not in PATH_TYPES:  # a path type across would join both
                pairs.append((SIDE_A, SIDE_B))  # a link across the two streets
            for from_side, to_side in pairs:
                a, b = graph.primary[start, from_side], graph.primary[end, to_side]
                if a == b:
                    continue
                if spec.written_by == "claim_item":
                    with contextlib.suppress(AllianceError):  # a claim on a small item: one is enough
                        await store.claim_item(b, a, 1, "2024-05-02", f"C-{a}-{b}")
                    continue
                await store.upsert_relationships(spec.type, start, end, [RelRow(a, b, _rel_props(spec.type, start,
                                                                                                 from_side))])
    await _record_personal(store, graph)
    return graph


async def _record_personal(store: GraphStore, graph: Graph) -> None:
    """Every raw personal value in the store, read back (the store may have normalised it)."""
    for label, props in personal_properties().items():
        after = None
        while True:
            page = await store.list_nodes(Query(label, first=100, after=after))
            for node in page.items:
                for name in props:
                    value = node.props.get(name)
                    if isinstance(value, str) and value:
                        graph.personal[value] = (f"{label.value} {node.id}", name)
            if not page.has_next:
                break
            after = page.end_cursor
    ids = list(graph.side_of)
    for type in RelType:
        personal = rel_spec(type).personal
        if not personal:
            continue
        for row in await store.related(ids, type, outgoing=True):
            for name in personal:
                value = row.props.get(name)
                if isinstance(value, str) and value:
                    graph.personal[value] = (f"{type.value} {row.source_id}->{row.node.id}", name)
