"""One error envelope for every REST endpoint: `{"error": {"code", "message"}}` with the HTTP status
service/errors.py declares for the code, whether a domain error, the framework (unknown route, 405,
request validation) or an unexpected exception refused the request. GraphQL operation errors keep
GraphQL's shape; what stops a /graphql request before any operation answers in the envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.errors import ErrorCode, StoreUnavailable
from service.graph.embedded import EmbeddedStore
from service.settings import Settings
from tests.contract import small_graph

KEYS = ",".join(["admin:admin", "analyst:analyst", "viewer:viewer", "importer:importer",
                 f"street-analyst:analyst:{small_graph.STREET_A}", f"street-importer:importer:{small_graph.STREET_A}"])
CSV = "清单编号,清单类型,事项名称,数量,发布单位\nI-1,需求,电梯,1,ORG-A1\n".encode()

Client = Callable[..., Awaitable[httpx.AsyncClient]]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def envelope(response: httpx.Response, code: str) -> str:
    """The message of an error answered in the envelope with `code` and its declared status."""
    body = response.json()
    assert response.status_code == ErrorCode[code].status, (response.status_code, body)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    assert message
    return message


class Failing(EmbeddedStore):
    """A store that answers ping and migrate but fails the export's read with `failure`."""

    failure: Exception = RuntimeError("MATCH (n:Member {name: '张伟'}) RETURN n")

    async def analytics_network(self, *args: Any, **kwargs: Any) -> Any:
        raise self.failure


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    opened: list[Any] = []

    async def make(store: EmbeddedStore | None = None) -> httpx.AsyncClient:
        if store is None:
            store = EmbeddedStore(tmp_path / "data")
            await store.migrate()
            await small_graph.build(store)
        app = create_app(Settings(api_keys=SecretStr(KEYS)), store=store)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        opened.append(lifespan)
        # unexpected errors are answered (500) rather than raised into the test
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        http = httpx.AsyncClient(transport=transport, base_url="http://test")
        opened.append(http)
        return http

    yield make
    for ctx in reversed(opened):
        await ctx.__aexit__(None, None, None)


async def test_unknown_route_and_method(client: Client) -> None:
    http = await client()
    assert envelope(await http.get("/no/such/page"), "NOT_FOUND") == "no endpoint GET /no/such/page"
    refused = await http.get("/import/items")
    assert envelope(refused, "METHOD_NOT_ALLOWED") == "GET is not allowed on /import/items"
    assert refused.headers["allow"] == "POST"


async def test_health_when_the_store_is_down(client: Client, tmp_path: Path) -> None:
    class Down(EmbeddedStore):
        async def ping(self) -> None:
            raise StoreUnavailable("the database at bolt://x is not answering")

    response = await (await client(Down(tmp_path / "down"))).get("/health")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unavailable"
    assert body["error"] == {"code": "STORE_UNAVAILABLE", "message": "the database at bolt://x is not answering"}


async def test_export_errors(client: Client) -> None:
    http = await client()
    missing = await http.get("/export/nodes.csv")
    assert "API key is missing" in envelope(missing, "UNAUTHENTICATED")
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "not a configured key" in envelope(await http.get("/export/nodes.csv", headers=auth("nobody")),
                                              "UNAUTHENTICATED")
    assert "analyst or admin role" in envelope(await http.get("/export/nodes.csv", headers=auth("viewer")),
                                               "FORBIDDEN")
    assert "no export 'nodes.xls'" in envelope(await http.get("/export/nodes.xls", headers=auth("analyst")),
                                               "NOT_FOUND")
    outside = await http.get("/export/nodes.csv", params={"regionId": small_graph.STREET_B},
                             headers=auth("street-analyst"))
    assert "outside your key's region" in envelope(outside, "FORBIDDEN")


async def test_import_errors(client: Client) -> None:
    http = await client()
    files = {"file": ("清单.csv", CSV, "text/csv")}
    envelope(await http.post("/import/items", files=files), "UNAUTHENTICATED")
    assert "importer or admin role" in envelope(await http.post("/import/items", files=files, headers=auth("viewer")),
                                                "FORBIDDEN")
    # a region-scoped importer may import: its rows are checked against its region one by one
    # (tests/security/test_region_scope.py), so the file is answered with a report, not refused whole
    scoped = await http.post("/import/items", files=files, headers=auth("street-importer"))
    assert scoped.status_code == 200 and "rejected" in scoped.json(), scoped.text
    assert "no kind 'things'" in envelope(await http.post("/import/things", files=files, headers=auth("importer")),
                                          "NOT_FOUND")
    bad_format = await http.post("/import/items", params={"format": "doc"}, files=files, headers=auth("importer"))
    assert envelope(bad_format, "VALIDATION").startswith("query.format: ")
    assert envelope(await http.post("/import/items", headers=auth("importer")), "VALIDATION") == (
        "body.file: Field required")
    headless = {"file": ("清单.csv", b"foo,bar\n1,2\n", "text/csv")}
    envelope(await http.post("/import/items", files=headless, headers=auth("importer")), "FILE_REJECTED")


async def test_layout_errors(client: Client) -> None:
    http = await client()
    shape = {"count": 2, "edges": [[0, 1]]}
    envelope(await http.post("/explore/layout", json=shape), "UNAUTHENTICATED")
    assert (await http.post("/explore/layout", json=shape, headers=auth("viewer"))).status_code == 200
    outside = await http.post("/explore/layout", json={"count": 2, "edges": [[0, 5]]}, headers=auth("viewer"))
    assert envelope(outside, "VALIDATION") == "edge names a node outside count"
    too_big = await http.post("/explore/layout", json={"count": 10**6}, headers=auth("viewer"))
    assert envelope(too_big, "VALIDATION").startswith("body.count: ")
    broken = await http.post("/explore/layout", content=b"{not json", headers={**auth("viewer"),
                                                                            "content-type": "application/json"})
    envelope(broken, "VALIDATION")


async def test_web_pages_and_assets(client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    http = await client()
    assert envelope(await http.get("/web/assets/nothing.js"), "NOT_FOUND") == "no such asset"
    monkeypatch.setattr("service.web.router.STATIC", tmp_path / "unbuilt")
    assert "make web" in envelope(await http.get("/explore"), "NOT_BUILT")


async def test_graphql_refusals_before_an_operation(client: Client) -> None:
    http = await client()
    missing = await http.post("/graphql", json={"query": "{ me { role } }"})
    assert "API key" in envelope(missing, "UNAUTHENTICATED") and missing.headers["www-authenticate"] == "Bearer"
    not_json = await http.post("/graphql", content=b"{nope", headers={**auth("viewer"),
                                                                      "content-type": "application/json"})
    assert "JSON" in envelope(not_json, "BAD_REQUEST")
    no_query = await http.post("/graphql", json={"variables": {}}, headers=auth("viewer"))
    envelope(no_query, "BAD_REQUEST")
    # an operation's own errors keep GraphQL's shape
    answered = await http.post("/graphql", json={"query": "{ nosuchfield }"}, headers=auth("viewer"))
    body = answered.json()
    assert answered.status_code == 200 and body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION"} and "nosuchfield" in body["errors"][0]["message"]


async def test_unexpected_errors_are_500_with_a_reference_only(client: Client, tmp_path: Path) -> None:
    store = Failing(tmp_path / "failing")
    http = await client(store)
    response = await http.get("/export/nodes.csv", headers=auth("admin"))
    message = envelope(response, "INTERNAL")
    assert "reference" in message and "MATCH" not in response.text and "张伟" not in response.text


async def test_store_unavailable_during_a_request_is_a_503(client: Client, tmp_path: Path) -> None:
    store = Failing(tmp_path / "failing")
    store.failure = StoreUnavailable("Neo4j at bolt://x is not answering")
    http = await client(store)
    response = await http.get("/export/nodes.csv", headers=auth("admin"))
    assert envelope(response, "STORE_UNAVAILABLE") == "Neo4j at bolt://x is not answering"


async def test_landing_page_and_no_cdn_docs(client: Client) -> None:
    """GET / is the landing page; Swagger, ReDoc and the OpenAPI document are off outside development."""
    http = await client()
    home = await http.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    for link in ('href="/explore"', 'href="/dashboard"', 'href="/graphql"', 'href="/health"'):
        assert link in home.text
    for path in ("/docs", "/redoc", "/openapi.json"):
        envelope(await http.get(path), "NOT_FOUND")


async def test_seeds_numpy_cannot_take_are_refused_not_500(client: Client) -> None:
    http = await client()
    for seed in (-1, 2**40):
        refused = await http.post("/explore/layout", json={"count": 3, "edges": [[0, 1]], "seed": seed},
                                  headers=auth("viewer"))
        assert envelope(refused, "VALIDATION").startswith("body.seed: ")
    largest = {"count": 3, "edges": [[0, 1]], "seed": 2**32 - 1}
    assert (await http.post("/explore/layout", json=largest, headers=auth("viewer"))).status_code == 200


@pytest.mark.parametrize("region", ["天河区", "650106\r\n001", '65"; filename=x.exe'])
async def test_an_export_names_any_region_in_a_safe_header(client: Client, region: str) -> None:
    """A Chinese region id answered 500 (headers are latin-1) and a line break ended the headers."""
    http = await client()
    answer = await http.get("/export/nodes.csv", params={"regionId": region}, headers=auth("analyst"))
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition and disposition.count('"') == 2
    assert disposition.startswith('attachment; filename="alliance-nodes-') and "filename*=UTF-8''" in disposition
