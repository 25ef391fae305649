"""Every label of the registry asked the same of both stores: a node placed along its label's
region path is in that region's scope and no other, found by search exactly when the label is
searchable, counted in the region's statistics, and its personal properties masked through the
API. The graph is built from the registry alone, so a new label is covered without a new test."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.graph.port import GraphStore
from service.graph.types import ItemQuery, Query, RelRow
from service.model import Label, RelType
from service.registry import WITHDRAWN_PROPS, PropType, label_spec, rel_spec, searchable_labels
from service.settings import Settings
from tests import region_paths

DISTRICT, SIDE_A, SIDE_B = "R-D", "R-A", "R-B"
WORDS = {SIDE_A: "红柳", SIDE_B: "胡杨"}  # distinct CJK bigrams per side


def _value(label: Label, name: str, kind: PropType, side: str, n: int) -> Any:
    if kind is PropType.STRING:
        return f"{WORDS[side]}{label.value}{name}{n}"
    return {PropType.INT: 3, PropType.FLOAT: 2.5, PropType.BOOL: True, PropType.DATE: "2024-05-01",
            PropType.STRINGS: ["场地"]}[kind]


def _props(label: Label, node_id: str, side: str, n: int) -> dict[str, Any]:
    props: dict[str, Any] = {"id": node_id}
    for p in label_spec(label).props:
        # kept: the store writes it (claimed, remaining); withdrawn: the node would leave every listing
        if p.name != "id" and not p.kept and p not in WITHDRAWN_PROPS:
            props[p.name] = p.values(next(iter(p.values))).value if p.values else _value(label, p.name, p.kind, side, n)
    return props


async def _place(store: GraphStore, label: Label, side: str) -> str:
    """A node of `label` whose region path ends at region `side`, with the nodes along the path."""
    [(_, node_id), *_] = await region_paths.place(store, label, side, _props)
    return node_id


async def _regions(store: GraphStore) -> None:
    await store.upsert_nodes(Label.REGION, [
        {"id": DISTRICT, "name": "测试区", "level": "DISTRICT"},
        {"id": SIDE_A, "name": "东街道", "level": "STREET"},
        {"id": SIDE_B, "name": "西街道", "level": "STREET"},
    ])
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                     [RelRow(SIDE_A, DISTRICT), RelRow(SIDE_B, DISTRICT)])


# the labels in a region (an Import or an ApiKey is in none: tests/loaders/test_history.py,
# tests/api/test_stored_keys.py)
@pytest.mark.parametrize("label", [lab for lab in Label if label_spec(lab).region_path is not None], ids=str)
async def test_every_label_is_scoped_searched_and_counted_by_its_registry_entry(
    store: GraphStore, label: Label
) -> None:
    await _regions(store)
    a, b = await _place(store, label, SIDE_A), await _place(store, label, SIDE_B)
    for side, mine, other in ((SIDE_A, a, b), (SIDE_B, b, a)):
        page = await store.list_nodes(Query(label, region_id=side, first=100))
        ids = {n.id for n in page.items}
        assert mine in ids and other not in ids, (label, side, ids)
    whole = {n.id for n in (await store.list_nodes(Query(label, region_id=DISTRICT, first=100))).items}
    assert {a, b} <= whole

    hits = {n.id for n in await store.search(WORDS[SIDE_A], 20, labels=[label])}
    if label in searchable_labels():
        assert a in hits and b not in hits, (label, hits)
        scoped = {n.id for n in await store.search(WORDS[SIDE_A], 20, labels=[label], region_id=SIDE_B)}
        assert a not in scoped
    else:
        assert hits == set(), f"{label} is not searchable but search found {hits}"

    counts = [c for c in await store.region_stats(SIDE_A) if c.label is label]
    assert sum(c.count for c in counts) >= 1, label
    keys = label_spec(label).stats_keys
    if keys:
        node = await store.get_node(a)
        assert node is not None
        assert any(c.kind == node.props[keys[0]] for c in counts), (label, counts)


@pytest.mark.parametrize("label", [lab for lab in Label if label_spec(lab).region_path], ids=str)
async def test_a_node_reaching_two_regions_of_a_subtree_is_counted_once(store: GraphStore, label: Label) -> None:
    """The path's last node (a unit, an alliance) also linked to the other street: the district's counts and
    listings hold every node of the path once (Neo4j's census collects the distinct nodes of each hop it may
    repeat; a region listing makes them distinct after the last such hop, and its total is the page's)."""
    await _regions(store)
    chain = await region_paths.place(store, label, SIDE_A, _props)
    steps = label_spec(label).region_path
    assert steps
    last_label, last_id = chain[-1]
    if steps[-1].outgoing:
        await store.upsert_relationships(steps[-1].type, last_label, Label.REGION, [RelRow(last_id, SIDE_B)])
    else:
        await store.upsert_relationships(steps[-1].type, Label.REGION, last_label, [RelRow(SIDE_B, last_id)])
    counted: dict[Label, int] = {}
    for c in await store.region_stats(DISTRICT):
        counted[c.label] = counted.get(c.label, 0) + c.count
    expected = {Label.REGION: 3}
    for lab, _ in chain:
        expected[lab] = expected.get(lab, 0) + 1
    assert counted == expected, (label, chain)
    for lab, node_id in chain:
        listed = await store.list_nodes(Query(lab, region_id=DISTRICT, first=100))
        assert [n.id for n in listed.items] == [node_id] and listed.total == 1, (label, lab, listed)
        if lab is Label.LIST_ITEM:
            items = await store.list_items(ItemQuery(region_id=DISTRICT, first=100))
            assert [i.node.id for i in items.items] == [node_id] and items.total == 1, (label, items)


# labels in a region (an agreement version's signatories: Agreement.history, tests/api/test_corrections.py)
@pytest.mark.parametrize("label", [lab for lab in Label if label_spec(lab).personal and label_spec(lab).region_path
                                   is not None], ids=str)
async def test_every_personal_property_is_masked_for_every_role_but_admin(
    store: GraphStore, label: Label
) -> None:
    await _regions(store)
    node_id = await _place(store, label, SIDE_A)
    node = await store.get_node(node_id)
    assert node is not None
    spec = label_spec(label)
    fields = " ".join(spec.personal)
    query = '{ node(id: "%s") { ... on %s { %s } } }' % (node_id, spec.graphql, fields)  # noqa: UP031
    keys = "k-admin:admin,k-viewer:viewer,k-analyst:analyst,k-importer:importer"
    app = create_app(Settings(api_keys=SecretStr(keys), environment="test"), store=store)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for role in ("admin", "viewer", "analyst", "importer"):
            body = (await client.post("/graphql", json={"query": query},
                                      headers={"Authorization": f"Bearer k-{role}"})).json()
            assert "errors" not in body, body
            shown = body["data"]["node"]
            for name in spec.personal:
                if role == "admin":
                    assert shown[name] == node.props[name], (label, name)
                else:
                    assert shown[name] != node.props[name], (label, name, role, shown[name])


async def _served(app: Any, query: str, role: str) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body = (await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer k-{role}"})
                ).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.mark.parametrize("type", [t for t in RelType if rel_spec(t).personal], ids=str)
async def test_every_personal_relationship_property_is_masked_for_every_role_but_admin(
    store: GraphStore, type: RelType
) -> None:
    """A relationship's personal properties (a signatory, a matter's responsible person) reach the
    caller through the graph views; they are masked like a member's name."""
    await _regions(store)
    start_label, end_label = sorted(rel_spec(type).ends)[0]
    start, end = await _place(store, start_label, SIDE_A), await _place(store, end_label, SIDE_A)
    props = {name: f"{WORDS[SIDE_A]}先生" for name in rel_spec(type).personal}
    await store.upsert_relationships(type, start_label, end_label, [RelRow(start, end, props)])
    query = '{ neighbourhood(id: "%s", depth: 1) { edges { type start end properties } } }' % start  # noqa: UP031
    keys = "k-admin:admin,k-viewer:viewer,k-analyst:analyst,k-importer:importer"
    app = create_app(Settings(api_keys=SecretStr(keys), environment="test"), store=store)
    async with app.router.lifespan_context(app):
        for role in ("admin", "viewer", "analyst", "importer"):
            edges = (await _served(app, query, role))["neighbourhood"]["edges"]
            [edge] = [e for e in edges if e["type"] == type.value and e["start"] == start and e["end"] == end]
            for name, value in props.items():
                assert (edge["properties"][name] == value) == (role == "admin"), (type, name, role, edge)
