"""Neo4j through a routing URI (`neo4j://`, as for a cluster or Aura), with causal consistency.

A single server answers the routing protocol with itself as writer and reader, so the local Neo4j
checks the client side: the driver fetches a routing table, reads go out as READ, and every
statement, transaction and version read of the store carries the process's bookmarks, so a read
after a write (on a cluster: on a secondary that may lag) sees that write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import neo4j
import pytest

from service.graph.neo4j import Neo4jStore
from service.graph.types import RelGroup, RelRow
from service.model import Label, RelType
from tests.contract import small_graph


def routing_uri(uri: str) -> str:
    scheme, _, rest = uri.partition("://")
    return f"neo4j{scheme.removeprefix('bolt')}://{rest}"  # bolt+s:// → neo4j+s://


@pytest.fixture
async def routed(neo4j_server: dict[str, str]) -> AsyncIterator[Neo4jStore]:
    store = Neo4jStore.connect(routing_uri(neo4j_server["uri"]), neo4j_server["user"], neo4j_server["password"],
                               neo4j_server["database"])
    await store.clear()
    await store.migrate()
    try:
        yield store
    finally:
        await store.close()


def test_the_routing_uri_of_a_bolt_uri() -> None:
    assert routing_uri("bolt://127.0.0.1:7687") == "neo4j://127.0.0.1:7687"
    assert routing_uri("bolt+s://db.example:7687") == "neo4j+s://db.example:7687"


async def test_a_routing_uri_serves_reads_and_writes(routed: Neo4jStore) -> None:
    assert isinstance(routed._ex._driver, neo4j.AsyncNeo4jDriver)  # the routing driver, not a direct one
    await routed.ping()
    await small_graph.build(routed)
    pairings = await routed.paired_units("ORG-A1")
    assert {p.unit.id for p in pairings} >= {"ORG-TAX"}


async def test_every_write_moves_the_bookmarks_reads_wait_for(routed: Neo4jStore) -> None:
    """A managed transaction (`upsert_batch`) and a single statement (`upsert_nodes`) both leave their
    bookmark in the manager the reads use; a transaction outside it would let a read on a lagging
    secondary miss the write just made."""
    manager = routed._ex._driver.execute_query_bookmark_manager
    await small_graph.build(routed)
    before = await manager.get_bookmarks()
    version = await routed.version()
    await routed.upsert_batch([(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新建党支部"}])],
                              [RelGroup(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                        [RelRow("ORG-NEW", small_graph.COMM_A1)])])
    after_batch = await manager.get_bookmarks()
    assert after_batch and after_batch != before
    node = await routed.get_node("ORG-NEW")  # a READ, carrying the batch's bookmark
    assert node is not None and node.props["name"] == "新建党支部"
    assert await routed.version() != version

    await routed.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-NEW", "name": "新建党委"}])
    assert await manager.get_bookmarks() != after_batch
    node = await routed.get_node("ORG-NEW")
    assert node is not None and node.props["name"] == "新建党委"


async def test_a_write_by_another_process_moves_the_version(routed: Neo4jStore, neo4j_server: dict[str, str]) -> None:
    await small_graph.build(routed)
    version = await routed.version()
    assert await routed.version() == version  # a read moves nothing
    other = Neo4jStore.connect(routing_uri(neo4j_server["uri"]), neo4j_server["user"], neo4j_server["password"],
                               neo4j_server["database"])
    try:
        await other.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-A1", "name": "红山社区党总支"}])
    finally:
        await other.close()
    assert await routed.version() != version
    node = await routed.get_node("ORG-A1")
    assert node is not None and node.props["name"] == "红山社区党总支"
