"""Upserts: idempotent, merging, atomic per batch, refusing what the model does not allow."""

from __future__ import annotations

import pytest

from service.errors import Conflict, NotFound, UnknownLabel, ValidationFailed
from service.graph.neo4j.statements import statement
from service.graph.port import GraphStore
from service.graph.types import RelRow, UpsertResult
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.whole_graph import edge_list


async def test_upsert_nodes_is_idempotent_and_counts(store: GraphStore) -> None:
    rows = [{"id": f"ORG-{i}", "name": f"单位{i}", "kind": "AGENCY"} for i in range(5)]
    assert await store.upsert_nodes(Label.ORGANISATION, rows) == UpsertResult(created=5)
    assert await store.upsert_nodes(Label.ORGANISATION, rows) == UpsertResult(unchanged=5)
    rows[0] = {**rows[0], "name": "单位零"}
    assert await store.upsert_nodes(Label.ORGANISATION, rows) == UpsertResult(updated=1, unchanged=4)
    node = await store.get_node("ORG-0")
    assert node is not None and node.label is Label.ORGANISATION and node.props["name"] == "单位零"


async def test_upsert_merges_properties_and_none_removes(store: GraphStore) -> None:
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "O", "name": "甲", "kind": "AGENCY", "level": "BRANCH"}])
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "O", "name": "乙", "level": None}])
    node = await store.get_node("O")
    assert node is not None
    assert node.props == {"id": "O", "name": "乙", "kind": "AGENCY"}


async def test_duplicate_ids_in_one_batch_merge(store: GraphStore) -> None:
    rows = [{"id": "650106", "name": "甲"}, {"id": "650106", "level": "DISTRICT"}]
    result = await store.upsert_nodes(Label.REGION, rows)
    assert result == UpsertResult(created=1)
    node = await store.get_node("650106")
    assert node is not None and node.props == {"id": "650106", "name": "甲", "level": "DISTRICT"}


async def test_id_used_by_another_label_is_refused_and_nothing_written(store: GraphStore) -> None:
    await store.upsert_nodes(Label.REGION, [{"id": "X1", "name": "区"}])
    with pytest.raises(Conflict, match="'X1' is a Region"):
        await store.upsert_nodes(Label.ORGANISATION, [{"id": "OK-1", "name": "好"}, {"id": "X1", "name": "坏"}])
    assert await store.get_node("OK-1") is None
    assert (await store.get_node("X1")).label is Label.REGION  # type: ignore[union-attr]


async def test_dangling_relationship_is_refused_and_nothing_written(store: GraphStore) -> None:
    await store.upsert_nodes(Label.REGION, [{"id": "R1"}, {"id": "R2"}])
    with pytest.raises(NotFound, match="no Region 'R9'"):
        await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                         [RelRow("R2", "R1"), RelRow("R9", "R1")])
    _, edges = await edge_list(store)
    assert edges == []


async def test_relationship_end_with_wrong_label_is_dangling(store: GraphStore) -> None:
    await store.upsert_nodes(Label.REGION, [{"id": "R1"}])
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "O1"}])
    with pytest.raises(NotFound, match="no Organisation 'R1'"):
        await store.upsert_relationships(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION, [RelRow("R1", "O1")])


async def test_relationship_upsert_is_idempotent_and_merges(store: GraphStore) -> None:
    await small_graph.build(store)
    rows = [RelRow("ORG-A1", "AGR-1", {"role": "甲方", "signatory": "王书记"})]
    assert await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT, rows) == \
        UpsertResult(unchanged=1)
    rows = [RelRow("ORG-A1", "AGR-1", {"signatory": "赵书记"})]
    assert await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT, rows) == \
        UpsertResult(updated=1)
    related = await store.related(["ORG-A1"], RelType.PARTY_TO, outgoing=True)
    agr1 = next(r for r in related if r.node.id == "AGR-1")
    assert agr1.props == {"role": "甲方", "signatory": "赵书记"}


@pytest.mark.parametrize("label", ["Person", "Region) DETACH DELETE (n", "entity", "Entity"])
async def test_labels_outside_the_model_are_refused(store: GraphStore, label: str) -> None:
    with pytest.raises(UnknownLabel, match="not a label of the model"):
        await store.upsert_nodes(label, [{"id": "x"}])  # type: ignore[arg-type]


async def test_relationship_types_and_triples_outside_the_model_are_refused(store: GraphStore) -> None:
    with pytest.raises(UnknownLabel, match="not a relationship type"):
        await store.upsert_relationships("KNOWS", Label.MEMBER, Label.MEMBER, [])  # type: ignore[arg-type]
    with pytest.raises(UnknownLabel, match=r"\(Organisation\)-\[:PART_OF\]->\(Region\) is not in the model"):
        await store.upsert_relationships(RelType.PART_OF, Label.ORGANISATION, Label.REGION, [])
    with pytest.raises(UnknownLabel):
        await store.related(["x"], "DELETE", outgoing=True)  # type: ignore[arg-type]


def test_statement_placeholders_take_only_model_identifiers() -> None:
    with pytest.raises(UnknownLabel):
        statement("upsert_nodes", label="Region) DETACH DELETE (n")  # type: ignore[arg-type]
    assert "CREATE (n:Region:Entity)" in statement("upsert_nodes", label=Label.REGION)


async def test_claimed_relationships_cannot_bypass_the_claim_check(store: GraphStore) -> None:
    with pytest.raises(ValidationFailed, match="claim_item"):
        await store.upsert_relationships(RelType.CLAIMED, Label.ORGANISATION, Label.LIST_ITEM, [])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": ""}, "id '' must be a non-empty string"),
        ({"id": " A"}, "without surrounding spaces"),
        ({"id": 7}, "id 7 must be"),
        ({"id": "A", "nested": {"x": 1}}, "property 'nested' has a dict value"),
        ({"id": "A", "claimed": 3}, "'claimed' is kept by the store"),
        ({"id": "A", "withdrawn": "2024-01-01"}, "'withdrawn' is kept by the store"),
        ({"id": "A", "quantity": float("nan")}, "not a finite number"),
    ],
)
async def test_bad_rows_are_refused_with_the_value_named(store: GraphStore, row: dict, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason):
        await store.upsert_nodes(Label.LIST_ITEM, [row])


async def test_malformed_credit_code_is_refused(store: GraphStore) -> None:
    with pytest.raises(ValidationFailed, match=r"91650100MA77XXXX0A.*check character should be 'T'"):
        await store.upsert_nodes(Label.ENTERPRISE, [{"id": "91650100MA77XXXX0A", "name": "某公司"}])
    assert await store.get_node("91650100MA77XXXX0A") is None
