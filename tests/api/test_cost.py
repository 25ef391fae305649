"""A nested dashboard query costs the same number of store calls at page sizes 10 and 100."""

from __future__ import annotations

import pytest

from service.demo import Dataset, generate, load_dataset
from service.graph.port import GraphStore
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
