"""Subgraphs: nodes and relationships as the explorer draws them."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON


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
