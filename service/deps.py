"""The request dependencies, in one place: settings, store, caller and role guards as `Annotated`
aliases for routers to declare (`store: StoreDep`, `caller: AnalystDep`).

Everything comes from `app.state`, filled once by service/app.py; routers never import the app.
Every dependency is `async def`: FastAPI runs a plain `def` dependency in a worker thread, and the
thread hops cost more than the work (a cached GraphQL answer took twice as long with them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from service.analytics.runs import AnalysisRuns
from service.auth import Caller, KeyRing
from service.gate import StoreGate
from service.graph.port import GraphStore
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


async def get_caller(keys: KeyRingDep, authorization: Annotated[str | None, Header()] = None) -> Caller:
    """The caller of the request's Bearer key; UNAUTHENTICATED (401) without a configured one."""
    return keys.authenticate(authorization)


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
