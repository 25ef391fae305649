"""`/health/live` and `/health/ready` for an orchestrator, beside `/health` (service/app.py), no key needed.

- live: the process answers HTTP; it never touches the store, so a slow or absent database never gets a
  healthy process restarted.
- ready: the store answers and the schema migrations are applied (the store gate applies them on first
  reach, service/gate.py); 503 STORE_UNAVAILABLE otherwise, so a load balancer sends no traffic here yet."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service import http_errors
from service.deps import GateDep, SettingsDep
from service.errors import ErrorCode, StoreUnavailable


def probes_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health/live", include_in_schema=False)
    async def live() -> JSONResponse:
        return JSONResponse({"status": "live"})

    @router.get("/health/ready", include_in_schema=False)
    async def ready(gate: GateDep, settings: SettingsDep) -> JSONResponse:
        try:
            store = await gate.ready()  # pings and migrates until it once succeeded
            await store.ping()  # and the store answers now
        except StoreUnavailable as exc:
            body = {"status": "unavailable", **http_errors.envelope(ErrorCode.STORE_UNAVAILABLE, str(exc))}
            return JSONResponse(body, status_code=ErrorCode.STORE_UNAVAILABLE.status)
        return JSONResponse({"status": "ready", "store": settings.store.value, "migrations": "applied"})

    return router
