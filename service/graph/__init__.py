"""The alliance graph: the GraphStore port and its two adapters."""

from __future__ import annotations

from service.graph.store import GraphStore
from service.settings import Settings, StoreKind


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name; nothing is connected until the first call."""
    if settings.store is StoreKind.NEO4J:
        from service.graph.neo4j_store import Neo4jStore

        if settings.neo4j_password is None:
            raise ValueError("ALLIANCE_NEO4J_PASSWORD must be set when ALLIANCE_STORE=neo4j")
        return Neo4jStore.connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
    from service.graph.embedded_store import EmbeddedStore

    return EmbeddedStore(settings.data_dir)
