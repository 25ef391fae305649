"""The store's version token: unchanged by reads, changed by every write, whoever writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service.graph.port import GraphStore
from service.graph.types import Query, RelRow
from service.model import Label, RelType
from tests.contract import small_graph


async def _second_writer(store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Another connection to the same data, as another process or a loader would have."""
    from service.graph.embedded import EmbeddedStore
    from service.graph.neo4j import Neo4jStore

    if isinstance(store, EmbeddedStore):
        return EmbeddedStore(store.path.parent)
    server = request.getfixturevalue("neo4j_server")
    return Neo4jStore.connect(server["uri"], server["user"], server["password"], server["database"])


async def test_version_moves_with_every_write_and_only_then(
    store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    await small_graph.build(store)
    before = await store.version()
    await store.list_nodes(Query(Label.ORGANISATION))
    await store.paired_units("ORG-A1")
    assert await store.version() == before

    await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新单位党支部"}])
    after_upsert = await store.version()
    assert after_upsert != before

    await store.upsert_relationships(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                     [RelRow("ORG-NEW", small_graph.COMM_A1)])
    after_rel = await store.version()
    assert after_rel != after_upsert

    await store.claim_item("ITEM-P1", "ORG-A1", 1, "2024-01-01", "CLAIM-V1")
    after_claim = await store.version()
    assert after_claim != after_rel

    other = await _second_writer(store, request, tmp_path)
    try:
        await other.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新单位党委"}])
    finally:
        await other.close()
    assert await store.version() != after_claim


async def test_concurrent_version_reads_never_predate_a_write_they_follow(
    store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Concurrent callers may share a read (Neo4j), but only one that started after they asked: a write by
    another writer, finished before the callers ask, is in every version they get."""
    await small_graph.build(store)
    first = await asyncio.gather(*(store.version() for _ in range(8)))
    assert len(set(first)) == 1
    other = await _second_writer(store, request, tmp_path)
    try:
        for n in range(3):
            running = asyncio.gather(*(store.version() for _ in range(4)))  # reads under way meanwhile
            await other.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-NEW", "name": f"新单位{n}"}])
            asked = await asyncio.gather(*(store.version() for _ in range(8)))
            await running
            assert len(set(asked)) == 1 and asked[0] != first[0], (n, asked, first)
            first = asked
    finally:
        await other.close()
