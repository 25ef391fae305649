"""The embedded schema (its tables are created on connecting; this records the version) and
emptying the graph."""

from __future__ import annotations

from service.graph.embedded.executor import EmbeddedExecutor

SCHEMA_VERSION = "001_embedded"


def migrate(ex: EmbeddedExecutor) -> list[str]:
    with ex.writing() as (db, _):
        if db.execute("SELECT 1 FROM migrations WHERE name = ?", (SCHEMA_VERSION,)).fetchone():
            return []
        db.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (SCHEMA_VERSION,))
        return [SCHEMA_VERSION]


def clear(ex: EmbeddedExecutor) -> None:
    with ex.writing() as (db, _):
        db.execute("DELETE FROM rels")
        db.execute("DELETE FROM nodes")
    ex.reload()
