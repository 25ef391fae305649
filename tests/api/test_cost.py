"""A nested dashboard query costs the same number of store calls at page sizes 10 and 100."""

from __future__ import annotations

import pytest

from service.demo import generate, load_dataset
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
def urumqi() -> object:
    return generate("urumqi-etdz", 1)


async def test_nested_dashboard_cost_is_independent_of_page_size(
    store: GraphStore, make_api: ApiFactory, urumqi: object
) -> None:
    await load_dataset(store, urumqi)  # type: ignore[arg-type]
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
