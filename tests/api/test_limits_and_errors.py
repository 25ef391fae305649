# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""Limits refused before any store call; errors carry stable codes and leak nothing internal."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr

from service.app import create_app
from service.errors import StoreUnavailable
from service.graph.port import GraphStore
from service.settings import Settings
from tests.api.conftest import API_KEYS, KEYS, Api


async def _refused_before_store(api: Api, query: str, code: str = "OVER_LIMIT") -> dict[str, Any]:
    api.counter.calls.clear()
    error = await api.error(query)
    assert error["extensions"]["code"] == code, error
    assert api.counter.calls == [], api.counter.calls
    return error


async def test_page_size_over_limit(api: Api) -> None:
    for field in ("organisations", "enterprises", "agreements", "alliances", "regions", "listItems"):
        error = await _refused_before_store(api, "{ %s(first: 101) { totalCount } }" % field)
        assert "first" in error["message"] and "100" in error["message"]
    await _refused_before_store(api, '{ search(text: "社区", first: 500) { id } }')
    await _refused_before_store(api, '{ neighbourhood(id: "ORG-A1", depth: 9) { truncated } }')
    await _refused_before_store(api, '{ organisations(first: 0) { totalCount } }')


async def test_depth_aliases_and_tokens_limited(api: Api) -> None:
    deep = "{ node(id: \"ORG-A1\") { ... on Organisation { " + "parent { " * 12 + "id" + " }" * 12 + " } } }"
    error = await _refused_before_store(api, deep)
    assert "depth" in error["message"]
    aliases = "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(40)) + " }"
    assert "aliases" in (await _refused_before_store(api, aliases))["message"]
    tokens = "{ me { " + " ".join(["role"] * 5000) + " } }"
    await _refused_before_store(api, tokens)


async def test_validation_errors_have_a_code(api: Api) -> None:
    error = await _refused_before_store(api, "{ organisations { nodes { nosuchfield } } }", "VALIDATION")
    assert "nosuchfield" in error["message"]
    await _refused_before_store(api, "{ organisations(", "VALIDATION")
    error = await api.error('{ organisations(after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert error["extensions"]["code"] == "VALIDATION" and "cursor" in error["message"]


class Broken:
    """A store whose reads fail: unavailable, or with an unexpected error carrying query text."""

    def __init__(self, inner: GraphStore, failure: Exception) -> None:
        self.inner, self.failure = inner, failure

    async def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        if name in ("migrate", "ping"):
            return getattr(self.inner, name)

        async def fail(*args: Any, **kwargs: Any) -> Any:
            raise self.failure

        return fail


async def _post_to(store: Any, query: str) -> httpx.Response:
    app = create_app(Settings(api_keys=SecretStr(API_KEYS)), store=store)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        return await client.post("/graphql", json={"query": query},
                                 headers={"Authorization": f"Bearer {KEYS['viewer']}"})


async def test_store_unavailable_is_a_503_with_a_code(store: GraphStore) -> None:
    response = await _post_to(Broken(store, StoreUnavailable("Neo4j at bolt://x is not answering")),
                              "{ organisations { totalCount } }")
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "STORE_UNAVAILABLE"


async def test_unexpected_errors_leak_no_internals(store: GraphStore) -> None:
    response = await _post_to(Broken(store, RuntimeError("MATCH (n:Member {name: '张伟'}) RETURN n")),
                              "{ organisations { totalCount } }")
    body = response.text
    assert "MATCH" not in body and "张伟" not in body and "Traceback" not in body
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and "reference" in error["message"]


async def test_hostile_cursors_are_validation_errors_not_internal(api: Api) -> None:
    """A cursor nested 100,000 levels deep raised RecursionError inside json.loads (INTERNAL)."""
    import base64

    query = "query($a: String) { organisations(first: 2, after: $a) { totalCount } }"
    deep = base64.urlsafe_b64encode(("[" * 100_000 + "]" * 100_000).encode()).decode()
    nested = base64.urlsafe_b64encode(("[" * 1_500 + "]" * 1_500).encode()).decode()  # short, still deep
    listed = base64.urlsafe_b64encode(b'[["a"], "ORG-A1"]').decode()
    error = await api.error(query, {"a": deep}, role="viewer")  # longer than any variable text: refused first
    assert error["extensions"]["code"] == "OVER_LIMIT" and "characters" in error["message"], error
    for cursor in (nested, listed):
        error = await api.error(query, {"a": cursor}, role="viewer")
        assert error["extensions"]["code"] == "VALIDATION", error
        assert "not one this service issued" in error["message"] and len(error["message"]) < 300
