"""A list's relationship fields are loaded for the whole list before its objects are completed
(service/api/prefetch.py): the page's agreements and their parties answer without a wait per object,
in the same statements, with the same answer as when every object waits for its own load."""

from __future__ import annotations

from typing import Any

import pytest

from service.api.prefetch import Prefetcher
from service.api.shared import nodes
from tests.api.conftest import Api

PAGE = """query($first: Int!) { organisations(first: $first, orderBy: NAME) { totalCount nodes { id name
  agreements { role agreement { id title parties { role unit { ... on Organisation { id } ... on Enterprise { id } } }
  } } } } }"""


async def test_a_pages_relationships_answer_without_a_wait_per_object(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[str] = []
    later = nodes._rows_later

    def counted(*args: Any) -> Any:
        waited.append("rows")
        return later(*args)

    monkeypatch.setattr(nodes, "_rows_later", counted)
    api.counter.calls.clear()
    prefetched = await api.gql(PAGE, {"first": 50})
    statements = sorted(api.counter.calls)
    parties = [p for o in prefetched["organisations"]["nodes"] for a in o["agreements"]
               for p in a["agreement"]["parties"]]
    assert parties and waited == []

    monkeypatch.setattr(Prefetcher, "loads", lambda *args: [])  # every object waits for its own load
    api.counter.calls.clear()
    one_by_one = await api.gql(PAGE, {"first": 49})  # another question: not the response cache's answer
    assert waited and one_by_one == prefetched
    assert sorted(api.counter.calls) == statements
