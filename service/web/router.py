"""GET / (the landing page), /explore and /dashboard (the built pages), /web/* (their assets), POST /explore/layout.
GraphiQL's page (web/graphiql.html) is served at GET /graphql by service/api/router.py, through graphiql_page."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError

from service.deps import CallerDep
from service.errors import AllianceError, ErrorCode, NotFound, OverLimit, ValidationFailed
from service.roles import Role
from service.web.layout import spring_positions

STATIC = Path(__file__).parent / "static"
MAX_LAYOUT_NODES = 20_000
MAX_LAYOUT_EDGES = 200_000
# The views each role may have laid out (nodes, edges): the explorer's analysts see whole networks,
# a viewer's up to the 10,000-node, 50,000-edge view bench/bench_web.py opens.
LAYOUT_CAPS: Mapping[Role, tuple[int, int]] = {
    Role.VIEWER: (10_000, 50_000), Role.IMPORTER: (10_000, 50_000),
    Role.ANALYST: (MAX_LAYOUT_NODES, MAX_LAYOUT_EDGES), Role.ADMIN: (MAX_LAYOUT_NODES, MAX_LAYOUT_EDGES),
}


class LayoutRequest(BaseModel):
    """The shape of a view only: how many nodes, and edges as pairs of node indexes."""

    count: int = Field(ge=0, le=MAX_LAYOUT_NODES)
    edges: list[tuple[int, int]] = Field(default_factory=list, max_length=MAX_LAYOUT_EDGES)
    seed: int = Field(default=7, ge=0, lt=2**32)  # numpy's and networkx's seeds: 0 to 2³²−1


# the body the route reads itself (raw, to count its edges before parsing), for the OpenAPI document
_LAYOUT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": LayoutRequest.model_json_schema()}}}}


class LayoutResponse(BaseModel):
    positions: list[tuple[float, float]]
    algorithm: str


class PagesNotBuilt(AllianceError):
    code = ErrorCode.NOT_BUILT


def _page(name: str) -> FileResponse:
    path = STATIC / f"{name}.html"
    if not path.is_file():
        raise PagesNotBuilt("the web pages are not built; run `make web`")
    # the HTML names content-hashed assets, so it must not be cached past a rebuild
    return FileResponse(path, media_type="text/html", headers={"Cache-Control": "no-cache"})


def graphiql_page() -> FileResponse:
    """GraphiQL built into the service's assets (no CDN); it asks for the API key itself."""
    return _page("graphiql")


def _asset(path: str) -> FileResponse:
    root = STATIC.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file() or target.suffix not in _TYPES:
        raise NotFound("no such asset")
    # asset names carry a content hash: cache them for good
    return FileResponse(target, media_type=_TYPES[target.suffix],
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


def web_router() -> APIRouter:
    router = APIRouter(tags=["web"])

    @router.get("/", include_in_schema=False)
    async def home() -> FileResponse:
        return _page("index")

    @router.get("/explore", include_in_schema=False)
    async def explore() -> FileResponse:
        return _page("explore")

    @router.get("/dashboard", include_in_schema=False)
    async def dashboard() -> FileResponse:
        return _page("dashboard")

    @router.get("/web/{path:path}", include_in_schema=False)
    async def asset(path: str) -> FileResponse:
        return _asset(path)

    @router.post("/explore/layout", openapi_extra=_LAYOUT_BODY)
    async def layout(request: Request, caller: CallerDep) -> LayoutResponse:
        """The view's size is checked against the caller's role before its edges are parsed (a
        near-complete graph of 1,000 nodes cost a viewer 12 s of CPU); the layout runs in a worker
        thread, its iterations scaled to a bounded amount of work (service/web/layout.py)."""
        raw = await request.body()
        most_nodes, most_edges = LAYOUT_CAPS[caller.role]
        sent = max(raw.count(b"[") - 1, 0)  # one bracketed pair an edge, counted in C before any parsing
        if sent > most_edges:
            raise OverLimit(f"the view has about {sent:,} edges; a {caller.role} may lay out {most_edges:,}")
        try:
            body = LayoutRequest.model_validate_json(raw)
        except ValidationError as exc:
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
        if body.count > most_nodes or len(body.edges) > most_edges:
            raise OverLimit(f"the view has {body.count:,} nodes and {len(body.edges):,} edges; a {caller.role} "
                            f"may lay out {most_nodes:,} nodes and {most_edges:,} edges")
        for a, b in body.edges:
            if not (0 <= a < body.count and 0 <= b < body.count):
                raise ValidationFailed("edge names a node outside count")
        positions, algorithm = await asyncio.to_thread(spring_positions, body.count, body.edges, body.seed)
        return LayoutResponse(positions=positions, algorithm=algorithm)

    return router

