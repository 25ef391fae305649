"""Sums and distinct counts over a listing's selection, one statement each (item_totals.cypher,
link_totals_out / _in.cypher): the listing's filters and region scope, no page."""

from __future__ import annotations

from service.graph import records
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals, check_link_query
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.listings import item_filters, node_filters
from service.graph.neo4j.statements import statement
from service.graph.types import Condition, ItemQuery


def _conds(conditions: tuple[Condition, ...]) -> list[dict[str, object]]:
    return [{"prop": c.prop, "op": c.op.value, "value": c.value} for c in conditions]


async def item_totals(ex: Neo4jExecutor, query: ItemQuery) -> ItemTotals:
    records.check_item_query(query)
    params = {
        "regionId": query.region_id,
        "list": query.list,
        "category": query.category,
        "status": query.status,
        "publisherId": query.publisher_id,
        "unclaimed": query.unclaimed,
    }
    rows = await ex.run(statement("item_totals", filters=item_filters(query)), params)
    if not rows:
        return ItemTotals(0, 0, 0, 0, 0)
    r = rows[0]
    return ItemTotals(r["items"], r["quantity"], r["claimed"], r["remaining"], r["publishers"])


async def link_totals(ex: Neo4jExecutor, query: LinkQuery) -> LinkTotals:
    check_link_query(query)
    name = "link_totals_out" if query.outgoing else "link_totals_in"
    text = statement(name, scoped=query.nodes.region_id is not None, filters=node_filters(query.nodes),
                     label=records.as_label(query.nodes.label), type=records.as_rel_type(query.type))
    params = {"regionId": query.nodes.region_id, "conds": _conds(query.nodes.where), "relConds": _conds(query.where)}
    rows = await ex.run(text, params)
    if not rows:
        return LinkTotals(0, 0, 0)
    r = rows[0]
    return LinkTotals(r["nodes"], r["linked"], r["reached"])
