# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""Mutations for importers: agreements, claims and upserts; refused for readers."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.contract.small_graph import COMM_A2, ENTERPRISE, STREET_A

SIGN = """mutation($input: SignAgreementInput!) { signAgreement(input: $input) {
  created agreement { id title kind status signedOn parties { role signatory unit { ... on Organisation { id }
  ... on Enterprise { id } } } items { id } } } }"""


def _agreement(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "AGR-NEW", "title": "青山社区与天山物业共建协议", "kind": "CO_BUILDING", "signedOn": "2024-05-01",
        "validFrom": "2024-05-01", "validTo": "2027-04-30",
        "parties": [{"unitId": "ORG-A2", "role": "甲方", "signatory": "赵书记"},
                    {"unitId": ENTERPRISE, "role": "乙方", "signatory": "钱经理"}],
        "itemIds": ["ITEM-P2"],
    }
    base.update(overrides)
    return base


async def test_sign_agreement_is_idempotent_and_pairs_units(api: Api) -> None:
    data = (await api.gql(SIGN, {"input": _agreement()}, role="importer"))["signAgreement"]
    assert data["created"] is True
    agreement = data["agreement"]
    assert agreement["status"] == "ACTIVE" and agreement["items"] == [{"id": "ITEM-P2"}]
    # signatories are people's names: masked for the importer, as for every role but admin
    assert {(p["unit"]["id"], p["role"], p["signatory"]) for p in agreement["parties"]} == {
        ("ORG-A2", "甲方", "赵**"), (ENTERPRISE, "乙方", "钱**")}
    shown = await api.gql('{ node(id: "AGR-NEW") { ... on Agreement { parties { signatory } } } }')
    assert sorted(p["signatory"] for p in shown["node"]["parties"]) == ["赵书记", "钱经理"]
    again = (await api.gql(SIGN, {"input": _agreement()}, role="importer"))["signAgreement"]
    assert again["created"] is False and len(again["agreement"]["parties"]) == 2
    paired = await api.gql('{ pairedUnits(organisationId: "%s") { unit { ... on Enterprise { id } } '
                           'agreements { id } } }' % COMM_A2)
    assert paired["pairedUnits"] == [{"unit": {"id": ENTERPRISE}, "agreements": [{"id": "AGR-NEW"}]}]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"parties": [{"unitId": "ORG-A2"}]}, "VALIDATION"),
    ({"parties": [{"unitId": "ORG-A2"}, {"unitId": "ORG-NOPE"}]}, "NOT_FOUND"),
    ({"itemIds": ["ITEM-NOPE"]}, "NOT_FOUND"),
    ({"signedOn": "May 2024"}, "VALIDATION"),
    ({"validTo": "2020-01-01"}, "VALIDATION"),
    ({"kind": "FRIENDSHIP"}, "VALIDATION"),
])
async def test_sign_agreement_refusals(api: Api, overrides: dict[str, object], code: str) -> None:
    error = await api.error(SIGN, {"input": _agreement(**overrides)}, role="importer")
    assert error["extensions"]["code"] == code, error


CLAIM = """mutation($item: ID!, $q: Float!, $id: ID) { claimItem(itemId: $item, claimantId: "ORG-A1", quantity: $q,
  claimId: $id, on: "2024-06-01") { id itemId claimantId quantity status remaining created item { remaining } } }"""


async def test_claim_release_and_already_claimed(api: Api) -> None:
    claim = (await api.gql(CLAIM, {"item": "ITEM-P1", "q": 30, "id": "C-1"}, role="importer"))["claimItem"]
    assert claim == {"id": "C-1", "itemId": "ITEM-P1", "claimantId": "ORG-A1", "quantity": 30.0, "status": "ACTIVE",
                     "remaining": 10.0, "created": True, "item": {"remaining": 10.0}}
    repeat = (await api.gql(CLAIM, {"item": "ITEM-P1", "q": 30, "id": "C-1"}, role="importer"))["claimItem"]
    assert repeat["created"] is False and repeat["remaining"] == 10.0
    error = await api.error(CLAIM, {"item": "ITEM-P1", "q": 11, "id": "C-2"}, role="importer")
    assert error["extensions"]["code"] == "ALREADY_CLAIMED" and "already claimed" in error["message"]
    released = (await api.gql('mutation { releaseClaim(claimId: "C-1") { status remaining } }',
                              role="importer"))["releaseClaim"]
    assert released == {"status": "RELEASED", "remaining": 40.0}
    error = await api.error(CLAIM, {"item": "ITEM-NOPE", "q": 1, "id": "C-3"}, role="importer")
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await api.error(CLAIM, {"item": "ITEM-P1", "q": -1, "id": "C-4"}, role="importer")
    assert error["extensions"]["code"] == "VALIDATION"
    error = await api.error('mutation { releaseClaim(claimId: "C-NOPE") { status } }', role="importer")
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_upserts_of_units_and_members(api: Api) -> None:
    orgs = """mutation { upsertOrganisations(rows: [
      {id: "ORG-NEW", name: "新单位党支部", kind: NON_PUBLIC, level: BRANCH, regionId: "%s", parentId: "ORG-STA"}
    ]) { created updated unchanged } }""" % STREET_A
    assert (await api.gql(orgs, role="importer"))["upsertOrganisations"]["created"] == 1
    node = await api.gql('{ node(id: "ORG-NEW") { ... on Organisation { region { id } parent { id } } } }')
    assert node["node"] == {"region": {"id": STREET_A}, "parent": {"id": "ORG-STA"}}
    assert (await api.gql(orgs, role="importer"))["upsertOrganisations"]["created"] == 0
    ent = 'mutation { upsertEnterprises(rows: [{id: "%s", name: "X", ownership: PRIVATE}]) { created updated } }'
    assert (await api.gql(ent % ENTERPRISE, role="admin"))["upsertEnterprises"]["created"] == 0
    error = await api.error(ent % "91650100MA77XXXX0X", role="admin")
    assert error["extensions"]["code"] == "VALIDATION" and "credit code" in error["message"]
    members = """mutation { upsertMembers(rows: [{id: "M-9", name: "王小明", phone: "13600001234",
      organisationId: "ORG-NEW", joinedOn: "2020-07-01", inService: true}]) { created } }"""
    assert (await api.gql(members, role="importer"))["upsertMembers"]["created"] == 1
    data = await api.gql('{ node(id: "ORG-NEW") { ... on Organisation { members { name phone } } } }', role="analyst")
    assert data["node"]["members"] == [{"name": "王**", "phone": "136****1234"}]
    error = await api.error('mutation { upsertMembers(rows: [{id: "M-8", name: "李", organisationId: "ORG-NOPE"}]) '
                            '{ created } }', role="importer")
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("role", ["viewer", "analyst"])
async def test_readers_cannot_write(api: Api, role: str) -> None:
    for mutation in ('claimItem(itemId: "ITEM-P1", claimantId: "ORG-A1") { id }',
                     'releaseClaim(claimId: "C-1") { id }',
                     'upsertOrganisations(rows: [{id: "O", name: "O", kind: AGENCY, level: BRANCH}]) { created }'):
        error = await api.error("mutation { %s }" % mutation, role=role)
        assert error["extensions"]["code"] == "FORBIDDEN" and "importer" in error["message"]
    error = await api.error(SIGN, {"input": _agreement()}, role=role)
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_region_scoped_importer_writes_only_inside(api: Api) -> None:
    error = await api.error(CLAIM.replace('"ORG-A1"', '"ORG-HOSP"'), {"item": "ITEM-P1", "q": 1, "id": "C-9"},
                            role="street_importer")
    assert error["extensions"]["code"] == "FORBIDDEN"
    ok = await api.gql(CLAIM, {"item": "ITEM-P1", "q": 1, "id": "C-9"}, role="street_importer")
    assert ok["claimItem"]["created"]
    error = await api.error('mutation { releaseClaim(claimId: "C-9") { id } }', role="street_importer")
    assert error["extensions"]["code"] == "VALIDATION"
    done = await api.gql('mutation { releaseClaim(claimId: "C-9", itemId: "ITEM-P1") { status } }',
                         role="street_importer")
    assert done["releaseClaim"]["status"] == "RELEASED"


async def test_api_upserts_replace_single_valued_links_as_a_load_does(api: Api) -> None:
    """upsertOrganisations with a new parentId and upsertMembers with a new organisationId move the
    node (UNDER and BELONGS_TO are single-valued in the registry): before, both links stayed."""
    orgs = 'mutation($rows: [OrganisationInput!]!) { upsertOrganisations(rows: $rows) { created updated } }'
    row = {"id": "ORG-NEW", "name": "新建党支部", "kind": "NON_PUBLIC", "level": "BRANCH"}
    await api.gql(orgs, {"rows": [{**row, "parentId": "ORG-A1"}]}, role="importer")
    await api.gql(orgs, {"rows": [{**row, "parentId": "ORG-B1"}]}, role="importer")
    org = await api.gql('{ node(id: "ORG-NEW") { ... on Organisation { parent { id } } } }')
    assert org["node"]["parent"] == {"id": "ORG-B1"}
    children = await api.gql('{ a: node(id: "ORG-A1") { ... on Organisation { children { id } } } }')
    assert "ORG-NEW" not in [c["id"] for c in children["a"]["children"]]

    members = 'mutation($rows: [MemberInput!]!) { upsertMembers(rows: $rows) { created updated } }'
    await api.gql(members, {"rows": [{"id": "M-NEW", "name": "王五", "organisationId": "ORG-A1"}]}, role="importer")
    await api.gql(members, {"rows": [{"id": "M-NEW", "name": "王五", "organisationId": "ORG-A2"}]}, role="importer")
    member = await api.gql('{ node(id: "M-NEW") { ... on Member { organisation { id } } } }')
    assert member["node"]["organisation"] == {"id": "ORG-A2"}
    units = await api.gql('{ a1: node(id: "ORG-A1") { ... on Organisation { members { id } } } }')
    assert "M-NEW" not in [m["id"] for m in units["a1"]["members"]]
