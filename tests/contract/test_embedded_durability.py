"""The embedded store keeps its data across restarts and across processes."""

from __future__ import annotations

import contextlib
import multiprocessing
from pathlib import Path

import pytest

from service.graph.embedded import EmbeddedStore
from service.graph.types import ItemQuery
from service.model import Label
from tests.contract import small_graph
from tests.contract.whole_graph import edge_list


async def test_data_survives_a_restart(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path)
    await first.migrate()
    await small_graph.build(first)
    await first.claim_item("ITEM-P1", "ORG-A1", 7, "2021-06-01", "C-1")
    await first.close()

    second = EmbeddedStore(tmp_path)
    assert await second.migrate() == []  # recorded, not applied twice
    node = await second.get_node("ORG-A1")
    assert node is not None and node.props["name"] == "红山社区党委"
    assert len((await edge_list(second))[1]) == 39
    [item] = (await second.list_items(ItemQuery(category="停车位"))).items
    assert item.claimed == 7 and item.remaining == 33
    await second.close()


async def test_a_failed_batch_leaves_nothing_behind_after_restart(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    await store.upsert_nodes(Label.REGION, [{"id": "R1"}])
    with contextlib.suppress(Exception):
        await store.upsert_nodes(Label.ORGANISATION, [{"id": "O1"}, {"id": "R1"}])
    await store.close()
    reopened = EmbeddedStore(tmp_path)
    assert await reopened.get_node("O1") is None


async def test_writes_of_another_process_are_seen(tmp_path: Path) -> None:
    reader = EmbeddedStore(tmp_path)
    await reader.upsert_nodes(Label.REGION, [{"id": "R1", "name": "甲"}])
    assert (await reader.get_node("R1")).props["name"] == "甲"  # type: ignore[union-attr]
    writer = EmbeddedStore(tmp_path)  # its own connection, as another process would have
    await writer.upsert_nodes(Label.REGION, [{"id": "R1", "name": "乙"}, {"id": "R2"}])
    assert (await reader.get_node("R1")).props["name"] == "乙"  # type: ignore[union-attr]
    assert await reader.get_node("R2") is not None


def _claim_in_process(path: str, claim_id: str, results: multiprocessing.Queue[str]) -> None:
    import asyncio

    async def run() -> str:
        store = EmbeddedStore(Path(path))
        try:
            outcome = await store.claim_items([{"id": claim_id, "item_id": "ITEM-P2", "claimant_id": "ORG-A1",
                                                "quantity": 1, "on": "2021-06-01"}])
            return type(outcome[0]).__name__
        finally:
            await store.close()

    results.put(asyncio.run(run()))


async def test_claims_from_many_processes_on_the_last_unit(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    await small_graph.build(store)
    ctx = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[str] = ctx.Queue()
    procs = [ctx.Process(target=_claim_in_process, args=(str(tmp_path), f"MP-{i}", results)) for i in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert outcomes == ["AlreadyClaimed"] * 7 + ["Claim"]
    [item] = (await store.list_items(ItemQuery(category="场地"))).items
    assert item.claimed == 1


async def test_a_refused_write_keeps_memory_and_a_half_written_one_reloads(tmp_path: Path) -> None:
    """A write refused before it changed anything (here: releasing an unknown claim) used to make the
    next request read the whole file again (1.9 s at demo size); a batch refused halfway must still
    reload, since memory already holds part of it."""
    import pytest

    from service.errors import NotFound
    from service.graph.types import RelGroup, RelRow
    from service.model import RelType

    store = EmbeddedStore(tmp_path)
    await store.migrate()
    await small_graph.build(store)
    executor = store._ex
    synced = executor._version
    with pytest.raises(NotFound):
        await store.release_claim("NO-SUCH-CLAIM")
    assert executor._version == synced, "memory was thrown away after a refusal that changed nothing"
    with pytest.raises(NotFound):
        await store.upsert_batch([(Label.ORGANISATION, [{"id": "ORG-HALF", "name": "半途党支部"}])],
                                 [RelGroup(RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION,
                                           [RelRow("ORG-HALF", "ORG-NOPE")])])
    assert executor._version == -1  # reloaded on the next call
    assert await store.get_node("ORG-HALF") is None
    assert (await store.get_node("ORG-A1")) is not None
    await store.close()


async def test_a_reload_reads_one_snapshot_while_another_process_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's batch (a node and a relationship to it) commits while this one is reloading,
    between its read of the nodes and its read of the relationships: memory must hold all of that
    batch or none of it, never a relationship whose node it did not load."""
    from service.graph.embedded import batches
    from service.graph.embedded.executor import EmbeddedExecutor
    from service.graph.embedded.memory_graph import MemoryGraph
    from service.graph.types import RelGroup, RelRow
    from service.model import RelType

    path = tmp_path / "alliance.sqlite3"
    seed = EmbeddedStore(tmp_path)
    await small_graph.build(seed)
    await seed.close()
    reader, writer = EmbeddedExecutor(path), EmbeddedExecutor(path)
    writer.version()  # loaded before the hook is in place
    put_nodes = MemoryGraph.put_nodes
    committed: list[bool] = []

    def put_nodes_then_commit_elsewhere(self: MemoryGraph, nodes: object) -> None:
        put_nodes(self, nodes)  # type: ignore[arg-type]
        if not committed:  # the first nodes the reader loads: the other process commits now
            committed.append(True)
            batches.upsert_batch(writer, [(Label.ORGANISATION, [{"id": "ORG-LATE", "name": "后到党支部"}])],
                                 [RelGroup(RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION,
                                           [RelRow("ORG-LATE", small_graph.COMM_A1)])])

    monkeypatch.setattr(MemoryGraph, "put_nodes", put_nodes_then_commit_elsewhere)
    with reader.reading() as mem:
        assert committed
        assert ("ORG-LATE" in mem.nodes) == mem.has_edge("ORG-LATE", small_graph.COMM_A1)  # both or neither
    monkeypatch.setattr(MemoryGraph, "put_nodes", put_nodes)
    with reader.reading() as mem:  # the commit is noticed on the next call
        assert "ORG-LATE" in mem.nodes and mem.has_edge("ORG-LATE", small_graph.COMM_A1)
    reader.close()
    writer.close()
