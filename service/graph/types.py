"""What travels through the GraphStore port (service/graph/port.py): nodes, edges, the rows
and results of writes, queries and their pages, and the cursors that page them.

Nodes are addressed by `id`, unique across the whole graph (every node also carries the shared
`Entity` label in Neo4j), so `get_node(id)` needs no label; each label keeps its own uniqueness too.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from service.errors import ValidationFailed
from service.model import Label, RelType

Props = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: Label
    props: Props

    def get(self, key: str, default: Any = None) -> Any:
        return self.props.get(key, default)


@dataclass(frozen=True, slots=True)
class Edge:
    type: RelType
    start: str
    end: str
    props: Props = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelRow:
    """One relationship to upsert, its ends named by id."""

    start: str
    end: str
    props: Props = field(default_factory=dict)


@dataclass(slots=True)
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass(frozen=True, slots=True)
class RelGroup:
    """Relationships of one type between two labels, one part of an upsert_batch.

    When the registry declares the type single-valued at one end, writing (a)-[:T]->(b) first
    removes the other T relationships of that end (from a to another end, or into b from another
    start, whatever its label); with the type's `per` property as well, only those whose `per`
    equals the row's (PARTY_TO: one party per role). Every write applies it: API and loaders alike.
    """

    type: RelType
    start: Label
    end: Label
    rows: Sequence[RelRow]


@dataclass(slots=True)
class BatchResult:
    nodes: list[UpsertResult] = field(default_factory=list)  # one per node group, in order
    relationships: list[UpsertResult] = field(default_factory=list)  # one per RelGroup, in order
    removed: int = 0  # relationships removed because a single-valued one replaced them


class Op(StrEnum):
    EQ = "eq"
    IN = "in"
    CONTAINS = "contains"
    STARTS_WITH = "startsWith"
    GTE = "gte"
    LTE = "lte"


@dataclass(frozen=True, slots=True)
class Condition:
    """`prop op value`; dates compare as ISO strings, which order correctly."""

    prop: str
    op: Op
    value: Any


@dataclass(frozen=True, slots=True)
class Query:
    """A filtered, sorted, keyset-paginated listing of one label."""

    label: Label
    where: tuple[Condition, ...] = ()
    region_id: str | None = None  # restrict to nodes within this region subtree
    order_by: str = "id"
    descending: bool = False
    first: int = 50
    after: str | None = None  # an opaque cursor from a previous Page
    include_withdrawn: bool = False  # withdrawn units, agreements and items too (an admin's listing)


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """The needs / resources / projects lists, with claim state."""

    list: str | None = None
    category: str | None = None
    status: str | None = None
    publisher_id: str | None = None
    region_id: str | None = None
    unclaimed: bool | None = None  # True: remaining > 0; False: fully claimed
    order_by: str = "id"
    descending: bool = False
    first: int = 50
    after: str | None = None
    include_withdrawn: bool = False  # withdrawn items too (an admin's listing)
    with_publisher: bool = True  # each item's publisher read with it (False: its id only; the caller asks none)


@dataclass(frozen=True, slots=True)
class Item:
    node: Node
    claimed: float
    remaining: float
    publisher_id: str | None
    publisher: Node | None = None  # the unit of publisher_id, read with the item (no second look-up)


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    end_cursor: str | None
    has_next: bool


@dataclass(slots=True)
class Subgraph:
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Pairing:
    unit: Node
    agreements: list[Node]


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    item_id: str
    claimant_id: str
    quantity: float
    on: str
    status: str
    remaining: float  # the item's remaining quantity after this change
    created: bool  # False when the claim id already existed (an idempotent repeat)


@dataclass(frozen=True, slots=True)
class Count:
    label: Label
    kind: str | None
    status: str | None
    count: int


@dataclass(frozen=True, slots=True)
class Related:
    """A neighbour reached over one relationship type, with that relationship's properties."""

    source_id: str
    node: Node
    props: Props


@dataclass(frozen=True, slots=True)
class Tie:
    """An agreement or alliance a unit belongs to, with how many units belong to it in all."""

    id: str
    size: int


@dataclass(frozen=True, slots=True)
class UnitTies:
    """One unit of the analytics projection and what it shares with others."""

    node: Node
    region_id: str | None  # where it is LOCATED_IN (the smallest id when several)
    agreements: tuple[Tie, ...]  # ACTIVE agreements it is PARTY_TO, sizes = parties
    alliances: tuple[Tie, ...]  # alliances it is MEMBER_OF or LED_BY, sizes = organisations
    claimed_from: tuple[str, ...]  # the publisher of each item it holds an ACTIVE claim on
    signed: int  # agreements of any status it is PARTY_TO
    published: int  # list items it published
    claims: int  # ACTIVE claims it holds


@dataclass(frozen=True, slots=True)
class CoverageFacts:
    unpaired: list[Node]  # regions
    aging: list[Item]
    idle: list[Node]  # units


def encode_cursor(sort_value: Any, node_id: str) -> str:
    raw = json.dumps([sort_value, node_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


MAX_CURSOR = 4096  # characters; a cursor this service issues holds one sort value and one id


def decode_cursor(cursor: str) -> tuple[Any, str]:
    shown = cursor if len(cursor) <= 80 else f"{cursor[:40]}… ({len(cursor)} characters)"
    if len(cursor) > MAX_CURSOR:
        raise ValidationFailed(f"cursor {shown!r} is not one this service issued: longer than {MAX_CURSOR} characters")
    try:
        value, node_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, RecursionError) as exc:  # RecursionError: deeply nested JSON
        raise ValidationFailed(f"cursor {shown!r} is not one this service issued") from exc
    if not isinstance(node_id, str) or isinstance(value, (list, dict)):
        raise ValidationFailed(f"cursor {shown!r} is not one this service issued")
    return value, node_id
