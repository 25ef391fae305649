"""A nested dashboard query costs the same number of store calls at page sizes 10 and 100; the
estimated cost of an operation (service/api/cost.py) is priced from page sizes and the registry's
fan-outs and checked against the role's budget before anything runs."""

from __future__ import annotations

from typing import Any

import graphql
import pytest
from graphql import GraphQLSchema, parse

from service.api import cost, shape
from service.api.schema import build_schema
from service.demo import Dataset, generate, load_dataset
from service.graph.port import GraphStore
from service.model import RelType
from tests.api.conftest import ApiFactory

DASHBOARD = """query($first: Int!) {
  listItems(first: $first, where: {list: RESOURCE}) { totalCount pageInfo { endCursor } nodes {
    id title remaining claimed
    publisher { ... on Organisation { name kind region { name parent { name } } memberships { role alliance { name } } }
                ... on Enterprise { name region { name } } }
    agreements { title status parties { role unit { ... on Organisation { name } ... on Enterprise { name } } } }
    claims { quantity status claimant { ... on Organisation { name } ... on Enterprise { name } } } } }
  organisations(first: $first) { totalCount nodes {
    name region { name } agreements { role agreement { title items { title } } } members { name phone } } }
}"""


@pytest.fixture(scope="module")
def urumqi() -> Dataset:
    return generate("urumqi-etdz", 1)


async def test_nested_dashboard_cost_is_independent_of_page_size(
    store: GraphStore, make_api: ApiFactory, urumqi: Dataset
) -> None:
    await load_dataset(store, urumqi)
    api = await make_api()
    costs = {}
    for first in (10, 100):
        api.counter.calls.clear()
        response = await api.post(DASHBOARD, {"first": first}, role="analyst")
        body = response.json()
        assert "errors" not in body, body
        assert len(body["data"]["listItems"]["nodes"]) == first
        assert len(body["data"]["organisations"]["nodes"]) == first
        costs[first] = list(api.counter.calls)
        assert int(response.headers["X-Store-Statements"]) == len(api.counter.calls)
    assert len(costs[10]) == len(costs[100]), costs
    assert sorted(costs[10]) == sorted(costs[100])
    assert len(costs[100]) <= 20


LISTED = """query($first: Int!) { listItems(first: $first) { nodes {
  id remaining claimed publisher { __typename ... on Organisation { id } ... on Enterprise { id } } } } }"""
BY_ID = """query($id: ID!) { node(id: $id) { ... on ListItem {
  id remaining claimed publisher { __typename ... on Organisation { id } ... on Enterprise { id } } } } }"""


@pytest.mark.parametrize("role", ["analyst", "street"])
async def test_list_items_answer_claim_state_and_publisher_from_the_listing(
    store: GraphStore, make_api: ApiFactory, urumqi: Dataset, role: str
) -> None:
    """listItems' items carry the listing's claimed, remaining and publisher: one statement for the
    page with its publishers (before: the page, then a walk from every item to its publisher); a
    region-scoped key loads the publishers by id and checks them against its region (one scope check
    per label of the publishers); and the values an item reached by id (its properties, its PUBLISHED
    relationship) answers."""
    await load_dataset(store, urumqi)
    api = await make_api()
    expected = ["list_items"] if role == "analyst" else ["list_items", "get_nodes", "list_nodes", "list_nodes"]
    for first in (10, 100):
        api.counter.calls.clear()
        response = await api.post(LISTED, {"first": first}, role=role)
        body = response.json()
        assert "errors" not in body, body
        listed = body["data"]["listItems"]["nodes"]
        assert len(listed) == first and all(n["publisher"] for n in listed)
        assert api.counter.calls == expected  # before: list_items, related (+ the scope checks)
        assert int(response.headers["X-Store-Statements"]) == len(expected)
    if role == "analyst":
        assert any(n["claimed"] for n in listed) and {n["publisher"]["__typename"] for n in listed} == {
            "Organisation", "Enterprise"}
    for item in listed:
        assert (await api.gql(BY_ID, {"id": item["id"]}, role=role))["node"] == item


# -- the estimated cost, checked against the role's budget before execution --------------------------
def _schema() -> GraphQLSchema:
    return build_schema()._schema


def test_fanout_is_read_from_the_registry() -> None:
    schema = _schema()
    # an agreement has one party per role (PARTY_TO is single-valued per role at the agreement's end)
    assert cost.fanout(schema, "Agreement", "AgreementParty") == cost.PER_VALUE_ROWS
    # a unit is party to many agreements; an organisation has many children (UNDER)
    assert cost.fanout(schema, "Organisation", "AgreementParty") == cost.FANOUT[RelType.PARTY_TO]
    assert cost.fanout(schema, "Organisation", "Organisation") == cost.FANOUT[RelType.UNDER]
    # an alliance is led by one organisation, which may lead many alliances
    assert cost.fanout(schema, "Organisation", "Alliance") == max(cost.FANOUT[RelType.LED_BY],
                                                                  cost.FANOUT[RelType.MEMBER_OF])
    assert set(cost.FANOUT) == set(RelType), "every relationship type needs a documented fan-out"


def test_page_sizes_single_ends_and_unknown_fields_are_priced() -> None:
    schema = _schema()

    def estimate(query: str, variables: dict[str, Any] | None = None) -> int:
        return cost.estimate(schema, parse(query), None, variables)

    # the connection (1), its page of 100 organisations, each with its one region (a single-valued end)
    assert estimate("{ organisations(first: 100) { nodes { id region { id } } } }") == 1 + 100 * (1 + 1)
    assert estimate("query($n: Int!) { organisations(first: $n) { nodes { id } } }", {"n": 7}) == 1 + 7
    assert estimate("{ organisations { nodes { id } } }") == 1 + 20  # the schema's default page
    walk = "{ organisations(first: 10) { nodes { children { id } } } }"
    assert estimate(walk) == 1 + 10 * (1 + cost.FANOUT[RelType.UNDER])
    # a field the registry cannot explain (another branch's new report) costs the default fan-out
    other = graphql.build_schema("type Query { report: [Row!]! } type Row { id: ID more: [Row!]! }")
    assert cost.estimate(other, parse("{ report { more { id } } }"), None, None) == \
        cost.DEFAULT_FANOUT * (1 + cost.DEFAULT_FANOUT)


async def test_the_budget_is_the_roles(store: GraphStore, make_api: ApiFactory) -> None:
    """The dashboard at 100 a page is within an analyst's budget (test above) but not a viewer's:
    refused before any store call, naming the estimate and the budget."""
    api = await make_api()
    api.counter.calls.clear()
    error = await api.error(DASHBOARD, {"first": 100}, role="viewer")
    assert error["extensions"]["code"] == "OVER_LIMIT", error
    estimated = cost.estimate(_schema(), parse(DASHBOARD), None, {"first": 100})
    assert f"estimated cost is {estimated:,} rows" in error["message"] and "budget is 20,000" in error["message"]
    assert api.counter.calls == []
    assert (await api.gql(DASHBOARD, {"first": 10}, role="viewer"))["organisations"]["nodes"] == []


async def test_introspection_fits_a_viewers_budget(store: GraphStore, make_api: ApiFactory) -> None:
    """GraphiQL's introspection query reads no data and is allowed; one nested through
    `type { fields { type { fields ...` is refused by graphql-core's introspection depth rule."""
    api = await make_api()
    query = graphql.get_introspection_query(descriptions=True)
    assert cost.estimate(_schema(), parse(query), None, None) == 0
    data = await api.gql(query, role="viewer")
    assert data["__schema"]["types"]
    nested = "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }"
    error = await api.error(nested, role="viewer")
    assert error["extensions"]["code"] == "OVER_LIMIT" and "introspection depth" in error["message"], error


PARITY = [
    DASHBOARD,
    graphql.get_introspection_query(descriptions=True),
    "query Q($n: Int = 7, $t: String) { a: organisations(first: $n) { nodes { ...F children { id } } } "
    "search(text: $t, first: 3) { id } } fragment F on Organisation { members { id name } }",
    '{ organisations(first: 3, where: {kind: [COMMUNITY]}) @include(if: true) { nodes { ... on Organisation '
    '{ children(first: -2) { id } } ... @skip(if: false) { name } } } listItems(first: 2.5) { nodes { id } } }',
    'mutation { upsertOrganisations(rows: [{id: "O", name: """a "quoted" block""", kind: COMMUNITY}]) { created } }',
    "query A { me { role } } query B($f: Int! = 5) { organisations(first: $f) { nodes { id } } }",
]


@pytest.mark.parametrize("query", PARITY)
def test_the_shape_read_from_tokens_is_the_parsed_documents(query: str) -> None:
    """The router prices a text by the shape of its tokens before graphql-core parses it
    (service/api/shape.py): the same shape, so the same estimate, as the parsed document gives."""
    schema = _schema()
    assert shape.read(query) == shape.of_document(parse(query))
    for name in (None, "A", "B", "Q"):
        for variables in (None, {"first": 40, "n": 3, "f": 9}):
            assert cost.price(schema, shape.read(query), name, variables) == \
                cost.estimate(schema, parse(query), name, variables)


@pytest.mark.parametrize("text", ["{ a", "type Query { a: Int }", '{ search(text: "abc) { id } }',
                                  "query($a: Int) { b(c: [1 }", "fragment on on X { a }", ""])
def test_a_text_the_reader_cannot_follow_is_left_to_graphql_core(text: str) -> None:
    """graphql-core refuses every one of them too (a syntax error, or a document that is not executable)."""
    with pytest.raises(shape.Unshaped):
        shape.read(text)
    try:
        refused = bool(graphql.validate(_schema(), parse(text)))
    except graphql.GraphQLError:
        refused = True
    assert refused
