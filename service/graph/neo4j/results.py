"""Records as the port's values: nodes, items, pages and the keyset parameters that ask for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import neo4j

from service.graph.types import Item, Node, Page, decode_cursor, encode_cursor
from service.model import Label

T = TypeVar("T")
_LABELS = {label.value: label for label in Label}


def to_node(n: neo4j.graph.Node) -> Node:
    return node_of(n.labels, dict(n))


def node_of(labels: Iterable[str], props: dict[str, Any]) -> Node:
    """A node returned as its labels and properties (`labels(n)`, `properties(n)`), not as a driver Node."""
    label = next((_LABELS[x] for x in labels if x in _LABELS), None)
    if label is None:
        raise ValueError(f"node {props.get('id')!r} has no label of the model: {sorted(labels)}")
    return Node(props["id"], label, props)


def to_item(r: Mapping[str, Any]) -> Item:
    """A list item with its claim state and publisher ({n, claimed, remaining, publisherId, publisher?})."""
    publisher = r.get("publisher")
    return Item(to_node(r["n"]), r["claimed"], r["remaining"], r["publisherId"],
                None if publisher is None else to_node(publisher))


def item_of(entry: list[Any]) -> Item:
    """A list item from a listing's entry: [labels, properties, key, publisher id, publisher labels,
    publisher properties, claimed, remaining] (the publisher's null when it has none)."""
    labels, props, _, publisher_id, publisher_labels, publisher, claimed, remaining = entry
    return Item(node_of(labels, props), claimed, remaining, publisher_id,
                None if publisher is None else node_of(publisher_labels, publisher))


def node_entry(entry: list[Any]) -> Node:
    """A node from a listing's entry: [labels, properties, key]."""
    return node_of(entry[0], entry[1])


def after(cursor: str | None) -> dict[str, Any]:
    """The keyset parameters (fragments/keyset.cypher) of the page after `cursor`."""
    if cursor is None:
        return {"afterId": None, "afterKey": None, "afterNulls": 0}
    key, node_id = decode_cursor(cursor)
    return {"afterId": node_id, "afterKey": key, "afterNulls": 1 if key is None else 0}


def listed(rows: list[neo4j.Record], first: int, fn: Callable[[list[Any]], T]) -> Page[T]:
    """A page from a listing's one record: `total`, and `rows`, up to `first + 1` entries [labels,
    properties, key, ...] in order (none when the region asked for does not exist: no record)."""
    if not rows:
        return Page([], 0, None, False)
    total, entries = rows[0]["total"], rows[0]["rows"]
    if not entries:
        return Page([], total, None, False)
    kept = entries[:first]
    last = kept[-1]
    return Page([fn(e) for e in kept], total, encode_cursor(last[2], last[1]["id"]), len(entries) > first)


def page(rows: list[neo4j.Record], first: int, fn: Callable[[neo4j.Record], T]) -> Page[T]:
    """A page from up to `first + 1` rows; every row carries the total, an empty listing one row
    with a null `n`."""
    total = rows[0]["total"] if rows else 0
    rows = [r for r in rows if r["n"] is not None]
    if not rows:
        return Page([], total, None, False)
    kept = rows[:first]
    last = kept[-1]
    return Page([fn(r) for r in kept], total, encode_cursor(last["key"], last["n"]["id"]), len(rows) > first)
