"""History and corrections through GraphQL, both stores: Agreement.history after a re-signing (newest first,
signatories masked but for admin, the operation and key id), withdraw (writers only, inside the key's region,
hidden from listings, totals and search but for admin, twice or unknown refused), mergeUnits (admin only, one
kind, a merged id answers MERGED naming the unit kept)."""

from __future__ import annotations

from service.auth import key_id
from service.graph.port import GraphStore
from service.model import RelType
from tests.api.conftest import API_KEYS, KEYS, Api, ApiFactory
from tests.contract import small_graph
from tests.contract.small_graph import ENTERPRISE, STREET_A

SIGN = """mutation($input: SignAgreementInput!) { signAgreement(input: $input) { created } }"""
HISTORY = """{ node(id: "AGR-1") { ... on Agreement { withdrawn { on } history { agreement operation keyId fields
  renewal changes { field before after } signatories { field before after } } } } }"""
WITHDRAW = """mutation($id: ID!, $reason: String!) { withdraw(id: $id, reason: $reason) {
  id label withdrawn { on reason by } } }"""
MERGE = """mutation($keep: ID!, $remove: ID!) { mergeUnits(keep: $keep, remove: $remove) {
  kept { ... on Organisation { id agreements { role agreement { id } } } } record { kept removed label moved } } }"""


def _renewal(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "AGR-1", "title": "红山社区与区税务局共建协议", "kind": "CO_BUILDING", "signedOn": "2026-03-05",
        "validFrom": "2021-03-05", "validTo": "2031-12-31",
        "parties": [{"unitId": "ORG-A1", "role": "甲方", "signatory": "王书记"},
                    {"unitId": "ORG-TAX", "role": "乙方", "signatory": "周局长"}],
    }
    return {**base, **overrides}


async def test_a_renewal_then_a_status_change_are_the_agreement_s_history_newest_first(api: Api) -> None:
    assert (await api.gql(SIGN, {"input": _renewal()}, role="importer"))["signAgreement"]["created"] is False
    await api.gql(SIGN, {"input": _renewal(status="TERMINATED")}, role="admin")
    history = (await api.gql(HISTORY, role="admin"))["node"]["history"]
    assert [(v["operation"], v["keyId"]) for v in history] == [
        ("signAgreement", key_id(KEYS["admin"])), ("signAgreement", key_id(KEYS["importer"]))]
    latest, renewal = history
    assert latest["changes"] == [{"field": "status", "before": "ACTIVE", "after": "TERMINATED"}]
    assert latest["renewal"] is False and renewal["renewal"] is True
    assert {c["field"]: (c["before"], c["after"]) for c in renewal["changes"]} == {
        "signedOn": ("2021-03-05", "2026-03-05"), "validTo": ("2026-12-31", "2031-12-31")}
    assert renewal["signatories"] == [{"field": "signatory:乙方", "before": "李局长", "after": "周局长"}]
    assert renewal["fields"] == ["signedOn", "validTo", "signatory"]
    masked = (await api.gql(HISTORY, role="viewer"))["node"]["history"][1]
    assert masked["signatories"] == [{"field": "signatory:乙方", "before": "李**", "after": "周**"}]


async def test_withdraw_hides_a_record_from_every_role_but_admin(api: Api) -> None:
    refused = await api.error(WITHDRAW, {"id": "ITEM-P1", "reason": "重复"}, role="viewer")
    assert refused["extensions"]["code"] == "FORBIDDEN"
    outside = await api.error(WITHDRAW, {"id": "ITEM-J1", "reason": "重复"}, role="street_importer")
    assert outside["extensions"]["code"] == "FORBIDDEN" and "outside" in outside["message"]
    done = (await api.gql(WITHDRAW, {"id": "ITEM-P1", "reason": "重复录入"}, role="importer"))["withdraw"]
    assert (done["id"], done["label"], done["withdrawn"]["reason"]) == ("ITEM-P1", "ListItem", "重复录入")
    assert done["withdrawn"]["by"] == key_id(KEYS["importer"])

    items = '{ listItems(where: {list: RESOURCE}) { totalCount nodes { id withdrawn { reason } } } }'
    totals = '{ listItemTotals(where: {list: RESOURCE}) { items } }'
    seen = (await api.gql(items, role="viewer"))["listItems"]
    assert [n["id"] for n in seen["nodes"]] == ["ITEM-P2"] and seen["totalCount"] == 1
    assert (await api.gql(totals, role="analyst"))["listItemTotals"]["items"] == 1
    admin = (await api.gql(items, role="admin"))["listItems"]
    assert {n["id"]: n["withdrawn"] for n in admin["nodes"]} == {"ITEM-P1": {"reason": "重复录入"}, "ITEM-P2": None}
    assert (await api.gql(totals, role="admin"))["listItemTotals"]["items"] == 2

    await api.gql(WITHDRAW, {"id": ENTERPRISE, "reason": "测试单位"}, role="admin")
    search = '{ search(text: "天山物业服务") { id } }'
    assert ENTERPRISE not in {n["id"] for n in (await api.gql(search, role="viewer"))["search"]}
    assert ENTERPRISE in {n["id"] for n in (await api.gql(search, role="admin"))["search"]}
    assert (await api.gql('{ enterprises { totalCount } }', role="viewer"))["enterprises"]["totalCount"] == 0

    twice = await api.error(WITHDRAW, {"id": "ITEM-P1", "reason": "again"}, role="importer")
    assert twice["extensions"]["code"] == "ALREADY_WITHDRAWN" and "重复录入" in twice["message"]
    unknown = await api.error(WITHDRAW, {"id": "ITEM-NOPE", "reason": "x"}, role="importer")
    assert unknown["extensions"]["code"] == "NOT_FOUND" and "ITEM-NOPE" in unknown["message"]
    blank = await api.error(WITHDRAW, {"id": "AGR-2", "reason": " "}, role="importer")
    assert blank["extensions"]["code"] == "VALIDATION"


async def test_merge_units_is_for_admins_and_a_merged_id_names_the_unit_kept(api: Api) -> None:
    variables = {"keep": "ORG-A1", "remove": "ORG-A2"}
    assert (await api.error(MERGE, variables, role="importer"))["extensions"]["code"] == "FORBIDDEN"
    for keep, remove in (("ORG-A1", "ORG-A1"), ("ORG-A1", ENTERPRISE), ("ORG-A1", "ORG-NOPE")):
        error = await api.error(MERGE, {"keep": keep, "remove": remove})
        assert error["extensions"]["code"] in {"VALIDATION", "NOT_FOUND"} and remove in error["message"]
    await api.gql(SIGN, {"input": _renewal(id="AGR-Q", parties=[
        {"unitId": "ORG-A2", "role": "甲方"}, {"unitId": "ORG-TAX", "role": "乙方"}])})
    merged = (await api.gql(MERGE, variables))["mergeUnits"]
    assert merged["record"] == {"kept": "ORG-A1", "removed": "ORG-A2", "label": "Organisation", "moved": 2}
    assert {"id": "AGR-Q"} in [a["agreement"] for a in merged["kept"]["agreements"]]
    gone = await api.error('{ node(id: "ORG-A2") { id } }', role="viewer")
    assert gone["extensions"]["code"] == "MERGED" and "'ORG-A1'" in gone["message"]
    again = await api.error(MERGE, variables)
    assert again["extensions"]["code"] == "NOT_FOUND"


async def test_a_region_admin_merges_only_units_inside_its_region(store: GraphStore, make_api: ApiFactory) -> None:
    await small_graph.build(store)
    api = await make_api(keys=f"{API_KEYS},k-street-admin:admin:{STREET_A}")
    street_admin = {"Authorization": "Bearer k-street-admin"}
    body = (await api.post(MERGE, {"keep": "ORG-A1", "remove": "ORG-B1"}, role=None, headers=street_admin)).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN" and "ORG-B1" in body["errors"][0]["message"]
    assert await store.get_node("ORG-B1") is not None  # nothing changed
    assert sorted(r.node.id for r in await store.related(["AGR-4"], RelType.PARTY_TO, False)) == ["ORG-B1", "ORG-HOSP"]
    done = (await api.post(MERGE, {"keep": "ORG-A1", "remove": "ORG-A2"}, role=None, headers=street_admin)).json()
    assert done["data"]["mergeUnits"]["record"]["removed"] == "ORG-A2"
