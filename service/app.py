"""The FastAPI application: the store is opened in the lifespan and injected, never global."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from loaders.http import import_router
from service.analytics.http import export_router
from service.api.router import graphql_router
from service.errors import AllianceError, StoreUnavailable
from service.graph import open_store
from service.graph.port import GraphStore
from service.settings import Settings
from service.web import web_router

log = logging.getLogger("alliance")


class StoreGate:
    """Holds the store and applies migrations once it answers, so a service started while
    Neo4j is down reports it clearly and recovers when the database returns."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._migrated = False
        self._lock = asyncio.Lock()

    async def ready(self) -> GraphStore:
        if not self._migrated:
            async with self._lock:
                if not self._migrated:
                    await self.store.ping()  # fails fast, where migrate() would sit in retries
                    applied = await self.store.migrate()
                    if applied:
                        log.info("applied schema migrations: %s", ", ".join(applied))
                    self._migrated = True
        return self.store


async def wait_for_store(gate: StoreGate, attempts: int, delay: float) -> None:
    for attempt in range(1, attempts + 1):
        try:
            await gate.ready()
            return
        except StoreUnavailable as exc:
            log.error("store unavailable (attempt %d/%d): %s", attempt, attempts, exc)
            if attempt < attempts:
                await asyncio.sleep(delay)
    log.error("starting without a store; /health answers 503 until it returns")


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        gate = StoreGate(store or open_store(settings))
        app.state.gate = gate
        app.state.settings = settings
        await wait_for_store(gate, attempts=5, delay=1.0)
        try:
            yield
        finally:
            await gate.store.close()

    app = FastAPI(title="Alliance Graph", version="0.1.0", lifespan=lifespan)

    @app.exception_handler(AllianceError)
    async def domain_error(_: Request, exc: AllianceError) -> JSONResponse:
        status = {"NOT_FOUND": 404, "FORBIDDEN": 403, "STORE_UNAVAILABLE": 503, "ALREADY_CLAIMED": 409,
                  "CONFLICT": 409, "ILLEGAL_STATE": 409}.get(exc.code, 400)
        return JSONResponse({"error": {"code": exc.code, "message": str(exc)}}, status_code=status)

    @app.get("/health")
    async def health(gate: GateDep) -> JSONResponse:
        try:
            store = await gate.ready()
            await store.ping()
        except StoreUnavailable as exc:
            return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", "store": settings.store.value})

    app.include_router(graphql_router(settings))
    app.include_router(import_router(settings))  # POST /import/{kind}
    app.include_router(export_router(settings))  # GET /export/{network.gexf,network.graphml,nodes.csv,edges.csv}
    app.include_router(web_router(settings))  # GET /explore, /dashboard, /web/*; POST /explore/layout
    return app


def get_gate(request: Request) -> StoreGate:
    gate: StoreGate = request.app.state.gate
    return gate


async def get_store(gate: Annotated[StoreGate, Depends(get_gate)]) -> GraphStore:
    return await gate.ready()


GateDep = Annotated[StoreGate, Depends(get_gate)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
