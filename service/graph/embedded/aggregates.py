"""Sums and distinct counts over a listing's selection in the memory graph: the mirrors of
item_totals.cypher and link_totals_out / _in.cypher (the same filters, scope and nulls)."""

from __future__ import annotations

from service.graph import records
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals, check_link_query
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.listings import matches, matching_items
from service.graph.embedded.scope import scoped, within
from service.graph.types import ItemQuery
from service.model import RelType
from service.registry import WITHDRAWABLE


def item_totals(ex: EmbeddedExecutor, query: ItemQuery) -> ItemTotals:
    records.check_item_query(query)
    items = 0
    quantity = claimed = 0.0
    publishers: set[str] = set()
    with ex.reading() as mem:
        for node in matching_items(mem, query):
            items += 1
            quantity += node.props.get("quantity") or 0
            claimed += node.props.get("claimed") or 0
            publishers.update(mem.into(node.id, RelType.PUBLISHED))
    return ItemTotals(items, quantity, claimed, quantity - claimed, len(publishers))


def link_totals(ex: EmbeddedExecutor, query: LinkQuery) -> LinkTotals:
    check_link_query(query)
    label = records.as_label(query.nodes.label)
    selected = linked = 0
    reached: set[str] = set()
    with ex.reading() as mem:
        regions = scoped(mem, query.nodes.region_id)
        current = label in WITHDRAWABLE and not query.nodes.include_withdrawn  # fragments/node_current.cypher
        for node_id in mem.by_label[label]:
            node = mem.nodes[node_id]
            if current and node.props.get("withdrawn") is not None:
                continue
            if not all(matches(node.props, c) for c in query.nodes.where) or not within(mem, node, regions):
                continue
            selected += 1
            ends = {
                other for other, props in mem.related(node_id, query.type, query.outgoing)
                if all(matches(props, c) for c in query.where) and within(mem, mem.nodes[other], regions)
            }
            linked += bool(ends)
            reached |= ends
    return LinkTotals(selected, linked, len(reached))
