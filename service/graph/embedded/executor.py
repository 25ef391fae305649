"""The one way the embedded operation modules reach their data: a SQLite file (WAL) holds the
truth, a MemoryGraph answers reads. `reading()` yields the graph; `writing()` one IMMEDIATE
transaction (which also serialises writers across processes) and the graph, changed only as the
transaction's rows are written and reloaded from the file if it rolls back.

Another process writing the same file (say `alliance load` while the service runs, or a second
`alliance serve` worker) is noticed through `PRAGMA data_version`, and memory is reloaded before the
next call, from one read snapshot. Several processes may therefore share one file safely (claims
race through SQLite's write lock), but each holds the whole graph and reloads all of it after every
write by another: fine for two workers on a district, not a way to scale out (docs/scale.md).
"""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from service import audit
from service.errors import StoreUnavailable
from service.graph import deadline
from service.graph.embedded import audit_records, capacity
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.types import Node
from service.model import Label, RelType

log = logging.getLogger("alliance.store")

_DDL = """
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rels (
  type TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL,
  PRIMARY KEY (type, start, "end", key));
CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
"""


class EmbeddedExecutor:
    def __init__(self, path: Path, max_nodes: int | None = None) -> None:
        self.path = path
        self.max_nodes = max_nodes  # ALLIANCE_EMBEDDED_MAX_NODES (service/graph/embedded/capacity.py)
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._mem = MemoryGraph()
        self._version = -1
        self._generation = 0  # counts the states memory has held: bumped by each commit and reload
        self._ping_lock = threading.Lock()
        self._ping_db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.executescript(_DDL)
            except (sqlite3.Error, OSError) as exc:
                raise _unavailable("cannot open the embedded store", self.path, exc) from exc
            self._db = db
        return self._db

    def _sync(self) -> None:
        """Reload memory when the file changed under us (another process committed)."""
        version = self._conn().execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return
        gc.unfreeze()  # the graph being replaced may hold reference cycles: let the collector see it again
        db = self._conn()
        # Both tables from one snapshot: read in two autocommit statements, another process's commit
        # between them left relationships whose nodes memory never saw. Inside `writing()` the
        # IMMEDIATE transaction is that snapshot already.
        snapshot = not db.in_transaction
        if snapshot:
            db.execute("BEGIN")
        try:
            nodes = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
            relationships = db.execute("SELECT count(*) FROM rels").fetchone()[0]
            capacity.check(nodes, relationships, self.max_nodes, capacity.available())
        except BaseException:
            if snapshot:
                db.execute("COMMIT")
            raise
        collecting = gc.isenabled()
        gc.disable()  # millions of new containers: each would-be collection walks them all
        try:
            mem = _load(db)
        finally:
            if collecting:
                gc.enable()
            if snapshot:
                db.execute("COMMIT")
        self._mem, self._version = mem, version
        self._generation += 1
        # A loaded graph is millions of long-lived objects; left to the collector, every full
        # collection walks them all (a ~200 ms pause on one request in a hundred at urumqi x10).
        gc.freeze()

    @contextmanager
    def reading(self) -> Iterator[MemoryGraph]:
        deadline.check()  # a request past its budget reads nothing more
        with self._lock:
            self._sync()
            yield self._mem

    @contextmanager
    def writing(self) -> Iterator[tuple[sqlite3.Connection, MemoryGraph]]:
        """One IMMEDIATE transaction; memory is synced first so checks see the latest data. A request
        past its deadline writes nothing (a write that started finishes: it is never cut halfway)."""
        deadline.check()
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            changes = -1
            entry = None
            try:
                self._sync()
                changes = self._mem.changes
                yield db, self._mem
                entry = audit.pending()
                if entry is not None:  # the operation's audit record commits with its first write
                    audit_records.write_in_transaction(db, self._mem, entry.row())
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                if self._mem.changes != changes:
                    # memory may hold half a batch: reload on the next call. A write refused before it
                    # changed anything (an illegal transition, a missing node) keeps memory as it is,
                    # instead of making the next request read the whole file again.
                    self._version = -1
                raise
            # our own commit does not change data_version for this connection
            self._version = db.execute("PRAGMA data_version").fetchone()[0]
            self._generation += 1
            if entry is not None:
                entry.written = True

    def reload(self) -> None:
        """Read everything from the file again before the next call (after a bulk delete)."""
        self._version = -1

    def ping(self) -> None:
        """The file answers a read, on a connection of its own: /health must not wait for the lock a
        long read holds (the heaviest allowed request keeps it for up to a second)."""
        with self._ping_lock:
            try:
                if self._ping_db is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._ping_db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                                    timeout=5)
                self._ping_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except (sqlite3.Error, OSError) as exc:
                raise _unavailable("the embedded store fails", self.path, exc) from exc

    def ping_if_quick(self) -> bool:
        """The ping without waiting, for the event loop itself (a worker thread's ping waits for the
        GIL and a turn of the loop twice while a long request runs): False when another ping holds its
        connection or the file is busy; the caller then pings from a worker thread. Raises as `ping`
        does when the file fails."""
        if self._ping_db is None or not self._ping_lock.acquire(blocking=False):
            return False
        try:
            self._ping_db.execute("PRAGMA busy_timeout = 0")  # never wait on the loop
            try:
                self._ping_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                self._ping_db.execute("PRAGMA busy_timeout = 5000")
            return True
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return False
            raise _unavailable("the embedded store fails", self.path, exc) from exc
        except (sqlite3.Error, OSError) as exc:
            raise _unavailable("the embedded store fails", self.path, exc) from exc
        finally:
            self._ping_lock.release()

    def version(self) -> str:
        with self._lock:
            self._sync()
            return f"{self._generation}"

    def version_if_quick(self) -> str | None:
        """The version without waiting: None while another thread holds the lock (a long read) or
        when memory must be reloaded first; the caller then asks `version` from a worker thread."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._db is None or self._conn().execute("PRAGMA data_version").fetchone()[0] != self._version:
                return None
            return f"{self._generation}"
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            self._version = -1
        with self._ping_lock:
            if self._ping_db is not None:
                self._ping_db.close()
                self._ping_db = None


_LABELS = {label.value: label for label in Label}
_TYPES = {type.value: type for type in RelType}
_CHUNK = 20_000  # rows decoded per json.loads call


def _load(db: sqlite3.Connection) -> MemoryGraph:
    """The graph from both tables. The props are decoded a chunk of rows per json.loads call, as
    one JSON array: a call per row spent more time entering the decoder than decoding, and one call
    shares each property name's string among all the rows it decodes. A relationship's ends are its
    nodes' own id strings, not copies."""
    mem = MemoryGraph()
    rows = db.execute("SELECT id, label, props FROM nodes")
    while chunk := rows.fetchmany(_CHUNK):
        mem.put_nodes([Node(node_id, _LABELS[label], props)
                       for (node_id, label, _), props in zip(chunk, _decoded(row[2] for row in chunk), strict=True)])
    rows = db.execute('SELECT type, start, "end", key, props FROM rels')
    node = mem.nodes.get
    while chunk := rows.fetchmany(_CHUNK):
        mem.put_edges([(_TYPES[type_], n.id if (n := node(start)) else start, m.id if (m := node(end)) else end,
                        props, key or None)
                       for (type_, start, end, key, _), props in zip(chunk, _decoded(row[4] for row in chunk),
                                                                     strict=True)])
    return mem


def _decoded(texts: Iterator[str]) -> list[dict[str, Any]]:
    decoded: list[dict[str, Any]] = json.loads("[" + ",".join(texts) + "]")
    return decoded


# Writes inside `writing()`: the row in SQLite, then the same change in memory.
def dump(props: Mapping[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def put_node(db: sqlite3.Connection, mem: MemoryGraph, node: Node) -> None:
    db.execute("INSERT INTO nodes (id, label, props) VALUES (?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET props = excluded.props", (node.id, node.label.value, dump(node.props)))
    mem.put_node(node)


def put_edge(db: sqlite3.Connection, mem: MemoryGraph, type: RelType, start: str, end: str,
             props: Mapping[str, Any]) -> None:
    """A merged relationship (not a claim); None values are left out, as Cypher's SET does."""
    kept = {k: v for k, v in props.items() if v is not None}
    db.execute('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, \'\', ?) '
               'ON CONFLICT(type, start, "end", key) DO UPDATE SET props = excluded.props',
               (type.value, start, end, dump(kept)))
    mem.put_edge(type, start, end, kept)


def drop_edge(db: sqlite3.Connection, mem: MemoryGraph, type: RelType, start: str, end: str) -> None:
    db.execute('DELETE FROM rels WHERE type = ? AND start = ? AND "end" = ? AND key = \'\'', (type.value, start, end))
    mem.drop_edge(type, start, end)


def merge(before: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """`SET n += row`: keys set to None are removed."""
    after = dict(before)
    for key, value in row.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    return after


def set_props(props: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """`SET n.k = v` for each change: a None value removes the property, as in Cypher."""
    return merge(props, changes)


def _unavailable(what: str, path: Path, exc: BaseException) -> StoreUnavailable:
    """The failure as the client sees it; the file's path and SQLite's text only in the log."""
    log.warning("%s at %s: %s", what, path, exc)
    return StoreUnavailable(what)
