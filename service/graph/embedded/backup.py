"""Backup and restore (service/backup.py) for the embedded store.

A backup reads a copy made by SQLite's online backup API: one step copies every page under one
read transaction of the source, so the copy is a single committed state while the service goes on
reading and writing (WAL: a reader never blocks a writer). The copy lives in a private temporary
folder (mode 0700) beside nothing else and is deleted at once: it holds the personal data too."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from service.errors import NotFound
from service.graph.embedded.executor import EmbeddedExecutor, dump
from service.graph.types import Edge, Node
from service.model import Label, RelType
from service.registry import labels, relationship_types


def export_graph(ex: EmbeddedExecutor, sink: Callable[[Node | Edge], None]) -> bool:
    if not ex.path.exists():  # connecting would create an empty store and back that up
        raise NotFound(f"there is no embedded store at {ex.path}")
    with tempfile.TemporaryDirectory(prefix="alliance-backup-") as folder:
        copy_path = Path(folder) / "snapshot.sqlite3"
        source = sqlite3.connect(ex.path, timeout=30)
        try:
            copy = sqlite3.connect(copy_path)
            try:
                source.backup(copy)  # pages=-1: all in one step, so one consistent state
            finally:
                copy.close()
        finally:
            source.close()
        copy = sqlite3.connect(copy_path)
        try:
            copy.execute("CREATE INDEX by_label ON nodes (label, id)")  # the copy's own: one seek per label
            _read(copy, sink)
        finally:
            copy.close()
    return True


def _read(copy: sqlite3.Connection, sink: Callable[[Node | Edge], None]) -> None:
    """The model's labels and types in the registry's order, each sorted by its key."""
    for spec in labels():
        rows = copy.execute("SELECT id, props FROM nodes WHERE label = ? ORDER BY id", (spec.label.value,))
        for node_id, props in rows:
            sink(Node(node_id, spec.label, json.loads(props)))
    for rel in relationship_types():
        rows = copy.execute('SELECT start, "end", props FROM rels WHERE type = ? ORDER BY start, "end", key',
                            (rel.type.value,))
        for start, end, props in rows:
            sink(Edge(rel.type, start, end, json.loads(props)))


def restore_nodes(ex: EmbeddedExecutor, label: Label, rows: Sequence[Mapping[str, Any]]) -> None:
    with ex.writing() as (db, mem):
        db.executemany("INSERT INTO nodes (id, label, props) VALUES (?, ?, ?)",
                       [(row["id"], label.value, dump(row)) for row in rows])
        for row in rows:
            mem.put_node(Node(row["id"], label, dict(row)))


def restore_relationships(ex: EmbeddedExecutor, type: RelType, edges: Sequence[Edge]) -> None:
    """Claims are keyed by their id (several claims of one unit on one item), as claims.py writes them."""
    keyed = type is RelType.CLAIMED
    with ex.writing() as (db, mem):
        db.executemany('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, ?, ?)',
                       [(type.value, e.start, e.end, e.props["id"] if keyed else "", dump(e.props)) for e in edges])
        for e in edges:
            mem.put_edge(type, e.start, e.end, dict(e.props), e.props["id"] if keyed else None)
