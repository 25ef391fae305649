"""The request dependencies, in one place: settings, store, caller and role guards as `Annotated`
aliases for routers to declare (`store: StoreDep`, `caller: AnalystDep`).

Everything comes from `app.state`, filled once by service/app.py; routers never import the app.
Every dependency is `async def`: FastAPI runs a plain `def` dependency in a worker thread, and the
thread hops cost more than the work (a cached GraphQL answer took twice as long with them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from service.analytics.runs import AnalysisRuns
from service.auth import Caller, KeyRing, bearer_key
from service.gate import StoreGate
from service.graph.port import GraphStore
from service.keys import StoredKeys, key_id_of
from service.rate_limit import RateLimits
from service.request_record import note_caller
from service.roles import ANALYSTS
from service.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_gate(request: Request) -> StoreGate:
    gate: StoreGate = request.app.state.gate
    return gate


async def get_runs(request: Request) -> AnalysisRuns:
    runs: AnalysisRuns = request.app.state.runs
    return runs


async def get_store(gate: Annotated[StoreGate, Depends(get_gate)]) -> GraphStore:
    """The store, migrated; STORE_UNAVAILABLE (503) while it does not answer."""
    return await gate.ready()


async def get_key_ring(request: Request) -> KeyRing:
    keys: KeyRing = request.app.state.keys
    return keys


SettingsDep = Annotated[Settings, Depends(get_settings)]
GateDep = Annotated[StoreGate, Depends(get_gate)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
KeyRingDep = Annotated[KeyRing, Depends(get_key_ring)]


async def caller_of(request: Request, authorization: str | None) -> Caller:
    """The caller of a Bearer key: one of ALLIANCE_API_KEYS, else a stored key (`ag_<id>_…`, service/keys.py,
    which asks the store at most once a window); UNAUTHENTICATED (401) otherwise, KEY_REVOKED or KEY_EXPIRED
    (401) for a stored key that no longer works, RATE_LIMITED (429) for one over its rate (service/rate_limit.py)."""
    keys = await get_key_ring(request)
    secret = bearer_key(authorization)
    if secret is None or key_id_of(secret) is None or keys.lookup(secret) is not None:
        caller = keys.authenticate(authorization)
    else:
        stored: StoredKeys = request.app.state.stored_keys
        caller = await stored.authenticate(await get_store(await get_gate(request)), secret)
    note_caller(caller.key_id, caller.role.value)  # for the access log: the key's id and role, never the key
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    if limits is not None:
        limits.take(caller.key_id, caller.role)  # RATE_LIMITED (429) past the key's rate
    return caller


async def get_caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    """The caller of the request's Bearer key; UNAUTHENTICATED (401) without a configured one."""
    return await caller_of(request, authorization)


CallerDep = Annotated[Caller, Depends(get_caller)]


async def require_analyst(caller: CallerDep) -> Caller:
    caller.require_role(ANALYSTS, "exporting the network")
    return caller


async def require_importer(caller: CallerDep) -> Caller:
    """An importer or admin key; a region-scoped one loads only the rows inside its region (loaders/scope.py)."""
    caller.require_writer("importing files")
    return caller


AnalystDep = Annotated[Caller, Depends(require_analyst)]
ImporterDep = Annotated[Caller, Depends(require_importer)]
