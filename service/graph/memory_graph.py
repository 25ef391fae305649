"""The in-memory side of the embedded store: a networkx MultiDiGraph plus per-label indexes,
and the read algorithms that mirror the Cypher statements of the Neo4j adapter."""

from __future__ import annotations

import heapq
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import networkx as nx

from service.graph.store import Condition, Edge, Node, Op
from service.model import Label, RelType
from service.registry import kind_of, label_spec

T = TypeVar("T")

# Edge keys: "TYPE" for merged relationships, "CLAIMED|<claim id>" for claims.
EdgeKey = str


def edge_key(type: RelType, claim_id: str | None = None) -> EdgeKey:
    return f"{type}|{claim_id}" if claim_id else type.value


_EMPTY: dict[str, Any] = {}


class MemoryGraph:
    def __init__(self) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self.nodes: dict[str, Node] = {}
        self.by_label: dict[Label, set[str]] = {label: set() for label in Label}
        self.items_by_list: dict[Any, set[str]] = {}
        self.claims: dict[str, tuple[str, str]] = {}  # claim id -> (claimant, item)
        self._tokens: dict[str, frozenset[str]] = {}

    # mutation (called only after the SQLite transaction committed) -------------------------
    def put_node(self, node: Node) -> None:
        if node.label is Label.LIST_ITEM:  # list_items filters by list first: a third of the items
            old = self.nodes.get(node.id)
            if old is not None:
                self.items_by_list.get(old.props.get("list"), set()).discard(node.id)
            self.items_by_list.setdefault(node.props.get("list"), set()).add(node.id)
        self.nodes[node.id] = node
        self.by_label[node.label].add(node.id)
        self.g.add_node(node.id)
        self._tokens.pop(node.id, None)

    def put_edge(self, type: RelType, start: str, end: str, props: dict[str, Any], claim_id: str | None = None) -> None:
        key = edge_key(type, claim_id)
        self.g.add_edge(start, end, key=key, type=type, props=props)
        if claim_id:
            self.claims[claim_id] = (start, end)

    def drop_edge(self, type: RelType, start: str, end: str) -> None:
        """Remove a merged relationship (a matter's reassignment replaces its assignee)."""
        if self.g.has_edge(start, end, key=edge_key(type)):
            self.g.remove_edge(start, end, key=edge_key(type))

    def edge_props(self, type: RelType, start: str, end: str, claim_id: str | None = None) -> dict[str, Any] | None:
        data = self.g.get_edge_data(start, end, key=edge_key(type, claim_id))
        return None if data is None else data["props"]

    # traversal helpers ----------------------------------------------------------------------
    # The adjacency dicts directly: networkx's edge views cost more to build than these loops
    # take, and list_items / scope checks call them once per item.
    def out(self, node_id: str, type: RelType) -> Iterator[str]:
        for end, keyed in self.g._succ.get(node_id, _EMPTY).items():
            for data in keyed.values():
                if data["type"] is type:
                    yield end

    def into(self, node_id: str, type: RelType) -> Iterator[str]:
        for start, keyed in self.g._pred.get(node_id, _EMPTY).items():
            for data in keyed.values():
                if data["type"] is type:
                    yield start

    def outgoing(self, node_id: str) -> Iterator[Edge]:
        for _, end, data in self.g.out_edges(node_id, data=True):
            yield Edge(data["type"], node_id, end, dict(data["props"]))

    def related(self, node_id: str, type: RelType, outgoing: bool) -> Iterator[tuple[str, dict[str, Any]]]:
        edges = self.g.out_edges(node_id, data=True) if outgoing else self.g.in_edges(node_id, data=True)
        for start, end, data in edges:
            if data["type"] is type:
                yield (end if outgoing else start), data["props"]

    def has_label(self, node_id: str, label: Label) -> bool:
        node = self.nodes.get(node_id)
        return node is not None and node.label is label

    # regions ----------------------------------------------------------------------------------
    def subtree(self, root: str) -> set[str]:
        """Regions whose PART_OF chain reaches `root`, root included."""
        if not self.has_label(root, Label.REGION):
            return set()
        seen = {root}
        queue = deque([root])
        while queue:
            for child in self.into(queue.popleft(), RelType.PART_OF):
                if child not in seen and self.has_label(child, Label.REGION):
                    seen.add(child)
                    queue.append(child)
        return seen

    def homes(self, node: Node) -> Iterator[str]:
        """The regions a node belongs to: its label's region path (service/registry.py), the
        same rule the Neo4j scope fragments are generated from."""
        frontier = [node.id]
        for step in label_spec(node.label).region_path:
            walk = self.out if step.outgoing else self.into
            frontier = [nxt for here in frontier for nxt in walk(here, step.type)]
        yield from frontier

    def in_scope(self, node: Node, regions: set[str]) -> bool:
        return any(r in regions and self.has_label(r, Label.REGION) for r in self.homes(node))

    def scope(self, root: str) -> list[Node]:
        """Every node within the region subtree of `root`."""
        regions = self.subtree(root)
        return [n for n in self.nodes.values() if self.in_scope(n, regions)]

    # searching ----------------------------------------------------------------------------------
    def tokens(self, node: Node) -> frozenset[str]:
        found = self._tokens.get(node.id)
        if found is None:
            text = " ".join(str(node.props[k]) for k in label_spec(node.label).searchable if node.props.get(k))
            found = self._tokens[node.id] = frozenset(cjk_tokens(text))
        return found


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def cjk_tokens(text: str) -> Iterator[str]:
    """Tokens as Lucene's CJKAnalyzer makes them: CJK runs as overlapping bigrams (a lone
    character as itself), other words lower-cased."""
    for run in _CJK.findall(text):
        if not ("\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff"):
            yield run.lower()
        elif len(run) == 1:
            yield run
        else:
            for i in range(len(run) - 1):
                yield run[i : i + 2]


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


# Cypher orders values of different types String < Boolean < Number.
def sort_key(value: Any) -> tuple[int, int, Any]:
    if value is None:
        return (1, 0, 0)
    if isinstance(value, str):
        return (0, 0, value)
    if isinstance(value, bool):
        return (0, 1, value)
    if isinstance(value, (int, float)):
        return (0, 2, value)
    return (0, 3, str(value))


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


def region_counts(nodes: Iterable[Node]) -> dict[tuple[Label, Any, Any], int]:
    counts: dict[tuple[Label, Any, Any], int] = {}
    for n in nodes:
        key = (n.label, kind_of(n.label, n.props), n.props.get("status"))
        counts[key] = counts.get(key, 0) + 1
    return counts


def bfs(
    neighbours: Callable[[str], Iterable[str]], start: str, depth: int, cap: int,
    keep: Callable[[str], bool] = lambda _: True,
) -> tuple[list[str], bool]:
    """Distinct nodes within `depth` hops of start (start first), at most `cap` of those `keep`
    accepts (the walk passes through the others without answering them); truncated flag."""
    seen = {start}
    order = [start]
    frontier = [start]
    for _ in range(depth):
        nxt: list[str] = []
        for node in frontier:
            for other in sorted(set(neighbours(node))):
                if other in seen:
                    continue
                seen.add(other)
                nxt.append(other)
                if keep(other):
                    if len(order) >= cap:
                        return order, True
                    order.append(other)
        frontier = nxt
    return order, False
