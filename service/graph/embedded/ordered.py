"""Ordered indexes of the embedded store: per (label, sortable property), the nodes in the order a
listing sorts them (Cypher's order of values, nulls last, ties on id), so a page walks from its
cursor and stops after the page instead of sorting the whole label; and per list-item filter
combination, how many items have it, so a listing's total needs no pass over the items.

An ordered index is built on first use (a load writes without paying for it) and kept up to date
by each later write; after many writes it is dropped and built again on the next read, which
costs less than moving a long list for every row of a bulk load."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from service.graph.types import Node

REBUILD_AFTER = 2_000  # incremental updates before an index is dropped (and rebuilt when next read)
_NULL = (1, 0, 0)  # sort_key(None): after every value


def sort_key(value: Any) -> tuple[int, int, Any]:
    """Cypher orders values of different types String < Boolean < Number; nulls last."""
    if value is None:
        return _NULL
    if isinstance(value, str):
        return (0, 0, value)
    if isinstance(value, bool):
        return (0, 1, value)
    if isinstance(value, (int, float)):
        return (0, 2, value)
    return (0, 3, str(value))


Entry = tuple[tuple[int, int, Any], str]


class OrderedIndex:
    """The ids of one label sorted by (sort_key(props[key]), id)."""

    def __init__(self, key: str, nodes: Iterable[Node]) -> None:
        self.key = key
        self.entries: list[Entry] = sorted((sort_key(n.props.get(key)), n.id) for n in nodes)
        self.updates = 0

    def replace(self, old: Node | None, new: Node) -> None:
        if old is not None:
            before = (sort_key(old.props.get(self.key)), old.id)
            at = bisect_left(self.entries, before)
            if at < len(self.entries) and self.entries[at] == before:
                del self.entries[at]
        insort(self.entries, (sort_key(new.props.get(self.key)), new.id))
        self.updates += 1

    def walk(self, descending: bool, after: tuple[Any, str] | None) -> Iterator[str]:
        """Ids in page order from just after the cursor (key, id): ascending, values then nulls by
        id; descending, values from the largest then nulls by descending id (as keyset_page)."""
        entries = self.entries
        split = bisect_left(entries, (_NULL, ""))  # the first null
        if not descending:
            start = 0 if after is None else bisect_right(entries, (sort_key(after[0]), after[1]))
            for i in range(start, len(entries)):
                yield entries[i][1]
            return
        if after is None:
            ranges = [range(split - 1, -1, -1), range(len(entries) - 1, split - 1, -1)]
        else:
            at = bisect_left(entries, (sort_key(after[0]), after[1])) - 1
            ranges = [range(at, split - 1, -1)] if after[0] is None else \
                [range(at, -1, -1), range(len(entries) - 1, split - 1, -1)]
        for r in ranges:
            for i in r:
                yield entries[i][1]


def item_facet(props: dict[str, Any]) -> tuple[Any, Any, Any, bool | None, bool]:
    """The values the list-item filters test (list, category, status, unclaimed, withdrawn)."""
    remaining = props.get("remaining")
    return (props.get("list"), props.get("category"), props.get("status"),
            None if not isinstance(remaining, (int, float)) else remaining > 0, props.get("withdrawn") is not None)


class ItemFacets:
    """How many list items have each combination of the filter values (a few hundred combinations
    at any scale): a listing's total without a pass over the items."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[Any, Any, Any, bool | None, bool]] = Counter()

    def replace(self, old: Node | None, new: Node | None) -> None:
        """One item written (`old` before, `new` after; None for none: a new item, a dropped one)."""
        if old is not None:
            facet = item_facet(old.props)
            self.counts[facet] -= 1
            if not self.counts[facet]:
                del self.counts[facet]
        if new is not None:
            self.counts[item_facet(new.props)] += 1

    def total(self, list: Any, category: Any, status: Any, unclaimed: bool | None, include_withdrawn: bool) -> int:
        return sum(n for (li, cat, st, un, out), n in self.counts.items()
                   if (list is None or li == list) and (category is None or cat == category)
                   and (status is None or st == status) and (unclaimed is None or un is unclaimed)
                   and (include_withdrawn or not out))
