"""Cursor connections, statistics and graph shapes returned by the root fields."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry
from strawberry.scalars import JSON

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="A page of results; totalCount counts every match, not just this page.")
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    nodes: list[T]


@strawberry.type(description="A count of nodes of one label, kind and status within a region subtree.")
class StatCount:
    label: str
    kind: str | None
    status: str | None
    count: int


@strawberry.type
class RegionStats:
    region_id: strawberry.ID
    total: int
    counts: list[StatCount]


@strawberry.type(description="A relationship between two nodes of a subgraph.")
class GraphEdge:
    type: str
    start: strawberry.ID
    end: strawberry.ID
    properties: JSON


@strawberry.type
class GraphNode:
    id: strawberry.ID
    label: str
    name: str | None = strawberry.field(description="Name or title; masked for members unless admin.")


@strawberry.type
class Subgraph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool
