# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""Authentication, region scoping, masking of personal data and introspection."""

from __future__ import annotations

import pytest

from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.api.conftest import Api, ApiFactory
from tests.contract.small_graph import COMM_A1, DISTRICT, STREET_A, STREET_B

ME = "{ me { role regionId } }"


async def test_missing_or_unknown_key_is_a_clear_401(api: Api) -> None:
    api.counter.calls.clear()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic k-admin"}):
        response = await api.post(ME, role=None, headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["error"]["code"] == "UNAUTHENTICATED" and "API key" in body["error"]["message"]
        assert response.headers["www-authenticate"] == "Bearer"
    assert api.counter.calls == []


async def test_each_key_has_its_role_and_scope(api: Api) -> None:
    assert (await api.gql(ME, role="analyst"))["me"] == {"role": "analyst", "regionId": None}
    assert (await api.gql(ME, role="street"))["me"] == {"role": "viewer", "regionId": STREET_A}


async def test_region_scoped_key_sees_only_its_subtree(api: Api) -> None:
    data = await api.gql("{ organisations(first: 100) { totalCount nodes { id } } }", role="street")
    assert {n["id"] for n in data["organisations"]["nodes"]} == {"ORG-STA", "ORG-A1", "ORG-A2", "ORG-TAX", "ORG-ENT"}
    data = await api.gql("{ regions { nodes { id } } }", role="street")
    assert {n["id"] for n in data["regions"]["nodes"]} == {STREET_A, COMM_A1, "650106001002"}
    # a wider filter narrows to the scope; a region outside it is refused
    data = await api.gql('{ regions(where: {regionId: "%s"}) { totalCount } }' % DISTRICT, role="street")
    assert data["regions"]["totalCount"] == 3
    error = await api.error('{ regions(where: {regionId: "%s"}) { totalCount } }' % STREET_B, role="street")
    assert error["extensions"]["code"] == "FORBIDDEN"
    data = await api.gql("{ listItems { totalCount } agreements { totalCount } }", role="street")
    assert data["listItems"]["totalCount"] == 3  # ITEM-J1 is published by the hospital in street B
    for field in ('node(id: "ORG-B1") { id }', 'pairedUnits(organisationId: "ORG-B1") { agreements { id } }',
                  'regionStats(regionId: "%s") { total }' % DISTRICT, 'neighbourhood(id: "ORG-HOSP") { truncated }',
                  'path(from: "ORG-A1", to: "ORG-HOSP") { truncated }'):
        error = await api.error("{ %s }" % field, role="street")
        assert error["extensions"]["code"] == "NOT_FOUND", field


async def test_scope_applies_to_nested_fields_and_search(api: Api) -> None:
    data = await api.gql('{ node(id: "ORG-A1") { ... on Organisation { agreements { agreement { id '
                         'parties { unit { ... on Organisation { id } ... on Enterprise { id } } } } } } } }',
                         role="street")
    parties = {p["unit"]["id"] for a in data["node"]["agreements"] for p in a["agreement"]["parties"]}
    assert "ORG-HOSP" not in parties and "ORG-TAX" in parties
    data = await api.gql('{ search(text: "社区", first: 10) { id } }', role="street")
    ids = {n["id"] for n in data["search"]}
    assert "ORG-B1" not in ids and "650106002001" not in ids and "ORG-A1" in ids
    data = await api.gql('{ pairedUnits(organisationId: "ORG-A1") { unit { ... on Organisation { id } } } }',
                         role="street")
    assert len(data["pairedUnits"]) == 2


@pytest.mark.parametrize("role", ["viewer", "analyst", "importer"])
async def test_personal_data_is_masked_for_all_but_admin(api: Api, role: str) -> None:
    q = '{ node(id: "M-1") { ... on Member { name phone idNumber address } } }'
    assert (await api.gql(q, role="admin"))["node"]["name"] == "张伟"
    masked = (await api.gql(q, role=role))["node"]
    assert masked["name"] == "张*" and masked["phone"] == "138****1234"
    data = await api.gql('{ node(id: "ORG-TAX") { ... on Organisation { members { name phone } } } }', role=role)
    assert data["node"]["members"] == [{"name": "张*", "phone": "138****1234"}]
    sub = await api.gql('{ neighbourhood(id: "ORG-TAX", depth: 1) { nodes { id name } } }', role=role)
    assert {"id": "M-1", "name": "张*"} in sub["neighbourhood"]["nodes"]


async def test_wish_recipients_only_for_admin(store: GraphStore, api: Api) -> None:
    await store.upsert_nodes(Label.WISH, [{"id": "W-1", "title": "轮椅一台", "status": "PUBLISHED",
                                           "recipient": "王芳", "recipientPhone": "13900001111"}])
    await store.upsert_relationships(RelType.IN, Label.WISH, Label.REGION, [RelRow("W-1", COMM_A1)])
    q = '{ node(id: "W-1") { ... on Wish { title recipient recipientPhone recipientAddress region { id } } } }'
    for role in ("viewer", "analyst", "importer"):
        wish = (await api.gql(q, role=role))["node"]
        assert wish["recipient"] is None and wish["recipientPhone"] is None and wish["region"] == {"id": COMM_A1}
    assert (await api.gql(q, role="admin"))["node"]["recipient"] == "王芳"


INTROSPECTION = """query IntrospectionQuery { __schema { queryType { name } mutationType { name }
  types { ...FullType } directives { name locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description
  fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } isDeprecated }
  inputFields { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name } } } } } }"""


@pytest.mark.parametrize("role", ["viewer", "analyst", "importer", "admin"])
async def test_standard_introspection_for_authorised_roles(api: Api, role: str) -> None:
    data = await api.gql(INTROSPECTION, role=role)
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Organisation", "ListItem", "Wish", "ServiceCentre", "Node"} <= names
    assert (await api.post(INTROSPECTION, role=None)).status_code == 401


@pytest.mark.parametrize("environment", ["development", "production"])
async def test_graphiql_is_the_service_own_page_in_every_environment(
    store: GraphStore, make_api: ApiFactory, environment: str
) -> None:
    api = await make_api(environment=environment)
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="graphiql"' in page.text
    assert "unpkg" not in page.text and "jsdelivr" not in page.text and "/web/assets/graphiql-" in page.text
    # the page executes nothing: a GET with a query is refused (POST only), with or without a key
    refused = await api.client.get("/graphql", params={"query": "{ __typename }"})
    assert refused.status_code in (401, 405) and "data" not in refused.json()
