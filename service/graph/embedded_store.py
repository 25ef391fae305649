"""The embedded default store: a SQLite file (WAL) holds the truth, a networkx graph in memory
answers reads. Each write batch is one SQLite transaction; memory changes only after commit.

Another process writing the same file (say `alliance load` while the service runs) is noticed
through `PRAGMA data_version`, and memory is reloaded before the next call.
"""

from __future__ import annotations

import gc
import itertools
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from service.claims import ClaimOutcome, claim_outcome, claim_rejection
from service.errors import AllianceError, Conflict, NotFound, StoreUnavailable
from service.graph import records
from service.graph.embedded_workflows import EmbeddedWorkflows
from service.graph.memory_graph import MemoryGraph, bfs, keyset_page, matches, region_counts
from service.graph.store import (
    BatchResult,
    Claim,
    Count,
    CoverageFacts,
    Edge,
    Item,
    ItemQuery,
    Node,
    Page,
    Pairing,
    Query,
    Related,
    RelGroup,
    RelRow,
    Single,
    Subgraph,
    UnitTies,
    UpsertResult,
    decode_cursor,
    encode_cursor,
)
from service.model import Label, RelType

T = TypeVar("T")
SCHEMA_VERSION = "001_embedded"
_DDL = """
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rels (
  type TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL,
  PRIMARY KEY (type, start, "end", key));
CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
"""
_SEARCHABLE = frozenset(Label) - {Label.MEMBER, Label.WISH, Label.MEETING, Label.MATTER}


def _dump(props: Mapping[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _merge(before: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """`SET n += row`: keys set to None are removed."""
    after = dict(before)
    for key, value in row.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    return after


class EmbeddedStore(EmbeddedWorkflows):
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "alliance.sqlite3"
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._mem = MemoryGraph()
        self._version = -1
        self._generation = 0  # counts the states memory has held: bumped by each commit and reload

    # lifecycle ------------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.executescript(_DDL)
            except (sqlite3.Error, OSError) as exc:
                raise StoreUnavailable(f"cannot open the embedded store at {self.path}: {exc}") from exc
            self._db = db
        return self._db

    def _sync(self) -> None:
        """Reload memory when the file changed under us (another process committed)."""
        version = self._conn().execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return
        gc.unfreeze()  # the graph being replaced holds reference cycles (networkx caches its views)
        mem = MemoryGraph()
        for node_id, label, props in self._conn().execute("SELECT id, label, props FROM nodes"):
            mem.put_node(Node(node_id, Label(label), json.loads(props)))
        for type_, start, end, key, props in self._conn().execute('SELECT type, start, "end", key, props FROM rels'):
            mem.put_edge(RelType(type_), start, end, json.loads(props), key or None)
        self._mem, self._version = mem, version
        self._generation += 1
        # A loaded graph is millions of long-lived objects; left to the collector, every full
        # collection walks them all (a ~200 ms pause on one request in a hundred at urumqi x10).
        gc.freeze()

    @contextmanager
    def _reading(self) -> Iterator[MemoryGraph]:
        with self._lock:
            self._sync()
            yield self._mem

    @contextmanager
    def _writing(self) -> Iterator[tuple[sqlite3.Connection, MemoryGraph]]:
        """One IMMEDIATE transaction; memory is synced first so checks see the latest data."""
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                self._sync()
                yield db, self._mem
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                self._version = -1  # memory may hold half a batch: reload on the next call
                raise
            # our own commit does not change data_version for this connection
            self._version = db.execute("PRAGMA data_version").fetchone()[0]
            self._generation += 1

    async def ping(self) -> None:
        with self._lock:
            try:
                self._conn().execute("SELECT 1").fetchone()
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"the embedded store at {self.path} fails: {exc}") from exc

    async def version(self) -> str:
        with self._lock:
            self._sync()
            return f"{self._generation}"

    async def migrate(self) -> list[str]:
        with self._writing() as (db, _):
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (SCHEMA_VERSION,)).fetchone():
                return []
            db.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (SCHEMA_VERSION,))
            return [SCHEMA_VERSION]

    async def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            self._version = -1

    async def clear(self) -> None:
        with self._writing() as (db, _):
            db.execute("DELETE FROM rels")
            db.execute("DELETE FROM nodes")
        self._version = -1

    # writes --------------------------------------------------------------------------------
    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        label = records.as_label(label)
        prepared = records.prepare_nodes(label, rows)
        if not prepared:
            return UpsertResult()
        with self._writing() as (db, mem):
            return self._batch_nodes(db, mem, label, prepared)

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        group = records.prepare_group(RelGroup(type, start, end, rows))
        if not group.rows:
            return UpsertResult()
        with self._writing() as (db, mem):
            return self._batch_rels(db, mem, group.type, group.start, group.end, list(group.rows), None, None)[0]

    async def upsert_batch(
        self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
    ) -> BatchResult:
        node_steps, groups = records.prepare_batch(nodes, relationships)
        out = BatchResult()
        # One IMMEDIATE transaction for the whole batch: a failing group rolls back the groups
        # written before it, and memory is reloaded from the file.
        with self._writing() as (db, mem):
            for label, prepared in node_steps:
                out.nodes.append(self._batch_nodes(db, mem, label, prepared))
            for g in groups:
                result, removed = self._batch_rels(db, mem, g.type, g.start, g.end, list(g.rows), g.single, g.per)
                out.relationships.append(result)
                out.removed += removed
        return out

    def _batch_nodes(
        self, db: sqlite3.Connection, mem: MemoryGraph, label: Label, prepared: list[dict[str, Any]]
    ) -> UpsertResult:
        """upsert_nodes inside upsert_batch's transaction (the same rules and counts)."""
        clashes = [f"{row['id']!r} is a {mem.nodes[row['id']].label}" for row in prepared
                   if row["id"] in mem.nodes and mem.nodes[row["id"]].label is not label]
        if clashes:
            raise Conflict(f"cannot write {label} nodes: ids already used by other labels: {', '.join(clashes[:5])}")
        result = UpsertResult()
        changed: list[Node] = []
        for row in prepared:
            old = mem.nodes.get(row["id"])
            props = _merge(old.props if old else {}, row)
            if old is None:
                result.created += 1
            elif props == old.props:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            changed.append(Node(row["id"], label, props))
        db.executemany(
            "INSERT INTO nodes (id, label, props) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET props = excluded.props",
            [(n.id, label.value, _dump(n.props)) for n in changed],
        )
        for node in changed:
            mem.put_node(node)
        return result

    def _batch_rels(
        self, db: sqlite3.Connection, mem: MemoryGraph, type: RelType, start: Label, end: Label,
        prepared: list[RelRow], single: Single | None, per: str | None,
    ) -> tuple[UpsertResult, int]:
        """upsert_relationships inside upsert_batch's transaction, after removing the other
        relationships of a single-valued end (drop_other_ends / drop_other_starts.cypher)."""
        missing = [f"no {start} {r.start!r}" for r in prepared if not mem.has_label(r.start, start)]
        missing += [f"no {end} {r.end!r}" for r in prepared if not mem.has_label(r.end, end)]
        if missing:
            raise NotFound(f"cannot write {type} relationships: {'; '.join(missing[:5])}")
        doomed: set[tuple[str, str]] = set()
        for row in prepared if single is not None else ():
            if single is Single.START:
                edges = ((row.start, other, p) for other, p in mem.related(row.start, type, outgoing=True)
                         if other != row.end)
            else:
                edges = ((other, row.end, p) for other, p in mem.related(row.end, type, outgoing=False)
                         if other != row.start)
            # Cypher's `r[$per] = row.props[$per]`: a missing value matches nothing
            doomed.update((a, b) for a, b, p in edges
                          if per is None or (p.get(per) is not None and p.get(per) == row.props.get(per)))
        db.executemany('DELETE FROM rels WHERE type = ? AND start = ? AND "end" = ? AND key = \'\'',
                       [(type.value, a, b) for a, b in doomed])
        for a, b in doomed:
            mem.drop_edge(type, a, b)
        result = UpsertResult()
        changed: list[tuple[RelRow, dict[str, Any]]] = []
        for row in prepared:
            old = mem.edge_props(type, row.start, row.end)
            props = _merge(old or {}, row.props)
            if old is None:
                result.created += 1
            elif props == old:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            changed.append((row, props))
        db.executemany(
            'INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, \'\', ?) '
            'ON CONFLICT(type, start, "end", key) DO UPDATE SET props = excluded.props',
            [(type.value, r.start, r.end, _dump(p)) for r, p in changed],
        )
        for row, props in changed:
            mem.put_edge(type, row.start, row.end, props)
        return result, len(doomed)

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        for c in claims:
            records.check_claim(c)
        out: list[Claim | AllianceError] = []
        if not claims:
            return out
        with self._writing() as (db, mem):
            for c in claims:
                out.append(self._claim_one(db, mem, c))
        return out

    def _claim_one(self, db: sqlite3.Connection, mem: MemoryGraph, c: Mapping[str, Any]) -> Claim | AllianceError:
        cid, item_id, unit_id, quantity = c["id"], c["item_id"], c["claimant_id"], c["quantity"]
        item = mem.nodes.get(item_id) if mem.has_label(item_id, Label.LIST_ITEM) else None
        unit = mem.nodes.get(unit_id)
        if unit is not None and unit.label not in (Label.ORGANISATION, Label.ENTERPRISE):
            unit = None
        claimed = item.props.get("claimed", 0) if item else 0
        remaining = (item.props.get("quantity", 0) if item else 0) - claimed
        outcome = claim_outcome(c, item is not None, unit is not None, mem.claims.get(cid), remaining)
        if outcome is ClaimOutcome.REPEAT:
            props = mem.edge_props(RelType.CLAIMED, unit_id, item_id, cid) or {}
            return Claim(cid, item_id, unit_id, props["quantity"], props["on"], props["status"], remaining, False)
        if outcome is not ClaimOutcome.OK:
            return claim_rejection(outcome, id=cid, item_id=item_id, claimant_id=unit_id, remaining=remaining,
                                   quantity=quantity)
        assert item is not None  # OK: the item exists
        props = {"id": cid, "on": c["on"], "quantity": quantity, "status": "ACTIVE"}
        item_props = {**item.props, "claimed": claimed + quantity}
        db.execute('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, ?, ?)',
                   (RelType.CLAIMED.value, unit_id, item_id, cid, _dump(props)))
        db.execute("UPDATE nodes SET props = ? WHERE id = ?", (_dump(item_props), item_id))
        mem.put_edge(RelType.CLAIMED, unit_id, item_id, props, cid)
        mem.put_node(Node(item_id, Label.LIST_ITEM, item_props))
        return Claim(cid, item_id, unit_id, quantity, c["on"], "ACTIVE", remaining - quantity, True)

    async def claim_item(self, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str) -> Claim:
        claim = {"id": claim_id, "item_id": item_id, "claimant_id": claimant_id, "quantity": quantity, "on": on}
        [outcome] = await self.claim_items([claim])
        if isinstance(outcome, AllianceError):
            raise outcome
        return outcome

    async def release_claim(self, claim_id: str) -> Claim:
        with self._writing() as (db, mem):
            ends = mem.claims.get(claim_id)
            if ends is None:
                raise NotFound(f"no claim {claim_id!r}")
            unit_id, item_id = ends
            props = dict(mem.edge_props(RelType.CLAIMED, unit_id, item_id, claim_id) or {})
            item = mem.nodes[item_id]
            item_props = dict(item.props)
            if props["status"] == "ACTIVE":
                props.update(status="RELEASED", releasedOn=date.today().isoformat())
                item_props["claimed"] = item_props.get("claimed", 0) - props["quantity"]
                db.execute('UPDATE rels SET props = ? WHERE type = ? AND start = ? AND "end" = ? AND key = ?',
                           (_dump(props), RelType.CLAIMED.value, unit_id, item_id, claim_id))
                db.execute("UPDATE nodes SET props = ? WHERE id = ?", (_dump(item_props), item_id))
                mem.put_edge(RelType.CLAIMED, unit_id, item_id, props, claim_id)
                mem.put_node(Node(item_id, Label.LIST_ITEM, item_props))
            remaining = item_props.get("quantity", 0) - item_props.get("claimed", 0)
            return Claim(claim_id, item_id, unit_id, props["quantity"], props["on"], props["status"], remaining, False)

    # reads ---------------------------------------------------------------------------------
    async def get_node(self, id: str, label: Label | None = None) -> Node | None:
        with self._reading() as mem:
            node = mem.nodes.get(id)
        return node if node is not None and (label is None or node.label is label) else None

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        with self._reading() as mem:
            return [mem.nodes[i] for i in ids if i in mem.nodes]

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        label = records.as_label(label)
        wanted = set(names)
        with self._reading() as mem:
            found = [mem.nodes[i] for i in mem.by_label[label] if mem.nodes[i].props.get("name") in wanted]
        return sorted(found, key=lambda n: n.id)

    async def list_nodes(self, query: Query) -> Page[Node]:
        records.check_query(query)
        label = records.as_label(query.label)
        with self._reading() as mem:
            regions = mem.subtree(query.region_id) if query.region_id is not None else None
            found = [
                mem.nodes[i] for i in mem.by_label[label]
                if all(matches(mem.nodes[i].props, c) for c in query.where)
                and (regions is None or mem.in_scope(mem.nodes[i], regions))
            ]
        rows = [(n.props.get(query.order_by), n.id, n) for n in found]
        return _page(rows, query.first, query.after, query.descending)

    async def related(self, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
        type = records.as_rel_type(type)
        with self._reading() as mem:
            return [
                Related(i, mem.nodes[other], dict(props))
                for i in ids if i in mem.nodes
                for other, props in mem.related(i, type, outgoing)
            ]

    async def search(
        self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None
    ) -> list[Node]:
        from service.graph.memory_graph import cjk_tokens

        records.check_page(first)
        wanted = set(cjk_tokens(text))
        allowed = {records.as_label(x) for x in labels} or _SEARCHABLE
        allowed &= _SEARCHABLE
        with self._reading() as mem:
            regions = mem.subtree(region_id) if region_id is not None else None
            scored = []
            for label in allowed:
                for i in mem.by_label[label]:
                    tokens = mem.tokens(mem.nodes[i])
                    hits = len(wanted & tokens)
                    if hits and (regions is None or mem.in_scope(mem.nodes[i], regions)):
                        # more matched terms first, then shorter names (Lucene's length norm)
                        scored.append((-hits, len(tokens), i))
            return [mem.nodes[i] for _, _, i in sorted(scored)[:first]]

    async def neighbourhood(self, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
        records.check_depth(depth, limit)
        with self._reading() as mem:
            regions = mem.subtree(region_id) if region_id is not None else None
            if id not in mem.nodes or (regions is not None and not mem.in_scope(mem.nodes[id], regions)):
                raise NotFound(f"no node {id!r}")
            g = mem.g
            keep = (lambda _: True) if regions is None else (lambda n: mem.in_scope(mem.nodes[n], regions))
            ids, truncated = bfs(lambda n: [*g.successors(n), *g.predecessors(n)], id, depth, limit, keep)
            nodes = [mem.nodes[i] for i in ids]
            edges = records.keep_internal(nodes, ((i, _out_rows(mem, i)) for i in ids))
        return Subgraph(nodes, edges, truncated)

    async def shortest_path(
        self, source: str, target: str, max_depth: int = 8, region_id: str | None = None
    ) -> Subgraph | None:
        import networkx as nx

        with self._reading() as mem:
            if source not in mem.nodes or target not in mem.nodes:
                return None
            graph: nx.Graph = mem.g.to_undirected(as_view=True)
            if region_id is not None:  # every node on the path within the region subtree
                regions = mem.subtree(region_id)
                graph = nx.subgraph_view(graph, filter_node=lambda n: mem.in_scope(mem.nodes[n], regions))
                if not (graph.has_node(source) and graph.has_node(target)):
                    return None
            try:
                path = nx.shortest_path(graph, source, target)
            except nx.NetworkXNoPath:
                return None
            if len(path) - 1 > max_depth:
                return None
            edges = []
            for a, b in itertools.pairwise(path):
                forward = mem.g.get_edge_data(a, b)
                start, end, data = (a, b, forward) if forward else (b, a, mem.g.get_edge_data(b, a))
                first_edge = data[sorted(data)[0]]
                edges.append(Edge(first_edge["type"], start, end, dict(first_edge["props"])))
            return Subgraph([mem.nodes[i] for i in path], edges)

    async def paired_units(self, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
        with self._reading() as mem:
            regions = mem.subtree(region_id) if region_id is not None else None
            node = mem.nodes.get(organisation_id)
            if node is None:
                return []
            if node.label is Label.ORGANISATION:
                owners = [node.id]
            elif node.label is Label.REGION:
                # a region's own party organisation: the one of the region's kind located there
                owners = [u for u in mem.into(node.id, RelType.LOCATED_IN)
                          if mem.has_label(u, Label.ORGANISATION)
                          and mem.nodes[u].props.get("kind") == node.props.get("level")]
            else:
                owners = []
            paired: dict[str, set[str]] = {}
            for owner in owners:
                for agreement in mem.out(owner, RelType.PARTY_TO):
                    if mem.nodes[agreement].props.get("status") != "ACTIVE":
                        continue
                    for unit in mem.into(agreement, RelType.PARTY_TO):
                        if unit != owner and (regions is None or mem.in_scope(mem.nodes[unit], regions)):
                            paired.setdefault(unit, set()).add(agreement)
            return [Pairing(mem.nodes[u], [mem.nodes[a] for a in sorted(paired[u])]) for u in sorted(paired)]

    async def list_items(self, query: ItemQuery) -> Page[Item]:
        records.check_item_query(query)
        with self._reading() as mem:
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
            rows: list[tuple[Any, str, Node]] = []
            for i in candidates:
                node = mem.nodes[i]
                p = node.props
                if (query.list is not None and p.get("list") != query.list) or \
                   (query.category is not None and p.get("category") != query.category) or \
                   (query.status is not None and p.get("status") != query.status):
                    continue
                if query.unclaimed is not None and (p.get("quantity", 0) - p.get("claimed", 0) > 0) != query.unclaimed:
                    continue
                if regions is not None and not mem.in_scope(node, regions):
                    continue
                rows.append((p.get(query.order_by), i, node))
            cursor = decode_cursor(query.after) if query.after is not None else None
            kept, has_next = keyset_page(rows, cursor, query.descending, query.first)
            items = [_item(mem, node) for _, _, node in kept]
        end = encode_cursor(kept[-1][0], kept[-1][1]) if kept else None
        return Page(items, len(rows), end, has_next)

    async def region_subtree(self, region_id: str) -> list[Node]:
        with self._reading() as mem:
            return [mem.nodes[i] for i in sorted(mem.subtree(region_id))]

    async def region_stats(self, region_id: str) -> list[Count]:
        with self._reading() as mem:
            counts = region_counts(mem.scope(region_id))
        return [Count(label, kind, status, n) for (label, kind, status), n in
                sorted(counts.items(), key=lambda kv: (kv[0][0].value, str(kv[0][1]), str(kv[0][2])))]

    async def edge_list(self, region_id: str | None = None) -> tuple[list[Node], list[Edge]]:
        with self._reading() as mem:
            nodes = list(mem.nodes.values()) if region_id is None else mem.scope(region_id)
            return nodes, records.keep_internal(nodes, ((n.id, _out_rows(mem, n.id)) for n in nodes))

    async def analytics_network(
        self, region_id: str | None = None, alliance_id: str | None = None
    ) -> list[UnitTies]:
        from service.analytics import embedded_reads  # the embedded mirror of analytics_network.cypher

        with self._reading() as mem:
            return embedded_reads.network(mem, region_id, alliance_id)

    async def analytics_gaps(self, region_id: str | None, published_before: str) -> CoverageFacts:
        from service.analytics import embedded_reads

        with self._reading() as mem:
            return embedded_reads.gaps(mem, region_id, published_before)


def _out_rows(mem: MemoryGraph, node_id: str) -> list[dict[str, Any]]:
    return [{"type": e.type.value, "end": e.end, "props": e.props} for e in mem.outgoing(node_id)]


def _page(rows: list[tuple[Any, str, T]], first: int, after: str | None, descending: bool) -> Page[T]:
    cursor = decode_cursor(after) if after is not None else None
    kept, has_next = keyset_page(rows, cursor, descending, first)
    end = encode_cursor(kept[-1][0], kept[-1][1]) if kept else None
    return Page([r[2] for r in kept], len(rows), end, has_next)


def _item(mem: MemoryGraph, node: Node) -> Item:
    claimed = node.props.get("claimed", 0)
    publishers = sorted(mem.into(node.id, RelType.PUBLISHED))
    return Item(node, claimed, node.props.get("quantity", 0) - claimed, publishers[0] if publishers else None)


