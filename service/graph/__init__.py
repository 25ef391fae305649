"""The alliance graph: the GraphStore port (port.py, with the values it carries in types.py and
workflow_types.py) and its two adapters, neo4j/ and embedded/."""

from __future__ import annotations

from service.graph.port import GraphStore
from service.settings import Settings, StoreKind

__all__ = ["GraphStore", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name; nothing is connected until the first call. Both branches
    return a facade as GraphStore with no cast, so mypy checks each against the whole port."""
    if settings.store is StoreKind.NEO4J:
        from service.graph.neo4j import Neo4jStore

        if settings.neo4j_password is None:
            raise ValueError("ALLIANCE_NEO4J_PASSWORD must be set when ALLIANCE_STORE=neo4j")
        return Neo4jStore.connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
    from service.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, settings.embedded_max_nodes)
