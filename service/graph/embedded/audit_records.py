"""The audit trail's records (service/audit.py) in the embedded store: AuditRecord rows of the nodes table,
written inside the write transaction they record (executor.writing) or on their own; never updated (nodes.py
and batches.py refuse the label), deleted only by `prune` (retention)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from service import audit
from service.errors import AuditFailed, Conflict
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.types import Node, Page
from service.model import Label


def write_in_transaction(db: sqlite3.Connection, mem: MemoryGraph, row: Mapping[str, Any]) -> None:
    """INSERT, never upsert: an id already taken is refused. Any failure is AUDIT_FAILED, and the transaction
    it was part of rolls back."""
    try:
        db.execute("INSERT INTO nodes (id, label, props) VALUES (?, ?, ?)",
                   (row["id"], Label.AUDIT_RECORD.value,
                    json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True)))
    except (sqlite3.Error, KeyError, TypeError, ValueError) as exc:
        raise AuditFailed("the audit record could not be written, so nothing was done") from exc
    mem.put_node(Node(row["id"], Label.AUDIT_RECORD, dict(row)))


def append(ex: Any, row: Mapping[str, Any]) -> None:
    with ex.writing() as (db, mem):
        if row["id"] in mem.nodes:
            raise Conflict(f"audit record {row['id']!r} exists; records are never replaced")
        write_in_transaction(db, mem, row)


def audit_log(ex: Any, query: audit.AuditQuery) -> Page[Node]:
    from service.graph.embedded.listings import _page

    query = audit.checked(query)
    with ex.reading() as mem:
        found = [mem.nodes[i] for i in mem.by_label[Label.AUDIT_RECORD] if audit.matches(mem.nodes[i].props, query)]
    return _page([(n.props.get("at"), n.id, n) for n in found], query.first, query.after, True)


def prune(ex: Any, before: str) -> int:
    with ex.writing() as (db, mem):
        old = [i for i in mem.by_label[Label.AUDIT_RECORD] if mem.nodes[i].props.get("at", "") < before]
        db.executemany("DELETE FROM nodes WHERE id = ? AND label = ?", [(i, Label.AUDIT_RECORD.value) for i in old])
    ex.reload()  # memory forgets them on the next call
    return len(old)
