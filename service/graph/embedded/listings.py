"""Filtered, sorted, keyset-paginated listings over the memory graph, with Cypher's semantics:
conditions false on nulls and mistyped values, nulls last, ties broken on id (the mirrors of
list_nodes.cypher, list_items.cypher and fragments/conds, keyset)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.ordered import item_facet, sort_key
from service.graph.types import Condition, Item, ItemQuery, Node, Op, Page, Query, decode_cursor, encode_cursor
from service.model import Label, RelType
from service.registry import WITHDRAWABLE, label_spec

T = TypeVar("T")


def list_nodes(ex: EmbeddedExecutor, query: Query) -> Page[Node]:
    records.check_query(query)
    label = records.as_label(query.label)
    with ex.reading() as mem:
        regions = mem.subtree(query.region_id) if query.region_id is not None else None
        current = label in WITHDRAWABLE and not query.include_withdrawn  # fragments/node_current.cypher

        def selected(node: Node) -> bool:
            return all(matches(node.props, c) for c in query.where) \
                and not (current and node.props.get("withdrawn") is not None) \
                and (regions is None or mem.in_scope(node, regions))

        if query.order_by not in label_spec(label).sortable:  # no index for it: select, then sort
            found = [mem.nodes[i] for i in mem.by_label[label] if selected(mem.nodes[i])]
            return _page([(n.props.get(query.order_by), n.id, n) for n in found], query.first, query.after,
                         query.descending)
        # the label's count (less its withdrawn nodes for a listing of current ones), or one pass when
        # conditions or a region select; the page walks the key's ordered index from the cursor and stops after it
        if not query.where and regions is None:
            total = len(mem.by_label[label]) - (mem.withdrawn[label] if current else 0)
        else:
            total = sum(selected(mem.nodes[i]) for i in mem.by_label[label])
        return _walked(mem, label, query.order_by, query.descending, query.after, query.first, selected, total)


def list_items(ex: EmbeddedExecutor, query: ItemQuery) -> Page[Item]:
    records.check_item_query(query)
    with ex.reading() as mem:
        if query.publisher_id is None and query.region_id is None and \
           query.order_by in label_spec(Label.LIST_ITEM).sortable:
            # the total from the filter combinations' counts, the page from the key's ordered index
            total = mem.item_facets.total(query.list, query.category, query.status, query.unclaimed,
                                          query.include_withdrawn)
            nodes = _walked(mem, Label.LIST_ITEM, query.order_by, query.descending, query.after, query.first,
                            lambda n: _item_selected(n.props, query) and _current(n.props, query), total)
            return Page([_item(mem, n) for n in nodes.items], nodes.total, nodes.end_cursor, nodes.has_next)
        # a publisher's few items, or a region's: select them, then take the page
        rows = [(node.props.get(query.order_by), node.id, node) for node in matching_items(mem, query)]
        cursor = decode_cursor(query.after) if query.after is not None else None
        kept, has_next = keyset_page(rows, cursor, query.descending, query.first)
        items = [_item(mem, node) for _, _, node in kept]
    end = encode_cursor(kept[-1][0], kept[-1][1]) if kept else None
    return Page(items, len(rows), end, has_next)


def _walked(mem: MemoryGraph, label: Label, key: str, descending: bool, after: str | None, first: int,
            selected: Callable[[Node], bool], total: int) -> Page[Node]:
    """The page after the cursor from the ordered index of `key`: the first `first` selected nodes."""
    cursor = decode_cursor(after) if after is not None else None
    kept: list[Node] = []
    for node_id in mem.ordered(label, key).walk(descending, cursor):
        node = mem.nodes[node_id]
        if selected(node):
            kept.append(node)
            if len(kept) > first:
                break
    page, has_next = kept[:first], len(kept) > first
    end = encode_cursor(page[-1].props.get(key), page[-1].id) if page else None
    return Page(page, total, end, has_next)


def _current(p: dict[str, Any], query: ItemQuery) -> bool:
    """Not withdrawn, unless the query asks for withdrawn items too (fragments/item_current.cypher)."""
    return query.include_withdrawn or p.get("withdrawn") is None


def _item_selected(p: dict[str, Any], query: ItemQuery) -> bool:
    """The list, category, status and unclaimed filters (fragments/item_*.cypher)."""
    return not ((query.list is not None and p.get("list") != query.list) or
                (query.category is not None and p.get("category") != query.category) or
                (query.status is not None and p.get("status") != query.status) or
                (query.unclaimed is not None and item_facet(p)[3] is not query.unclaimed))


def matching_items(mem: MemoryGraph, query: ItemQuery) -> Iterator[Node]:
    """The list items the query's filters select, in no order (fragments/item_*.cypher)."""
    if query.publisher_id is not None:
        # a publisher's own items: walk its PUBLISHED edges instead of every item
        candidates: Iterable[str] = [
            i for i in mem.out(query.publisher_id, RelType.PUBLISHED) if mem.has_label(i, Label.LIST_ITEM)
        ]
    elif query.list is not None:
        candidates = mem.items_by_list.get(query.list, set())
    else:
        candidates = mem.by_label[Label.LIST_ITEM]
    regions = mem.subtree(query.region_id) if query.region_id is not None else None
    for i in candidates:
        node = mem.nodes[i]
        if not _item_selected(node.props, query):
            continue
        if not _current(node.props, query):
            continue
        if regions is not None and not mem.in_scope(node, regions):
            continue
        yield node


def _page(rows: list[tuple[Any, str, T]], first: int, after: str | None, descending: bool) -> Page[T]:
    cursor = decode_cursor(after) if after is not None else None
    kept, has_next = keyset_page(rows, cursor, descending, first)
    end = encode_cursor(kept[-1][0], kept[-1][1]) if kept else None
    return Page([r[2] for r in kept], len(rows), end, has_next)


def _item(mem: MemoryGraph, node: Node) -> Item:
    claimed = node.props.get("claimed", 0)
    publishers = sorted(mem.into(node.id, RelType.PUBLISHED))
    first = publishers[0] if publishers else None
    return Item(node, claimed, node.props.get("quantity", 0) - claimed, first,
                None if first is None else mem.nodes.get(first))




def _comparable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return True
    return type(a) is type(b)


def _equal(a: Any, b: Any) -> bool:
    return a is not None and b is not None and _comparable(a, b) and a == b


def matches(props: dict[str, Any], condition: Condition) -> bool:
    """A condition with Cypher's semantics: null or mistyped comparisons are false."""
    value, target = props.get(condition.prop), condition.value
    if value is None:
        return False
    op = condition.op
    if op is Op.EQ:
        return _equal(value, target)
    if op is Op.IN:
        return any(_equal(value, t) for t in target)
    if op in (Op.CONTAINS, Op.STARTS_WITH):
        if not (isinstance(value, str) and isinstance(target, str)):
            return False
        return target in value if op is Op.CONTAINS else value.startswith(target)
    if not _comparable(value, target):
        return False
    return bool(value >= target) if op is Op.GTE else bool(value <= target)


def keyset_page(
    rows: Iterable[tuple[Any, str, T]],
    after: tuple[Any, str] | None,
    descending: bool,
    first: int,
) -> tuple[list[tuple[Any, str, T]], bool]:
    """The next `first` rows (key, id, payload) after the cursor, nulls last and ties on id, and
    whether more follow. A partial selection (heapq) instead of a full sort: a page of 50 from
    13k rows costs a pass, not a sort."""
    if descending:
        # largest first, then the nulls by descending id: one key that nlargest orders right
        def order(row: tuple[Any, str, Any]) -> tuple[Any, ...]:
            return (row[0] is not None, sort_key(row[0]), row[1])
    else:
        def order(row: tuple[Any, str, Any]) -> tuple[Any, ...]:
            return (sort_key(row[0]), row[1])

    candidates: Iterable[tuple[Any, str, T]] = rows
    if after is not None:
        cursor = order((after[0], after[1], None))
        candidates = (r for r in rows if (order(r) < cursor if descending else order(r) > cursor))
    pick = heapq.nlargest if descending else heapq.nsmallest
    kept = pick(first + 1, candidates, key=order)
    return kept[:first], len(kept) > first


