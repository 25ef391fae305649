"""An HTTP client on the GraphQL API over the parametrised store, with the small graph loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.graph.port import GraphStore
from service.settings import Settings
from tests.contract import small_graph
from tests.contract.small_graph import STREET_A

KEYS = {
    "admin": "k-admin",
    "analyst": "k-analyst",
    "viewer": "k-viewer",
    "importer": "k-importer",
    "street": "k-street",  # viewer scoped to STREET_A
    "street_importer": "k-street-imp",
}
API_KEYS = ",".join([
    f"{KEYS['admin']}:admin", f"{KEYS['analyst']}:analyst", f"{KEYS['viewer']}:viewer",
    f"{KEYS['importer']}:importer", f"{KEYS['street']}:viewer:{STREET_A}",
    f"{KEYS['street_importer']}:importer:{STREET_A}",
])


class CountingStore:
    """Counts store calls (and keeps what each was asked); leaves closing to the `store` fixture."""

    def __init__(self, store: GraphStore) -> None:
        self.inner = store
        self.calls: list[str] = []
        self.asked: list[tuple[str, tuple[Any, ...]]] = []

    async def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            self.asked.append((name, args))
            return await target(*args, **kwargs)

        return counted


class Api:
    def __init__(self, client: httpx.AsyncClient, counter: CountingStore) -> None:
        self.client = client
        self.counter = counter

    async def post(self, query: str, variables: dict[str, Any] | None = None, role: str | None = "admin",
                   headers: dict[str, str] | None = None) -> httpx.Response:
        sent = dict(headers or {})
        if role is not None:
            sent["Authorization"] = f"Bearer {KEYS[role]}"
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=sent)

    async def gql(self, query: str, variables: dict[str, Any] | None = None, role: str = "admin") -> dict[str, Any]:
        """The data of a request that must succeed."""
        response = await self.post(query, variables, role)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None, role: str = "admin") -> dict[str, Any]:
        """The first error of a request that must fail."""
        response = await self.post(query, variables, role)
        body = response.json()
        assert body.get("errors"), body
        first: dict[str, Any] = body["errors"][0]
        return first


ApiFactory = Callable[..., Awaitable[Api]]


@pytest.fixture
async def make_api(store: GraphStore) -> AsyncIterator[ApiFactory]:
    """Build the app over the store; `environment` and `keys` adjustable per test."""
    contexts: list[Any] = []

    async def make(environment: str = "test", keys: str = API_KEYS) -> Api:
        counter = CountingStore(store)
        settings = Settings(api_keys=SecretStr(keys), environment=environment)
        app = create_app(settings, store=counter)  # type: ignore[arg-type]
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        contexts.append(lifespan)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        contexts.append(client)
        return Api(client, counter)

    yield make
    for ctx in reversed(contexts):
        await ctx.__aexit__(None, None, None)


@pytest.fixture
async def api(store: GraphStore, make_api: ApiFactory) -> Api:
    """The API over the small graph."""
    await small_graph.build(store)
    return await make_api()
