"""GET / (the landing page), /explore and /dashboard (the built pages), /web/* (their assets), POST /explore/layout.
GraphiQL's page (web/graphiql.html) is served at GET /graphql by service/api/router.py, through graphiql_page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from service.deps import CallerDep
from service.errors import AllianceError, ErrorCode, NotFound, ValidationFailed
from service.web.layout import spring_positions

STATIC = Path(__file__).parent / "static"
MAX_LAYOUT_NODES = 20_000
MAX_LAYOUT_EDGES = 200_000


class LayoutRequest(BaseModel):
    """The shape of a view only: how many nodes, and edges as pairs of node indexes."""

    count: int = Field(ge=0, le=MAX_LAYOUT_NODES)
    edges: list[tuple[int, int]] = Field(default_factory=list, max_length=MAX_LAYOUT_EDGES)
    seed: int = Field(default=7, ge=0, lt=2**32)  # numpy's and networkx's seeds: 0 to 2³²−1


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

    @router.post("/explore/layout")
    async def layout(body: LayoutRequest, caller: CallerDep) -> LayoutResponse:
        for a, b in body.edges:
            if not (0 <= a < body.count and 0 <= b < body.count):
                raise ValidationFailed("edge names a node outside count")
        positions, algorithm = await asyncio.to_thread(spring_positions, body.count, body.edges, body.seed)
        return LayoutResponse(positions=positions, algorithm=algorithm)

    return router

