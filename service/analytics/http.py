"""`GET /export/network.gexf | network.graphml | nodes.csv | edges.csv` for the analyst and admin
roles, with the same Bearer keys as /graphql. `regionId` and `allianceId` pick the projection; a
region-scoped key gets its own region when it names none and is refused a region outside it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Query, Response

from service import audit, masking
from service.analytics import exports, projection
from service.analytics.projection import Scope
from service.analytics.writeback import Freshness, Stored
from service.auth import Caller, region_within
from service.deps import AnalystDep, StoreDep
from service.errors import Forbidden, NotFound
from service.graph.port import GraphStore

_FORMATS: dict[str, tuple[Callable[[nx.Graph], bytes], str]] = {
    "network.gexf": (exports.gexf, "application/gexf+xml"),
    "network.graphml": (exports.graphml, "application/graphml+xml"),
    "nodes.csv": (exports.nodes_csv, "text/csv; charset=utf-8"),
    "edges.csv": (exports.edges_csv, "text/csv; charset=utf-8"),
}


async def scoped(store: GraphStore, caller: Caller, region_id: str | None) -> str | None:
    """The region to export: the asked one, which must lie within the key's region."""
    if caller.region_id is None:
        return region_id
    if region_id is None or region_id == caller.region_id:
        return caller.region_id
    if await region_within(store, region_id, caller.region_id):
        return region_id
    raise Forbidden(f"region {region_id!r} is outside your key's region {caller.region_id!r}")


def export_router() -> APIRouter:
    router = APIRouter(tags=["export"])

    @router.get("/export/{name}")
    async def export(
        name: str,
        caller: AnalystDep,  # before the store: other keys are refused (401, 403) without asking it
        store: StoreDep,
        region_id: Annotated[str | None, Query(alias="regionId")] = None,
        alliance_id: Annotated[str | None, Query(alias="allianceId")] = None,
    ) -> Response:
        if name not in _FORMATS:
            raise NotFound(f"no export {name!r}; one of {', '.join(_FORMATS)}")
        async with audit.recorded(store, audit.actor_of(caller), f"export:{name}", [region_id, alliance_id]):
            scope = Scope(await scoped(store, caller, region_id), alliance_id)
            network = await projection.load(store, scope)
            # results computed in another scope are stale or not against that scope's network
            freshness = Freshness(store)
            freshness.remember(network)
            scopes = {s.scope for u in network.units.values() if (s := Stored.of(u.node)) is not None}
            versions = {other.key: (await freshness.network(other)).version for other in scopes}
            write, media_type = _FORMATS[name]
            view = None if caller.sees_personal_data else masking.masked_unit_property
            body = write(exports.flat_graph(network, versions, view))
        stem, _, ext = name.partition(".")
        filename = "-".join(filter(None, ["alliance", stem, scope.region_id, scope.alliance_id])) + f".{ext}"
        return Response(body, media_type=media_type, headers={
            "Content-Disposition": content_disposition(filename),
            "X-Graph-Version": network.version,
        })

    return router


def content_disposition(filename: str) -> str:
    """An attachment header for any file name: headers are latin-1 and a line break would end them,
    so the plain `filename` keeps only safe ASCII and `filename*` carries the name itself (RFC 6266)."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
