"""Cursor connections: a store page as a GraphQL page of any object type, each edge with its cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import strawberry

from service.graph.types import Node, Page, encode_cursor

T = TypeVar("T")
S = TypeVar("S")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One result with the cursor that pages on from it.")
class ConnectionEdge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results; totalCount counts every match, not just this page. "
                             "`nodes` for the results alone, `edges` for each with its own cursor.")
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    nodes: list[T]
    keys: strawberry.Private[list[tuple[object, str]]]  # each node's (sort value, id): its cursor, made if asked

    @strawberry.field
    def edges(self) -> list[ConnectionEdge[T]]:
        return [ConnectionEdge(cursor=encode_cursor(*k), node=n) for k, n in zip(self.keys, self.nodes, strict=True)]


def _itself(found: Any) -> Node:
    return cast(Node, found)


def connection(
    page: Page[S], order_by: str, wrap: Callable[[S], T], node_of: Callable[[S], Node] = _itself
) -> Connection[T]:
    """A store page as a connection; each edge's cursor is the keyset position of its node, the
    same encoding the store gives the page's end. `node_of` finds the node in a page of something
    else (a listing's items)."""
    def key(n: Node) -> object:
        return n.id if order_by == "id" else n.props.get(order_by)

    nodes = [node_of(found) for found in page.items]
    return Connection(
        total_count=page.total, nodes=[wrap(found) for found in page.items], keys=[(key(n), n.id) for n in nodes],
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
    )
