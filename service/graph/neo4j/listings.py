"""Filtered, sorted, keyset-paginated listings: nodes of one label, and list items with their claim
state. One statement per page; the keyset and the region scope are Cypher fragments."""

from __future__ import annotations

from service.graph import records
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import after, page, to_item, to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Item, ItemQuery, Node, Page, Query


async def list_nodes(ex: Neo4jExecutor, query: Query) -> Page[Node]:
    records.check_query(query)
    label = records.as_label(query.label)
    params = {
        "regionId": query.region_id,
        "conds": [{"prop": c.prop, "op": c.op.value, "value": c.value} for c in query.where],
        "orderBy": query.order_by,
        "limit": query.first + 1,
        **after(query.after),
    }
    rows = await ex.run(statement("list_nodes", label=label, descending=query.descending), params)
    return page(rows, query.first, lambda r: to_node(r["n"]))


async def list_items(ex: Neo4jExecutor, query: ItemQuery) -> Page[Item]:
    records.check_item_query(query)
    params = {
        "regionId": query.region_id,
        "list": query.list,
        "category": query.category,
        "status": query.status,
        "publisherId": query.publisher_id,
        "unclaimed": query.unclaimed,
        "orderBy": query.order_by,
        "limit": query.first + 1,
        **after(query.after),
    }
    rows = await ex.run(statement("list_items", descending=query.descending), params)
    return page(rows, query.first, to_item)
