"""The FastAPI application, the composition root: settings, key ring and store are put on
`app.state` here once, and reach the routers through service/deps.py; no module imports this one
but the command line."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from loaders.export_http import xlsx_export_router
from loaders.http import import_router
from service import heap, http_errors
from service.analytics.http import export_router
from service.analytics.metrics import options_for as metrics_options
from service.analytics.runs import AnalysisRuns
from service.api.access_log import AccessLog
from service.api.answers import CachedAnswers
from service.api.metrics import Metrics, metrics_router
from service.api.probes import probes_router
from service.api.request_size import RequestSize
from service.api.router import graphql_router
from service.auth import KeyRing
from service.deps import GateDep
from service.errors import ErrorCode, StoreUnavailable
from service.gate import StoreGate, wait_for_store
from service.graph import open_store
from service.graph.port import GraphStore
from service.keys import StoredKeys
from service.rate_limit import RateLimits
from service.settings import Environment, Settings
from service.web import web_router


def _telemetry() -> Any:  # fastapi.telemetry.TelemetryConfig where FastAPI has it
    """FastAPI's OpenTelemetry off unless the environment configures OpenTelemetry (OTEL_*): the service's
    metrics are Prometheus' (/metrics), and finding out per request that no provider is set cost about a
    tenth of a cached answer (it reads the environment three times). FastAPI before 0.16x ignores it."""
    wanted = any(k.startswith("OTEL_") or k == "FASTAPI_OTEL_AUTO_CONFIGURE" for k in os.environ)
    return {} if wanted else {"tracing": False, "metrics": False, "logs": False}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or Settings()  # a misconfiguration fails here, before anything is served

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        gate = StoreGate(metrics.metered(store or open_store(settings)))  # each store call timed (/metrics)
        app.state.gate = gate
        await wait_for_store(gate, attempts=5, delay=1.0)
        heap.settle()  # what startup built stays out of every later garbage collection (service/heap.py)
        try:
            yield
        finally:
            heap.release()
            await app.state.runs.close()  # a run still going stops before its store closes
            await gate.store.close()

    # Swagger UI and ReDoc load their scripts from a public CDN: never served. The OpenAPI document (JSON,
    # no assets) only in development; production and test serve none of the three.
    development = settings.environment is Environment.DEVELOPMENT
    app = FastAPI(title="Alliance Graph", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if development else None, telemetry=_telemetry())
    app.state.settings = settings
    app.state.keys = KeyRing(settings.api_keys)
    app.state.stored_keys = StoredKeys(ttl=settings.key_cache_seconds)  # `alliance keys`, read from the store
    # the analyses started through the API (runAnalysis), in this process
    app.state.runs = AnalysisRuns(options=metrics_options(settings))
    metrics = Metrics()  # this app's registry (README "Operations"); shared across workers by PROMETHEUS_MULTIPROC_DIR
    app.state.metrics = metrics
    app.state.rate_limits = RateLimits(settings)  # per key id, in this process (service/deps.py caller_of)
    http_errors.install(app)
    # innermost of the three: a repeated query's kept answer, after the size limit and inside the access log
    app.add_middleware(CachedAnswers, size=settings.response_cache, timeout=settings.request_timeout)
    # a body over its limit is refused before any route reads it
    app.add_middleware(RequestSize, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    # outermost of the app's own layers: every request, refused ones too, is logged and measured
    app.add_middleware(AccessLog, metrics=metrics)

    @app.get("/health")
    async def health(gate: GateDep) -> JSONResponse:
        try:
            live = await gate.ready()
            await live.ping()
        except StoreUnavailable as exc:
            # `status` for monitors that read it; the reason in the envelope every error uses
            body = {"status": "unavailable", **http_errors.envelope(ErrorCode.STORE_UNAVAILABLE, str(exc))}
            return JSONResponse(body, status_code=ErrorCode.STORE_UNAVAILABLE.status)
        return JSONResponse({"status": "ok", "store": settings.store.value})

    app.include_router(probes_router())  # GET /health/live, /health/ready
    app.include_router(metrics_router(settings, metrics))  # GET /metrics
    app.include_router(graphql_router(settings))
    app.include_router(import_router())  # POST /import/{kind}
    app.include_router(export_router())  # GET /export/{network.gexf,network.graphml,nodes.csv,edges.csv}
    app.include_router(xlsx_export_router())  # GET /export/xlsx/{items,agreements,wishes,meetings,matters}
    app.include_router(web_router())  # GET /explore, /dashboard, /web/*; POST /explore/layout
    return app
