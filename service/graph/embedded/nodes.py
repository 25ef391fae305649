"""Nodes by id: upserts merged into SQLite and memory in one transaction, lookups by id and name."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from service.errors import Conflict
from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor, dump, merge
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.records import kept
from service.graph.types import Node, UpsertResult
from service.model import Label


def upsert_nodes(ex: EmbeddedExecutor, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
    label = records.as_label(label)
    prepared = records.prepare_nodes(label, rows)
    if not prepared:
        return UpsertResult()
    with ex.writing() as (db, mem):
        return write_nodes(db, mem, label, prepared)


def write_nodes(db: sqlite3.Connection, mem: MemoryGraph, label: Label, prepared: list[dict[str, Any]]) -> UpsertResult:
    """Prepared rows of one label (records.prepare_nodes) inside the caller's transaction; the same
    rules and counts as upsert_nodes.cypher."""
    clashes = [f"{row['id']!r} is a {mem.nodes[row['id']].label}" for row in prepared
               if row["id"] in mem.nodes and mem.nodes[row["id"]].label is not label]
    if clashes:
        raise Conflict(f"cannot write {label} nodes: ids already used by other labels: {', '.join(clashes[:5])}")
    result = UpsertResult()
    changed: list[Node] = []
    for row in prepared:
        old = mem.nodes.get(row["id"])
        props = kept(label, merge(old.props if old else {}, row))
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
        [(n.id, label.value, dump(n.props)) for n in changed],
    )
    for node in changed:
        mem.put_node(node)
    return result


def count_by_label(ex: EmbeddedExecutor) -> dict[Label, int]:
    with ex.reading() as mem:
        return {label: len(mem.by_label[label]) for label in Label}


def get_node(ex: EmbeddedExecutor, id: str, label: Label | None = None) -> Node | None:
    with ex.reading() as mem:
        node = mem.nodes.get(id)
    return node if node is not None and (label is None or node.label is label) else None


def get_nodes(ex: EmbeddedExecutor, ids: Sequence[str]) -> list[Node]:
    with ex.reading() as mem:
        return [mem.nodes[i] for i in ids if i in mem.nodes]


def find_by_names(ex: EmbeddedExecutor, label: Label, names: Sequence[str]) -> list[Node]:
    label = records.as_label(label)
    wanted = set(names)
    with ex.reading() as mem:
        found = [mem.nodes[i] for i in mem.by_label[label] if mem.nodes[i].props.get("name") in wanted]
    return sorted(found, key=lambda n: n.id)
