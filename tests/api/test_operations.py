"""Operations (README "Operations"): /metrics, the JSON access log, /health/live and /health/ready, the per-key
rate limit. On the embedded store, but for readiness, which asks each store."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from prometheus_client import values as prometheus_values
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr, ValidationError

from service.api.metrics import MAX_OPERATIONS, Metrics, reset_multiprocess_dir
from service.app import create_app
from service.errors import ErrorCode, RateLimited
from service.gate import StoreGate
from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.logging_setup import JsonFormatter, uvicorn_log_config
from service.rate_limit import RateLimits
from service.request_record import RequestRecord
from service.roles import Role
from service.settings import Settings
from tests.api.conftest import CountingStore
from tests.contract import small_graph

KEYS = "k-admin:admin,k-viewer:viewer,k-other:viewer,k-imp:importer"
ADMIN, VIEWER, OTHER, IMPORTER = ({"Authorization": f"Bearer {k}"} for k in ("k-admin", "k-viewer", "k-other", "k-imp"))
PERSONAL = "张三丰"  # a member's name as someone might type it into a search
ME = "query Me { me { role } }"
CSV = "清单编号,清单类型,事项名称,数量,发布单位\nI-1,需求,电梯,1,ORG-A1\nI-2,其他,x,1,ORG-A1\n".encode()


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "data")
    await store.migrate()
    await small_graph.build(store)
    yield store
    await store.close()


@asynccontextmanager
async def serving_app(store: GraphStore, **settings: Any) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(Settings(api_keys=SecretStr(KEYS), environment="test", **settings), store=store)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield app, client


@asynccontextmanager
async def serving(store: GraphStore, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with serving_app(store, **settings) as (_, client):
        yield client


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition by (name, labels); the parser refuses a malformed text."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_count_requests_operations_cache_errors_statements_and_loader_rows(
    embedded: EmbeddedStore,
) -> None:
    async with serving(embedded) as client:
        for _ in range(3):  # the response cache admits a question on its second sight, answers it on its third
            assert (await client.post("/graphql", json={"query": ME}, headers=VIEWER)).status_code == 200
        anonymous = {"query": "query($n: String!) { search(text: $n) { id } }", "variables": {"n": PERSONAL}}
        await client.post("/graphql", json=anonymous, headers=VIEWER)
        refused = await client.post("/graphql", json={"query": "query Bad { nope }"}, headers=VIEWER)
        assert refused.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
        assert (await client.get(f"/no/such/{PERSONAL}")).status_code == 404
        imported = await client.post("/import/items", files={"file": ("x.csv", CSV, "text/csv")}, headers=IMPORTER)
        assert imported.status_code == 200, imported.text
        response = await client.get("/metrics", headers=ADMIN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    found = samples(text)
    name = "alliance_http_request_duration_seconds_count"
    assert value(found, name, method="POST", route="/graphql", status="200") == 5
    assert value(found, name, method="GET", route="unmatched", status="404") == 1
    assert value(found, name, method="POST", route="/import/{kind}", status="200") == 1
    operations = "alliance_graphql_operation_duration_seconds_count"
    assert (value(found, operations, operation="Me"), value(found, operations, operation="anonymous"),
            value(found, operations, operation="Bad")) == (3, 1, 1)
    lookups = "alliance_response_cache_lookups_total"
    # misses: Me twice (the cache admits it on its second sight), the search, Bad
    assert (value(found, lookups, result="hit"), value(found, lookups, result="miss")) == (1, 4)
    errors = "alliance_errors_total"
    assert (value(found, errors, code="VALIDATION"), value(found, errors, code="NOT_FOUND"),
            value(found, errors, code="RATE_LIMITED")) == (1, 1, 0)
    rows = "alliance_loader_rows_total"
    assert (value(found, rows, kind="items", outcome="created"), value(found, rows, kind="items", outcome="rejected")) \
        == (1, 1)
    statements = "alliance_store_statement_duration_seconds_count"
    assert value(found, statements, statement="search", outcome="ok") >= 1
    assert value(found, statements, statement="upsert_batch", outcome="ok") + \
        value(found, statements, statement="upsert_nodes", outcome="ok") >= 1
    # bounded labels only: no path asked, no query text, no variable
    assert PERSONAL not in text and "/no/such" not in text and "search(text" not in text


async def test_metrics_need_an_admin_key_unless_open(embedded: EmbeddedStore) -> None:
    async with serving(embedded) as client:
        assert (await client.get("/metrics")).status_code == 401
        refused = await client.get("/metrics", headers=VIEWER)
        assert refused.status_code == 403 and "ALLIANCE_METRICS=open" in refused.json()["error"]["message"]
    async with serving(embedded, metrics="open") as client:
        assert (await client.get("/metrics")).status_code == 200
    async with serving(embedded, metrics="off") as client:
        assert (await client.get("/metrics", headers=ADMIN)).status_code == 404


def test_metrics_add_up_over_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PROMETHEUS_MULTIPROC_DIR: what each worker process counted, read from any of them. Two workers in this
    process, told apart by prometheus_client's own process-id hook (it reads the variable only when imported)."""
    worker = [1001]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(prometheus_values, "ValueClass", prometheus_values.MultiProcessValue(lambda: worker[0]))
    first = Metrics()
    first.observe(RequestRecord("a", operation="Me"), "POST", "/graphql", 200, 0.01)
    worker[0] = 1002
    second = Metrics()
    second.observe(RequestRecord("b", operation="Me", errors=[ErrorCode.VALIDATION]), "POST", "/graphql", 200, 0.02)
    assert sorted(p.name for p in tmp_path.glob("*.db")) == ["counter_1001.db", "counter_1002.db",
                                                             "histogram_1001.db", "histogram_1002.db"]
    for metrics in (first, second):
        found = samples(metrics.exposition().decode())
        assert value(found, "alliance_graphql_operation_duration_seconds_count", operation="Me") == 2
        assert value(found, "alliance_http_request_duration_seconds_count", method="POST", route="/graphql",
                     status="200") == 2
        assert value(found, "alliance_errors_total", code="VALIDATION") == 1
    reset_multiprocess_dir()  # `alliance serve` at start: an earlier run's counts go
    assert list(tmp_path.glob("*.db")) == []


def test_operation_names_are_bounded() -> None:
    """A client choosing a new operation name per request cannot grow the metrics without bound."""
    metrics = Metrics()
    for n in range(MAX_OPERATIONS + 5):
        metrics.observe(RequestRecord("r", operation=f"Q{n}"), "POST", "/graphql", 200, 0.001)
    found = samples(metrics.exposition().decode())
    names = {dict(labels)["operation"] for name, labels in found
             if name == "alliance_graphql_operation_duration_seconds_count"}
    assert len(names) == MAX_OPERATIONS + 1 and "other" in names and "Q0" in names
    assert value(found, "alliance_graphql_operation_duration_seconds_count", operation="other") == 5


def _lines(records: list[logging.LogRecord]) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in records]


async def test_the_access_log_is_one_json_line_per_request_without_query_or_personal_values(
    embedded: EmbeddedStore, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with serving(embedded) as client:
        # a GET carrying a query is refused (GraphQL runs only over POST); its text must not reach the log
        get = await client.get("/graphql", params={"query": f'{{ search(text: "{PERSONAL}") {{ id }} }}'},
                               headers=VIEWER)
        post = await client.post("/graphql", headers={**VIEWER, "X-Request-ID": "scrape-42"}, json={
            "query": "query Find($n: String!) { search(text: $n) { id } }", "variables": {"n": PERSONAL}})
        unknown = await client.get(f"/nothing/{PERSONAL}", params={"phone": "13800138000"})
    assert get.status_code >= 400 and post.status_code == 200 and unknown.status_code == 404
    lines = _lines([r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))])  # the test's client
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (PERSONAL, "%E5%BC%A0", "13800138000", "search", "query=", "phone"):
        assert secret not in text, secret
    access = [line for line in lines if line["logger"] == "alliance.access"]
    assert len(access) == 3
    first, second, third = access
    assert first["request_id"] == get.headers["x-request-id"] and len(first["request_id"]) == 32
    assert (first["method"], first["route"], first["status"], first["role"]) == ("GET", "/graphql", get.status_code,
                                                                                 "viewer")
    assert first["error"] is not None and first["key_id"].startswith("key-")
    assert second["request_id"] == "scrape-42" == post.headers["x-request-id"]
    assert (second["route"], second["status"], second["operation"], second["error"]) == ("/graphql", 200, "Find",
                                                                                         None)
    assert (third["route"], third["status"], third["error"], third["key_id"]) == ("unmatched", 404, "NOT_FOUND", None)
    assert all(isinstance(line["duration_ms"], float) and line["time"].endswith("+00:00") for line in access)


async def test_a_request_id_that_is_not_a_plain_token_is_replaced(embedded: EmbeddedStore) -> None:
    async with serving(embedded) as client:
        response = await client.get("/health/live", headers={"X-Request-ID": "Zhang San 13800138000 " * 4})
    assert response.headers["x-request-id"] != "" and " " not in response.headers["x-request-id"]


@contextmanager
def kept_logging() -> Iterator[None]:
    """uvicorn applies its log configuration to the process' loggers: put them back afterwards."""
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "alliance"]
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level, logging.getLogger(n).propagate)
             for n in names}
    try:
        yield
    finally:
        for n, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(n)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_uvicorn_as_alliance_serve_runs_it_logs_no_query_string(
    embedded: EmbeddedStore, capfd: pytest.CaptureFixture[str],
) -> None:
    """A real server with `alliance serve`'s logging, its output read where it goes: uvicorn's access line
    (which printed the path and its query string) is gone, the service's JSON line is there."""
    app = create_app(Settings(api_keys=SecretStr(KEYS), environment="test"), store=embedded)
    port = _free_port()
    with kept_logging():
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=uvicorn_log_config("info"),
                                access_log=False, lifespan="on")
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.get("/graphql", params={"query": f'{{ search(text: "{PERSONAL}") {{ id }} }}'},
                                        headers=VIEWER)
        server.should_exit = True
        await task
        assert not logging.getLogger("uvicorn.access").hasHandlers()  # what uvicorn asks before it writes one
    out, err = capfd.readouterr()
    assert response.status_code >= 400
    for secret in (PERSONAL, "%E5", "query=", "search", "GET /graphql"):
        assert secret not in out + err, secret
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert {line["logger"] for line in lines} >= {"uvicorn.error", "alliance.access"}
    [access] = [line for line in lines if line["logger"] == "alliance.access"]
    assert access["route"] == "/graphql" and access["request_id"] == response.headers["x-request-id"]
    assert access["status"] == response.status_code and access["role"] == "viewer"


async def test_live_never_touches_the_store_and_ready_asks_it(embedded: EmbeddedStore) -> None:
    counter = CountingStore(embedded)
    app = create_app(Settings(api_keys=SecretStr(KEYS), environment="test"), store=counter)  # type: ignore[arg-type]
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        counter.calls.clear()
        live = await client.get("/health/live")
        assert live.status_code == 200 and live.json() == {"status": "live"} and counter.calls == []
        ready = await client.get("/health/ready")
        assert ready.status_code == 200 and ready.json()["status"] == "ready" and "ping" in counter.calls
        assert (await client.get("/health")).json()["status"] == "ok"  # the old probe stays


async def test_ready_on_each_store(store: GraphStore) -> None:
    async with serving(store) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["migrations"] == "applied"


async def test_ready_is_503_and_live_200_while_the_store_is_down() -> None:
    down = Neo4jStore.connect(f"bolt://127.0.0.1:{_free_port()}", "neo4j", "whatever")
    app = create_app(Settings(api_keys=SecretStr(KEYS), environment="test"), store=down)
    app.state.gate = StoreGate(down)  # without the lifespan's start-up retries
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/health/live")).status_code == 200
        ready = await client.get("/health/ready")
    await down.close()
    assert ready.status_code == 503 and ready.json()["error"]["code"] == "STORE_UNAVAILABLE"


async def test_a_key_over_its_rate_gets_429_with_retry_after_and_recovers(embedded: EmbeddedStore) -> None:
    async with serving_app(embedded, rate_limit_viewer=2, rate_burst_viewer=2, rate_limit_admin=0.5,
                           rate_burst_admin=1) as (app, client):
        for _ in range(2):
            assert (await client.post("/graphql", json={"query": ME}, headers=VIEWER)).status_code == 200
        refused = await client.post("/graphql", json={"query": ME}, headers=VIEWER)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        error = refused.json()["errors"][0]  # GraphQL's shape on /graphql
        assert error["extensions"]["code"] == "RATE_LIMITED" and "2 requests a second" in error["message"]
        # another key has its own bucket
        assert (await client.post("/graphql", json={"query": ME}, headers=OTHER)).status_code == 200
        await asyncio.sleep(0.5)  # 2 a second: one more request after half a second
        assert (await client.post("/graphql", json={"query": ME}, headers=VIEWER)).status_code == 200
        # a REST endpoint answers the error envelope, with Retry-After too
        assert (await client.get("/metrics", headers=ADMIN)).status_code == 200
        rest = await client.get("/metrics", headers=ADMIN)
        assert rest.status_code == 429 and rest.json()["error"]["code"] == "RATE_LIMITED"
        assert rest.headers["retry-after"] == "2"  # one request every 2 s
        found = samples(app.state.metrics.exposition().decode())
    assert value(found, "alliance_errors_total", code="RATE_LIMITED") == 2


def test_the_token_bucket_refills_at_its_rate() -> None:
    now = [100.0]
    limits = RateLimits(Settings(rate_limit_viewer=0.5, rate_burst_viewer=3), clock=lambda: now[0])
    for _ in range(3):
        limits.take("key-a", Role.VIEWER)
    with pytest.raises(RateLimited) as caught:
        limits.take("key-a", Role.VIEWER)
    assert caught.value.retry_after == 2  # one token every 2 s
    now[0] += 1.0
    with pytest.raises(RateLimited) as caught:
        limits.take("key-a", Role.VIEWER)
    assert caught.value.retry_after == 1
    now[0] += 1.0
    limits.take("key-a", Role.VIEWER)
    now[0] += 60.0  # never more than the burst
    for _ in range(3):
        limits.take("key-a", Role.VIEWER)
    with pytest.raises(RateLimited):
        limits.take("key-a", Role.VIEWER)
    limits.take("key-a", Role.ADMIN)  # rate 0: the admin role is not limited by default


def test_the_operations_settings_are_checked_when_read() -> None:
    assert Settings(metrics=" Open ").metrics == "open"
    assert Settings(rate_limit_importer=5, rate_burst_importer=10).rate_limit(Role.IMPORTER) == (5.0, 10)
    for bad in ({"metrics": "public"}, {"rate_limit_viewer": -1}, {"rate_burst_admin": 0}):
        with pytest.raises(ValidationError):
            Settings(**bad)  # type: ignore[arg-type]
