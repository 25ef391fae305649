"""The embedded schema (its tables are created on connecting; this records the version), the data
migrations, and emptying the graph."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from service.graph.embedded.executor import EmbeddedExecutor, dump
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.records import kept
from service.graph.types import Node
from service.model import Label, RelType

SCHEMA_VERSION = "001_embedded"


def _item_remaining(db: sqlite3.Connection, mem: MemoryGraph) -> None:
    """Every list item written before the store kept its claim state (as 008_item_remaining.cypher):
    its claimed total from its ACTIVE claims, and quantity less it."""
    claimed: dict[str, float] = {}
    for claim_id, (unit_id, item_id) in mem.claims.items():
        props = mem.edge_props(RelType.CLAIMED, unit_id, item_id, claim_id) or {}
        if props.get("status") == "ACTIVE":
            claimed[item_id] = claimed.get(item_id, 0) + (props.get("quantity") or 0)
    changed = []
    for item_id in mem.by_label[Label.LIST_ITEM]:
        node = mem.nodes[item_id]
        props = kept(Label.LIST_ITEM, {**node.props, "claimed": claimed.get(item_id, 0)})
        if props != node.props:
            changed.append(Node(item_id, Label.LIST_ITEM, props))
    db.executemany("UPDATE nodes SET props = ? WHERE id = ?", [(dump(n.props), n.id) for n in changed])
    for n in changed:
        mem.put_node(n)


# In order after the schema version; each runs once, in the transaction that records it.
MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection, MemoryGraph], None]], ...] = (
    ("002_item_remaining", _item_remaining),
)


def migrate(ex: EmbeddedExecutor) -> list[str]:
    applied = []
    with ex.writing() as (db, mem):
        done = {name for (name,) in db.execute("SELECT name FROM migrations")}
        for name, run in ((SCHEMA_VERSION, None), *MIGRATIONS):
            if name in done:
                continue
            if run is not None:
                run(db, mem)
            db.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (name,))
            applied.append(name)
    return applied


def clear(ex: EmbeddedExecutor) -> None:
    with ex.writing() as (db, _):
        db.execute("DELETE FROM rels")
        db.execute("DELETE FROM nodes")
    ex.reload()
