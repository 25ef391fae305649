"""The in-memory side of the embedded store: a networkx MultiDiGraph plus per-label indexes, the
region membership rules (the mirror of fragments/scope.cypher) and the search tokens. The read
algorithms that mirror the other Cypher statements live in the operation modules beside it."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from typing import Any

import networkx as nx

from service.graph.embedded.ordered import REBUILD_AFTER, ItemFacets, OrderedIndex
from service.graph.types import Edge, Node
from service.model import Label, RelType
from service.registry import label_spec

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
        self.changes = 0  # mutations so far: a refused write that changed nothing needs no reload
        self._ordered: dict[Label, dict[str, OrderedIndex]] = {label: {} for label in Label}  # built when read
        self.item_facets = ItemFacets()
        # per label, how many nodes carry `withdrawn`: a listing of current records counts its label less
        # these instead of testing every node (fragments/node_current.cypher)
        self.withdrawn: Counter[Label] = Counter()

    # mutation (called only after the SQLite transaction committed) -------------------------
    def put_node(self, node: Node) -> None:
        self.changes += 1
        old = self.nodes.get(node.id)
        if node.label is Label.LIST_ITEM:  # list_items filters by list first: a third of the items
            if old is not None:
                self.items_by_list.get(old.props.get("list"), set()).discard(node.id)
            self.items_by_list.setdefault(node.props.get("list"), set()).add(node.id)
            self.item_facets.replace(old, node)
        built = self._ordered[node.label]
        for key, index in list(built.items()):
            index.replace(old, node)
            if index.updates > REBUILD_AFTER:  # a bulk write: build it again when next read
                del built[key]
        self.withdrawn[node.label] += (node.props.get("withdrawn") is not None) - (
            old is not None and old.props.get("withdrawn") is not None)
        self.nodes[node.id] = node
        self.by_label[node.label].add(node.id)
        self.g.add_node(node.id)
        self._tokens.pop(node.id, None)

    def put_edge(self, type: RelType, start: str, end: str, props: dict[str, Any], claim_id: str | None = None) -> None:
        self.changes += 1
        key = edge_key(type, claim_id)
        self.g.add_edge(start, end, key=key, type=type, props=props)
        if claim_id:
            self.claims[claim_id] = (start, end)

    def drop_edge(self, type: RelType, start: str, end: str) -> None:
        """Remove a merged relationship (a matter's reassignment replaces its assignee)."""
        self.changes += 1
        if self.g.has_edge(start, end, key=edge_key(type)):
            self.g.remove_edge(start, end, key=edge_key(type))

    def drop_node(self, node_id: str) -> None:
        """Remove a node and every relationship it has (mergeUnits removes the duplicate)."""
        self.changes += 1
        node = self.nodes.pop(node_id, None)
        if node is None:
            return
        self.by_label[node.label].discard(node_id)
        self.withdrawn[node.label] -= node.props.get("withdrawn") is not None
        self._ordered[node.label].clear()  # built again when next read: a dropped id must not be walked
        if node.label is Label.LIST_ITEM:
            self.items_by_list.get(node.props.get("list"), set()).discard(node_id)
            self.item_facets.replace(node, None)
        self.claims = {c: ends for c, ends in self.claims.items() if node_id not in ends}
        self.g.remove_node(node_id)
        self._tokens.pop(node_id, None)

    def edge_props(self, type: RelType, start: str, end: str, claim_id: str | None = None) -> dict[str, Any] | None:
        data = self.g.get_edge_data(start, end, key=edge_key(type, claim_id))
        return None if data is None else data["props"]

    def ordered(self, label: Label, key: str) -> OrderedIndex:
        """The label's nodes in the order of `key` (service/graph/embedded/ordered.py)."""
        index = self._ordered[label].get(key)
        if index is None:
            index = self._ordered[label][key] = OrderedIndex(key, (self.nodes[i] for i in self.by_label[label]))
        return index

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
        # the adjacency dicts, as out() / into(): every single-valued write asks this once per row
        adjacency = self.g._succ if outgoing else self.g._pred
        for other, keyed in adjacency.get(node_id, _EMPTY).items():
            for data in keyed.values():
                if data["type"] is type:
                    yield other, data["props"]

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
        path = label_spec(node.label).region_path
        if path is None:
            return
        frontier = [node.id]
        for step in path:
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
