"""History and corrections on both stores: a changed agreement leaves a version (a renewal, a status, parties
replaced by a batch, a load or a merge), withdrawn records leave listings, totals, search and analytics unless
asked for, and mergeUnits moves a duplicate's relationships onto the unit kept in one transaction."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from loaders.engine import Options, load_file
from service.errors import AlreadyWithdrawn, NotFound, ValidationFailed
from service.graph import provenance
from service.graph.port import GraphStore
from service.graph.types import Condition, ItemQuery, Node, Op, Query, RelGroup, RelRow
from service.graph.versions import now
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, ENTERPRISE, STREET_A

AT = "2026-01-02T03:04:05.000006+00:00"


async def _versions(store: GraphStore, agreement: str) -> list[Node]:
    page = await store.list_nodes(Query(Label.AGREEMENT_VERSION, where=(Condition("agreement", Op.EQ, agreement),),
                                        order_by="at", descending=True, first=100))
    return page.items


def _changes(version: Node) -> dict[str, tuple[str | None, str | None]]:
    found = json.loads(version.props["changes"]) + json.loads(version.props.get("signatories") or "[]")
    return {c["field"]: (c["before"], c["after"]) for c in found}


async def test_a_renewal_and_a_replaced_party_leave_one_version_with_before_and_after(store: GraphStore) -> None:
    await small_graph.build(store)
    assert await _versions(store, "AGR-1") == []  # building it (the agreement, then its parties) is no change
    renewal = [(Label.AGREEMENT, [{"id": "AGR-1", "validTo": "2029-12-31", "signedOn": "2026-01-01"}])]
    parties = [RelGroup(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                        [RelRow("ORG-HOSP", "AGR-1", {"role": "乙方", "signatory": "孙院长"})])]
    with provenance.acting("signAgreement", "key-abc"):
        result = await store.upsert_batch(renewal, parties)
    assert result.removed == 1  # ORG-TAX was 乙方: the loader's "replaced"
    [version] = await _versions(store, "AGR-1")
    assert version.props["operation"] == "signAgreement" and version.props["keyId"] == "key-abc"
    assert _changes(version) == {
        "validTo": ("2026-12-31", "2029-12-31"), "signedOn": ("2021-03-05", "2026-01-01"),
        "parties": ("乙方: ORG-TAX; 甲方: ORG-A1", "乙方: ORG-HOSP; 甲方: ORG-A1"),
        "signatory:乙方": ("李局长", "孙院长"),
    }
    assert "李局长" not in version.props["changes"]  # signatories only in the personal property

    again = await store.upsert_batch(renewal, parties)  # the same again changes nothing: no version
    assert again.nodes[0].unchanged == 1 and len(await _versions(store, "AGR-1")) == 1

    await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-1", "status": "TERMINATED"}])  # outside a request
    newest, older = await _versions(store, "AGR-1")
    assert older.id == version.id and _changes(newest) == {"status": ("ACTIVE", "TERMINATED")}
    assert (newest.props["operation"], newest.props["keyId"]) == (provenance.CLI, provenance.CLI)


async def test_a_reload_that_changes_a_party_keeps_the_old_one_as_history(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    path = tmp_path / "协议.csv"
    header = "协议编号,协议名称,签订日期,甲方,乙方\n"
    path.write_text(header + "AGR-L,共建协议,2024-01-01,ORG-A1,ORG-TAX\n", encoding="utf-8")
    assert (await load_file(store, "agreements", path)).created == 1
    assert await _versions(store, "AGR-L") == []
    path.write_text(header + "AGR-L,共建协议,2024-01-01,ORG-A1,ORG-HOSP\n", encoding="utf-8")
    report = await load_file(store, "agreements", path, Options(key_id="key-imp"))
    assert report.replaced == 1
    [version] = await _versions(store, "AGR-L")
    assert _changes(version)["parties"] == ("乙方: ORG-TAX; 甲方: ORG-A1", "乙方: ORG-HOSP; 甲方: ORG-A1")
    assert (version.props["operation"], version.props["keyId"]) == ("load:agreements", "key-imp")


async def test_withdrawn_records_leave_listings_totals_search_and_analytics(store: GraphStore) -> None:
    await small_graph.build(store)
    item = await store.withdraw("ITEM-P1", " 重复录入 ", AT)
    assert (item.props["withdrawn"], item.props["withdrawnReason"]) == (AT, "重复录入")
    assert item.props["withdrawnBy"] == provenance.CLI
    listed = {i.node.id for i in (await store.list_items(ItemQuery(first=100))).items}
    assert "ITEM-P1" not in listed and "ITEM-P2" in listed
    everything = await store.list_items(ItemQuery(first=100, include_withdrawn=True))
    assert "ITEM-P1" in {i.node.id for i in everything.items} and everything.total == len(listed) + 1
    assert (await store.item_totals(ItemQuery(list="RESOURCE"))).items == 1
    assert (await store.item_totals(ItemQuery(list="RESOURCE", include_withdrawn=True))).items == 2

    by_name = Query(Label.ORGANISATION, order_by="name", first=1)  # the total from the label's count
    every = (await store.list_nodes(by_name)).total
    await store.withdraw("ORG-TAX", "测试单位", AT)
    assert (await store.list_nodes(by_name)).total == every - 1
    assert (await store.list_nodes(replace(by_name, include_withdrawn=True))).total == every
    orgs = await store.list_nodes(Query(Label.ORGANISATION, region_id=STREET_A, first=100))
    assert "ORG-TAX" not in {n.id for n in orgs.items}
    assert "ORG-TAX" in {n.id for n in (await store.list_nodes(
        Query(Label.ORGANISATION, region_id=STREET_A, first=100, include_withdrawn=True))).items}
    orgs_only = [Label.ORGANISATION]
    assert [n.id for n in await store.search("税务局", 10, orgs_only)] == []
    assert [n.id for n in await store.search("税务局", 10, orgs_only, include_withdrawn=True)] == ["ORG-TAX"]
    assert "ORG-TAX" not in {u.node.id for u in await store.analytics_network()}
    assert (await store.get_node("ORG-TAX")) is not None  # kept

    with pytest.raises(AlreadyWithdrawn, match="already withdrawn"):
        await store.withdraw("ORG-TAX", "again", AT)
    with pytest.raises(NotFound, match="NOPE"):
        await store.withdraw("NOPE", "x", AT)
    with pytest.raises(ValidationFailed, match="Region"):
        await store.withdraw(COMM_A1, "x", AT)
    with pytest.raises(ValidationFailed, match="reason"):
        await store.withdraw("AGR-2", "  ", AT)
    assert (await store.get_node("AGR-2")).props.get("withdrawn") is None  # type: ignore[union-attr]


async def test_merge_units_moves_every_relationship_and_leaves_a_record(store: GraphStore) -> None:
    await small_graph.build(store)
    dup = "ORG-A1-DUP"
    await store.upsert_nodes(Label.ORGANISATION, [{"id": dup, "name": "红山社区党委（重复）", "kind": "COMMUNITY",
                                                   "secretary": "王书记"}])
    await store.upsert_batch([], [
        RelGroup(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, [RelRow(dup, COMM_A1)]),  # both have it
        RelGroup(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION, [RelRow(dup, "ORG-STA")]),  # both have it
        RelGroup(RelType.MEMBER_OF, Label.ORGANISATION, Label.ALLIANCE,
                 [RelRow(dup, "ALL-STA", {"role": "CORE", "since": "2020-01-01"})]),  # merged: keep's role wins
        RelGroup(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT, [RelRow(dup, "AGR-4", {"role": "丙方"})]),
        RelGroup(RelType.PUBLISHED, Label.ORGANISATION, Label.LIST_ITEM, [RelRow(dup, "ITEM-J1")]),
        RelGroup(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION, [RelRow("M-2", dup)]),
        RelGroup(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION, [RelRow("ORG-A2", dup)]),
    ])
    await store.claim_item("ITEM-P2", dup, 1, "2024-01-01", "CLAIM-DUP")
    before_versions = len(await _versions(store, "AGR-4"))

    for keep, remove, error, match in (("ORG-A1", "ORG-A1", ValidationFailed, "two different"),
                                       ("ORG-A1", ENTERPRISE, ValidationFailed, "one kind"),
                                       ("ORG-A1", "NOPE", NotFound, "NOPE"),
                                       ("ORG-A1", COMM_A1, ValidationFailed, "not an organisation")):
        with pytest.raises(error, match=match):
            await store.merge_units(keep, remove, AT)
    assert await store.get_node(dup) is not None  # nothing changed

    by_name = Query(Label.ORGANISATION, order_by="name", first=100)  # its order kept before the merge
    assert dup in {n.id for n in (await store.list_nodes(by_name)).items}
    with provenance.acting("mergeUnits", "key-adm"):
        record = await store.merge_units("ORG-A1", dup, now())
    assert await store.get_node(dup) is None
    listed = await store.list_nodes(by_name)
    assert dup not in {n.id for n in listed.items} and listed.total == len(listed.items)
    assert record.label is Label.UNIT_MERGE
    assert {k: record.props[k] for k in ("kept", "removed", "label", "keyId", "operation")} == {
        "kept": "ORG-A1", "removed": dup, "label": "Organisation", "keyId": "key-adm", "operation": "mergeUnits"}
    # moved: PARTY_TO, PUBLISHED, BELONGS_TO (in), UNDER (in), CLAIMED; merged: LOCATED_IN, UNDER, MEMBER_OF
    assert (record.props["moved"], record.props["merged"], record.props["dropped"]) == (5, 3, 0)
    for type, outgoing, other in ((RelType.PARTY_TO, True, "AGR-4"), (RelType.PUBLISHED, True, "ITEM-J1"),
                                  (RelType.BELONGS_TO, False, "M-2"), (RelType.UNDER, False, "ORG-A2")):
        assert other in {r.node.id for r in await store.related(["ORG-A1"], type, outgoing)}, type
    assert [r.node.id for r in await store.related(["ORG-A1"], RelType.LOCATED_IN, True)] == [COMM_A1]  # one
    [membership] = await store.related(["ORG-A1"], RelType.MEMBER_OF, True)
    assert membership.props == {"role": "MEMBER_UNIT", "since": "2020-01-01"}  # keep's first, gaps filled
    [claim] = [r for r in await store.related(["ORG-A1"], RelType.CLAIMED, True)]
    assert claim.props["id"] == "CLAIM-DUP" and claim.props["quantity"] == 1
    [item] = (await store.list_items(ItemQuery(first=10, unclaimed=False))).items
    assert item.node.id == "ITEM-P2" and item.claimed == 1  # nothing double-counted
    released = await store.release_claim("CLAIM-DUP")  # the moved claim is still the claim
    assert released.claimant_id == "ORG-A1"

    versions = await _versions(store, "AGR-4")
    assert len(versions) == before_versions + 1
    assert _changes(versions[0])["parties"] == ("丙方: ORG-A1-DUP; 乙方: ORG-HOSP; 甲方: ORG-B1",
                                                "丙方: ORG-A1; 乙方: ORG-HOSP; 甲方: ORG-B1")
    found = await store.list_nodes(Query(Label.UNIT_MERGE, where=(Condition("removed", Op.EQ, dup),), first=5))
    assert [n.id for n in found.items] == [record.id]
