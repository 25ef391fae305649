"""Filtered, sorted, keyset-paginated listings: nodes of one label, and list items with their claim
state. One statement per page; the keyset and the region scope are Cypher fragments."""

from __future__ import annotations

from typing import LiteralString

from service.graph import records
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import after, item_of, listed, node_entry
from service.graph.neo4j.statements import statement
from service.graph.types import Item, ItemQuery, Node, Page, Query
from service.model import Label
from service.registry import REGION_ENTRIES, WITHDRAWABLE, label_spec, region_paths

REGIONED = frozenset(label for path in region_paths() for label in path.labels)  # labels with a region path


def _by_entry(query: Query | ItemQuery, filters: tuple[str, ...]) -> tuple[tuple[str, str | None], ...] | None:
    """The pieces of a region's page read from its entries (schema/013_region_entries.cypher): by id, with no
    filter but withdrawn left out; None for any other page (walked from the region down)."""
    if query.order_by != "id" or not set(filters) <= {"node_current", "item_current"}:
        return None
    return (("AFTER", "entry_after" if query.after is not None else None),)


def node_filters(query: Query) -> tuple[str, ...]:
    """The filter fragments of a node listing: its conditions only when it has some; withdrawn
    nodes left out of a withdrawable label unless asked for."""
    current = query.label in WITHDRAWABLE and not query.include_withdrawn
    return (("node_conds",) if query.where else ()) + (("node_current",) if current else ())


def item_filters(query: ItemQuery) -> tuple[str, ...]:
    """The filter fragments of an item listing: only the filters given, so each can seek an index."""
    given = (
        ("item_list", query.list is not None),
        ("item_category", query.category is not None),
        ("item_status", query.status is not None),
        ("item_publisher", query.publisher_id is not None),
        ("item_region", query.region_id is not None),
        ("item_unclaimed", query.unclaimed is True),  # on the kept `remaining`: a range seek each
        ("item_exhausted", query.unclaimed is False),
        ("item_current", not query.include_withdrawn),
    )
    return tuple(name for name, on in given if on)


def node_statement(query: Query) -> LiteralString:
    """The statement of a node listing's page (variants by what the query gives, never by its text)."""
    label = records.as_label(query.label)
    scoped, filters = query.region_id is not None, node_filters(query)
    entries = _by_entry(query, filters) if scoped and label in REGION_ENTRIES else None
    if entries is not None:  # the region's entries in id order: costs the page
        return statement("list_nodes_by_entry", label=label, filters=filters, descending=query.descending,
                         pieces=entries)
    if scoped and label in REGIONED:  # driven from the region down: costs the region, not the label's nodes
        return statement("list_nodes_in_region", from_root=label, filters=filters, descending=query.descending)
    if query.order_by in label_spec(label).sortable:  # named in the text: an index-ordered scan
        return statement("list_nodes_ordered", label=label, scoped=scoped, filters=filters,
                         descending=query.descending, key=query.order_by)
    return statement("list_nodes", label=label, scoped=scoped, filters=filters, descending=query.descending)


def item_statement(query: ItemQuery) -> LiteralString:
    """The statement of an item listing's page (variants by what the query gives, never by its text)."""
    if query.region_id is not None:  # driven from the region down: costs the region, not the province's items
        filters = tuple(f for f in item_filters(query) if f != "item_region")
        entries = _by_entry(query, filters)
        if entries is not None:  # the region's entries in id order: costs the page
            return statement("list_items_by_entry", filters=filters, descending=query.descending, pieces=entries)
        return statement("list_items_in_region", from_root=Label.LIST_ITEM, filters=filters,
                         descending=query.descending)
    if query.order_by in label_spec(Label.LIST_ITEM).sortable:  # named in the text: an index-ordered scan
        filters, on_one_list = item_filters(query), query.list is not None
        # by id, the id index in order (within the list's) unless a publisher or region selects few
        walk_ids = query.order_by == "id" and query.publisher_id is None and query.region_id is None
        pieces = (("WITHIN", "order_within_list" if on_one_list else None),
                  ("HINT", ("hint_list_id" if on_one_list else "hint_id") if walk_ids else None))
        return statement("list_items_ordered", filters=filters, descending=query.descending,
                         key=query.order_by, pieces=pieces)
    return statement("list_items", filters=item_filters(query), descending=query.descending)


async def list_nodes(ex: Neo4jExecutor, query: Query) -> Page[Node]:
    records.check_query(query)
    params = {
        "regionId": query.region_id,
        "conds": [{"prop": c.prop, "op": c.op.value, "value": c.value} for c in query.where],
        "orderBy": query.order_by,
        "limit": query.first + 1,
        **after(query.after),
    }
    rows = await ex.run(node_statement(query), params)
    return listed(rows, query.first, node_entry)


async def list_items(ex: Neo4jExecutor, query: ItemQuery) -> Page[Item]:
    records.check_item_query(query)
    params = {
        "regionId": query.region_id,
        "list": query.list,
        "category": query.category,
        "status": query.status,
        "publisherId": query.publisher_id,
        "unclaimed": query.unclaimed,
        "withPublisher": query.with_publisher,
        "orderBy": query.order_by,
        "limit": query.first + 1,
        **after(query.after),
    }
    rows = await ex.run(item_statement(query), params)
    return listed(rows, query.first, item_of)
