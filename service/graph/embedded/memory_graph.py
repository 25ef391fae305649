"""The in-memory side of the embedded store: nodes and compact adjacency maps plus per-label indexes, the
region membership rules (the mirror of fragments/scope.cypher) and the search tokens. The read
algorithms that mirror the other Cypher statements live in the operation modules beside it."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from typing import Any

from service.graph.embedded.ordered import REBUILD_AFTER, ItemFacets, OrderedIndex
from service.graph.types import Edge, Node
from service.model import Label, RelType
from service.registry import label_spec

# Edge keys: "TYPE" for merged relationships, "CLAIMED|<claim id>" for claims.
EdgeKey = str


def edge_key(type: RelType, claim_id: str | None = None) -> EdgeKey:
    return f"{type}|{claim_id}" if claim_id else type.value


_EMPTY: dict[Any, Any] = {}  # read only
_MISSING: Any = object()


# An edge in memory: its props, or None for none (two of three relationships have none, and an
# empty dict per edge would cost 64 bytes each).
EdgeProps = dict[str, Any] | None
Adjacency = dict[str, dict[tuple[str, EdgeKey], EdgeProps]]  # node -> (other end, key) -> props

_TYPE_OF_KEY: dict[str, RelType] = {t.value: t for t in RelType}
_KEY_OF_TYPE: dict[RelType, str] = {t: t.value for t in RelType}


def key_type(key: EdgeKey) -> RelType:
    """The relationship type an edge key names ("TYPE" or "CLAIMED|<claim id>")."""
    found = _TYPE_OF_KEY.get(key)
    return found if found is not None else RelType(key.partition("|")[0])


def _is(key: EdgeKey, type: RelType) -> bool:
    """Whether an edge key is of this type: the scope checks ask it for every edge they pass."""
    want = _KEY_OF_TYPE[type]
    return key == want or (type is RelType.CLAIMED and key.startswith("CLAIMED|"))


class MemoryGraph:
    """Nodes by id and relationships as two flat adjacency maps (out and in), each edge one entry
    keyed (other end, edge key) on each side sharing one props dict: about a third of what
    networkx's MultiDiGraph spent per edge (a key dict and a data dict per edge, three dicts per node)."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._out: Adjacency = {}
        self._in: Adjacency = {}
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
        if built:
            for key, index in list(built.items()):
                index.replace(old, node)
                if index.updates > REBUILD_AFTER:  # a bulk write: build it again when next read
                    del built[key]
        self.withdrawn[node.label] += (node.props.get("withdrawn") is not None) - (
            old is not None and old.props.get("withdrawn") is not None)
        self.nodes[node.id] = node
        self.by_label[node.label].add(node.id)
        if old is not None:
            self._tokens.pop(node.id, None)

    def put_edge(self, type: RelType, start: str, end: str, props: dict[str, Any], claim_id: str | None = None) -> None:
        self.changes += 1
        key = edge_key(type, claim_id)
        kept = props or None
        out = self._out.get(start)
        if out is None:
            out = self._out[start] = {}
        out[(end, key)] = kept
        into = self._in.get(end)
        if into is None:
            into = self._in[end] = {}
        into[(start, key)] = kept
        if claim_id:
            self.claims[claim_id] = (start, end)

    def put_nodes(self, nodes: list[Node]) -> None:
        """put_node for each node, without a call per new node while no ordered index is built (a load)."""
        if any(self._ordered.values()):
            for node in nodes:
                self.put_node(node)
            return
        self.changes += 1
        by_id, by_label, items = self.nodes, self.by_label, Label.LIST_ITEM
        for node in nodes:
            if node.id in by_id:  # a node replaced: its old values leave the indexes as put_node does
                self.put_node(node)
                continue
            by_id[node.id] = node
            by_label[node.label].add(node.id)
            if node.label is items:
                self.items_by_list.setdefault(node.props.get("list"), set()).add(node.id)
                self.item_facets.replace(None, node)

    def put_edges(self, edges: list[tuple[RelType, str, str, dict[str, Any], str | None]]) -> None:
        """put_edge for each (type, start, end, props, claim id): the load's loop, without a call per edge."""
        self.changes += 1
        out_of, into_of, claims = self._out, self._in, self.claims
        for type, start, end, props, claim_id in edges:
            key = f"{type}|{claim_id}" if claim_id else _KEY_OF_TYPE[type]
            kept = props or None
            out = out_of.get(start)
            if out is None:
                out = out_of[start] = {}
            out[(end, key)] = kept
            into = into_of.get(end)
            if into is None:
                into = into_of[end] = {}
            into[(start, key)] = kept
            if claim_id:
                claims[claim_id] = (start, end)

    def drop_edge(self, type: RelType, start: str, end: str) -> None:
        """Remove a merged relationship (a matter's reassignment replaces its assignee)."""
        self.changes += 1
        key = edge_key(type)
        if self._out.get(start, _EMPTY).pop((end, key), _MISSING) is not _MISSING:
            self._in[end].pop((start, key), None)

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
        out, into = self._out.pop(node_id, {}), self._in.pop(node_id, {})
        for end, key in out:
            if end != node_id:
                self._in[end].pop((node_id, key), None)
        for start, key in into:
            if start != node_id:
                self._out[start].pop((node_id, key), None)
        self._tokens.pop(node_id, None)

    def edge_props(self, type: RelType, start: str, end: str, claim_id: str | None = None) -> dict[str, Any] | None:
        props = self._out.get(start, _EMPTY).get((end, edge_key(type, claim_id)), _MISSING)
        if props is _MISSING:
            return None
        return {} if props is None else props

    def ordered(self, label: Label, key: str) -> OrderedIndex:
        """The label's nodes in the order of `key` (service/graph/embedded/ordered.py)."""
        index = self._ordered[label].get(key)
        if index is None:
            index = self._ordered[label][key] = OrderedIndex(key, (self.nodes[i] for i in self.by_label[label]))
        return index

    # traversal helpers ----------------------------------------------------------------------
    def has_node(self, node_id: str) -> bool:
        return node_id in self.nodes

    def has_edge(self, start: str, end: str) -> bool:
        """Any relationship from start to end."""
        return any(other == end for other, _ in self._out.get(start, _EMPTY))

    def edges_between(self, start: str, end: str) -> dict[EdgeKey, dict[str, Any]]:
        """The relationships from start to end by edge key."""
        return {key: props or {} for (other, key), props in self._out.get(start, _EMPTY).items() if other == end}

    def neighbours(self, node_id: str) -> set[str]:
        """The nodes one relationship away, either way."""
        return {other for other, _ in self._out.get(node_id, _EMPTY)} | {
            other for other, _ in self._in.get(node_id, _EMPTY)}

    def out(self, node_id: str, type: RelType) -> Iterator[str]:
        for end, key in self._out.get(node_id, _EMPTY):
            if _is(key, type):
                yield end

    def into(self, node_id: str, type: RelType) -> Iterator[str]:
        for start, key in self._in.get(node_id, _EMPTY):
            if _is(key, type):
                yield start

    def outgoing(self, node_id: str) -> Iterator[Edge]:
        for (end, key), props in self._out.get(node_id, _EMPTY).items():
            yield Edge(key_type(key), node_id, end, dict(props or _EMPTY))

    def links(self, node_id: str) -> Iterator[tuple[bool, str, RelType, dict[str, Any]]]:
        """Every relationship of a node: (outgoing, other end, type, a copy of its props)."""
        for outgoing, adjacency in ((True, self._out), (False, self._in)):
            for (other, key), props in adjacency.get(node_id, _EMPTY).items():
                yield outgoing, other, key_type(key), dict(props or _EMPTY)

    def related(self, node_id: str, type: RelType, outgoing: bool) -> Iterator[tuple[str, dict[str, Any]]]:
        adjacency = self._out if outgoing else self._in
        for (other, key), props in adjacency.get(node_id, _EMPTY).items():
            if _is(key, type):
                yield other, ({} if props is None else props)

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
        if not regions:  # no such region: nothing within it, without a pass over every node
            return []
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
