"""`GET /metrics` in Prometheus' text format (prometheus_client), from a registry the app factory builds.

What is measured, each with a bounded label set (no query text, no path values, no personal data):

- `alliance_http_request_duration_seconds{method, route, status}`: every request, by its route *template*
  (`/import/{kind}`, never the path asked), "unmatched" for a path no route serves;
- `alliance_graphql_operation_duration_seconds{operation}`: each GraphQL request by its operation's name
  ("anonymous" without one); past MAX_OPERATIONS distinct names a process counts the rest as "other";
- `alliance_store_statement_duration_seconds{statement, outcome}`: each call through the store port (the
  port's operation: `list_nodes`, `related`, `upsert_batch`, ...; one statement on the embedded store, one
  or a few Cypher statements on Neo4j), `ok` or `error`;
- `alliance_response_cache_lookups_total{result}`: GraphQL answers served from the cache (`hit`) or run
  (`miss`) for queries the cache may keep;
- `alliance_loader_rows_total{kind, outcome}`: rows of the files imported through `POST /import/{kind}`
  (created, updated, unchanged, rejected; dry runs not counted);
- `alliance_errors_total{code}`: each error answered, by its stable code (service/errors.py).

With `alliance serve --workers N` each worker is its own process: when PROMETHEUS_MULTIPROC_DIR names a
directory (set before the service starts; `alliance serve` empties it at start), every worker writes its
values there and /metrics answers the sum over the workers, whichever worker the scrape reaches. Without it
each worker answers only its own counts."""

from __future__ import annotations

import inspect
import os
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from service.deps import caller_of
from service.errors import ErrorCode, NotFound
from service.graph.port import GraphStore
from service.request_record import RequestRecord
from service.roles import Role
from service.settings import MetricsAccess, Settings

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
MAX_OPERATIONS = 200  # distinct GraphQL operation names one process labels; clients choose them
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
STATEMENT_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)
LOADED_OUTCOMES = ("created", "updated", "unchanged", "rejected")


def multiprocess_dir() -> str | None:
    """The shared directory of multiprocess mode, when set. prometheus_client reads the variable once, when
    it is first imported, so it must be in the environment before the service starts."""
    return os.environ.get(MULTIPROCESS_ENV) or None


def reset_multiprocess_dir() -> None:
    """Empty the multiprocess directory of an earlier run (prometheus_client's advice: wipe it at start), so
    counters of processes long gone are not summed in. Called by `alliance serve` before its workers start."""
    path = multiprocess_dir()
    if path is None:
        return
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)


class Metrics:
    """The service's metrics, registered on a registry of their own (one per app: tests build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.multiprocess = multiprocess_dir() is not None
        if not self.multiprocess:  # the process' CPU, memory and open files; not collectable per worker file
            ProcessCollector(registry=self.registry)
        r = self.registry
        self.requests = Histogram("alliance_http_request_duration_seconds", "HTTP requests by route template",
                                  ["method", "route", "status"], registry=r, buckets=REQUEST_BUCKETS)
        self.operations = Histogram("alliance_graphql_operation_duration_seconds",
                                    "GraphQL requests by operation name", ["operation"], registry=r,
                                    buckets=REQUEST_BUCKETS)
        self.statements = Histogram("alliance_store_statement_duration_seconds", "Calls through the store port",
                                    ["statement", "outcome"], registry=r, buckets=STATEMENT_BUCKETS)
        self.cache = Counter("alliance_response_cache_lookups", "GraphQL response cache lookups", ["result"],
                             registry=r)
        self.loaded = Counter("alliance_loader_rows", "Rows of files imported over HTTP", ["kind", "outcome"],
                              registry=r)
        self.errors = Counter("alliance_errors", "Errors answered, by stable code", ["code"], registry=r)
        self._names: set[str] = set()
        self._routes: dict[tuple[str, str, int], Any] = {}  # bounded: methods x route templates x statuses
        self._operations: dict[str, Any] = {}  # the children by operation name, at most MAX_OPERATIONS
        self._cache: dict[str, Any] = {}  # hit, miss
        self._names_lock = threading.Lock()
        for code in ErrorCode:  # every code present from the start: a rate() over a series that appears late is off
            self.errors.labels(code.value)

    def operation_label(self, name: str) -> str:
        """The name as a label, or "other" once MAX_OPERATIONS names are in use: the series stay bounded
        whatever names clients send."""
        if name in self._names:
            return name
        with self._names_lock:
            if len(self._names) >= MAX_OPERATIONS:
                return "other"
            self._names.add(name)
        return name

    def observe(self, record: RequestRecord, method: str, route: str, status: int, seconds: float) -> None:
        """One answered request, from what its layers noted on its record."""
        key = (method if method in METHODS else "OTHER", route, status)
        child = self._routes.get(key)
        if child is None:  # `labels()` checks and locks each time; the few children are kept here
            child = self._routes[key] = self.requests.labels(key[0], route, str(status))
        child.observe(seconds)
        if record.operation is not None:
            operation = self._operations.get(record.operation)
            if operation is None:
                operation = self.operations.labels(self.operation_label(record.operation))
                if len(self._operations) < MAX_OPERATIONS:
                    self._operations[record.operation] = operation
            operation.observe(seconds)
        if record.cache is not None:
            cache = self._cache.get(record.cache)
            if cache is None:
                cache = self._cache[record.cache] = self.cache.labels(record.cache)
            cache.inc()
        for code in record.errors:
            self.errors.labels(code.value).inc()
        for kind, rows in record.loaded:
            for outcome in LOADED_OUTCOMES:
                if rows.get(outcome):
                    self.loaded.labels(kind, outcome).inc(rows[outcome])

    def exposition(self) -> bytes:
        """The text format; in multiprocess mode the sum over every worker's files."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        gathered = CollectorRegistry()
        MultiProcessCollector(gathered)
        return generate_latest(gathered)

    def metered(self, store: GraphStore) -> GraphStore:
        """The store with each port call timed by its name."""
        return cast(GraphStore, MeteredStore(store, self.statements))


class MeteredStore:
    """Wraps a GraphStore and times each coroutine call through it; other attributes pass through."""

    def __init__(self, store: GraphStore, statements: Histogram) -> None:
        self.inner = store
        self._statements = statements

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if not inspect.iscoroutinefunction(target):
            return target
        ok = self._statements.labels(name, "ok")
        statements = self._statements

        async def metered(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = await cast(Callable[..., Awaitable[Any]], target)(*args, **kwargs)
            except BaseException:
                statements.labels(name, "error").observe(time.perf_counter() - started)
                raise
            ok.observe(time.perf_counter() - started)
            return result

        setattr(self, name, metered)  # found directly from now on: __getattr__ runs once per name
        return metered


def metrics_router(settings: Settings, metrics: Metrics) -> APIRouter:
    """GET /metrics for an admin key, for anyone with ALLIANCE_METRICS=open, for nobody (404) with `off`."""
    router = APIRouter(tags=["operations"])

    @router.get("/metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        if settings.metrics is MetricsAccess.OFF:
            raise NotFound("metrics are off (ALLIANCE_METRICS=off)")
        if settings.metrics is MetricsAccess.ADMIN:
            caller = await caller_of(request, request.headers.get("authorization"))
            caller.require_role(frozenset({Role.ADMIN}), "reading the metrics (or ALLIANCE_METRICS=open)")
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_PLAIN_0_0_4)

    return router
