"""Backup and restore (service/backup.py) on both stores: a backup taken while writes go on restores,
after a wipe, to exactly one of the states the writes passed through; a backup of one kind of store
restores into the other and back; restore refuses a corrupt, truncated, foreign or partial file and
a store that is not empty, before changing anything; an interrupted backup leaves no file."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service import backup
from service.errors import ErrorCode
from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.graph.types import Edge, Node, RelGroup, RelRow
from service.model import Label, RelType
from tests.contract import small_graph

WRITES = 6


async def _build(store: GraphStore) -> None:
    """The small graph, with two claims of one unit on one item (one released): relationships that
    share their ends and type, told apart by their id."""
    await small_graph.build(store)
    await store.claim_item("ITEM-P1", "ORG-A1", 3, "2024-03-01", "CLM-1")
    await store.claim_item("ITEM-P1", "ORG-A1", 2, "2024-03-02", "CLM-2")
    await store.release_claim("CLM-1")


async def _write(store: GraphStore, k: int) -> None:
    """Write k: a new community under street A and the district renamed, in one transaction."""
    await store.upsert_batch(
        [(Label.REGION, [{"id": f"W-{k}", "name": f"新社区{k}", "level": "COMMUNITY"},
                         {"id": small_graph.DISTRICT, "name": f"开发区{k}"}])],
        [RelGroup(RelType.PART_OF, Label.REGION, Label.REGION, [RelRow(f"W-{k}", small_graph.STREET_A)])])


class _SlowExport:
    """The real store, its export slowed by a millisecond a record, so writes surely land during it."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
        def slow(item: Node | Edge) -> None:
            time.sleep(0.001)
            sink(item)

        return await self._store.export_graph(slow)


async def test_a_backup_taken_during_writes_restores_one_state_they_passed_through(
    store: GraphStore, good_file: Path, tmp_path: Path
) -> None:
    await backup.restore(store, good_file, "test store")  # the small graph, quicker than building it
    file = tmp_path / "during.alliance.gz"
    started = asyncio.Event()
    during: list[int] = []

    async def writer() -> None:
        for k in range(1, WRITES + 1):
            if k == 2:
                started.set()  # the backup starts after the first write, the rest run beside it
            await _write(store, k)
            if not task.done():
                during.append(k)
            await asyncio.sleep(0.01)

    async def take() -> backup.Summary:
        await started.wait()
        return await backup.backup(_SlowExport(store), file, "test", "test", attempts=100)  # type: ignore[arg-type]

    task = asyncio.ensure_future(take())
    await writer()
    summary = await task
    assert during, "no write committed while the backup ran"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not backup.partial_path(file).exists()

    await store.clear()  # the lost disk
    assert sum((await store.count_by_label()).values()) == 0
    restored = await backup.restore(store, file, "test store")
    assert restored.node_total == summary.node_total
    present = {n.id for n in await store.get_nodes([f"W-{k}" for k in range(1, WRITES + 1)])}
    written = len(present)
    assert written >= 1  # the backup started after the first write
    assert present == {f"W-{k}" for k in range(1, written + 1)}, "the writes in the backup are not a prefix"
    # the state after exactly `written` writes, rebuilt on the side, is the restored graph
    expected = EmbeddedStore(tmp_path / "expected")
    try:
        await backup.restore(expected, good_file, "expected")
        for k in range(1, written + 1):
            await _write(expected, k)
        assert await backup.fingerprint(store) == await backup.fingerprint(expected)
    finally:
        await expected.close()
    district = await store.get_node(small_graph.DISTRICT)
    assert district is not None and district.props["name"] == f"开发区{written}"
    claims = await store.related(["ITEM-P1"], RelType.CLAIMED, outgoing=False)
    assert sorted((r.props["id"], r.props["status"]) for r in claims) == [("CLM-1", "RELEASED"), ("CLM-2", "ACTIVE")]


def _write_elsewhere(store_kind: str, store: GraphStore, request: pytest.FixtureRequest, k: int) -> None:
    """Write k through a second connection to the same store, on a thread and event loop of its own, and
    wait for its commit: the export in progress (blocked in its sink meanwhile) cannot be what writes."""

    async def write() -> None:
        other: GraphStore
        if store_kind == "embedded":
            assert isinstance(store, EmbeddedStore)
            other = EmbeddedStore(store.path.parent)
        else:
            server = request.getfixturevalue("neo4j_server")
            other = Neo4jStore.connect(server["uri"], server["user"], server["password"], server["database"])
        try:
            await _write(other, k)
        finally:
            await other.close()

    thread = threading.Thread(target=asyncio.run, args=(write(),))
    thread.start()
    thread.join(timeout=60)


async def test_an_export_during_a_write_is_one_state_or_says_it_is_not(
    store: GraphStore, store_kind: str, good_file: Path, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The embedded store's export is the state before the write; Neo4j's (read committed) answers that
    it is not one state, and a backup that gets no quiet read refuses, leaving no file."""
    await backup.restore(store, good_file, "test store")
    neo4j_server = request.getfixturevalue("neo4j_server") if store_kind == "neo4j" else None
    exported: list[Node | Edge] = []

    def sink(item: Node | Edge) -> None:
        if not exported:
            _write_elsewhere(store_kind, store, request, 1)
        exported.append(item)

    consistent = await store.export_graph(sink)
    assert await store.get_node("W-1") is not None  # the write committed
    if neo4j_server is None:
        assert consistent
        assert not [i for i in exported if isinstance(i, Node) and i.id == "W-1"]  # the copy predates it
    else:
        assert not consistent
        file = tmp_path / "busy.gz"

        written = [1]

        class Busy(_SlowExport):
            async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
                def writing(item: Node | Edge) -> None:
                    if isinstance(item, Node) and item.id == small_graph.DISTRICT:  # a new write each attempt
                        written.append(written[-1] + 1)
                        _write_elsewhere(store_kind, self._store, request, written[-1])
                    sink(item)

                return await self._store.export_graph(writing)

        with pytest.raises(backup.StoreBusy, match="writes committed during each of 2 exports"):
            await backup.backup(Busy(store), file, "neo4j", "test", attempts=2)  # type: ignore[arg-type]
        assert not file.exists() and not backup.partial_path(file).exists()


async def test_a_backup_restores_across_the_kinds_of_store_and_back(store: GraphStore, tmp_path: Path) -> None:
    """embedded → `store` (Neo4j in the Neo4j run) → embedded again: the same graph each time."""
    source = EmbeddedStore(tmp_path / "source")
    again = EmbeddedStore(tmp_path / "again")
    try:
        await source.migrate()
        await _build(source)
        expected = await backup.fingerprint(source)
        await backup.backup(source, tmp_path / "one.gz", "embedded", "test")
        await backup.restore(store, tmp_path / "one.gz", "target")
        assert await backup.fingerprint(store) == expected
        await backup.backup(store, tmp_path / "two.gz", "other", "test")
        await backup.restore(again, tmp_path / "two.gz", "again")
        assert await backup.fingerprint(again) == expected
        # and the restored stores work: a claim on the restored item sees the restored claims
        claim = await again.claim_item("ITEM-P1", "ORG-A2", 1, "2024-04-01", "CLM-3")
        assert claim.remaining == 40 - 2 - 1
    finally:
        await source.close()
        await again.close()


async def test_restore_refuses_a_store_that_is_not_empty(store: GraphStore, good_file: Path) -> None:
    await store.upsert_nodes(Label.REGION, [{"id": "R-1", "name": "别的区", "level": "DISTRICT"}])
    before = await backup.fingerprint(store)
    with pytest.raises(backup.StoreNotEmpty, match="the target already holds 1 nodes") as refused:
        await backup.restore(store, good_file, "target")
    assert str(good_file) in str(refused.value) and refused.value.code is ErrorCode.CONFLICT
    assert await backup.fingerprint(store) == before


# refusals of the file itself: checked whole before the store is touched -----------------------
@pytest.fixture
async def good_file(tmp_path: Path) -> Path:
    source = EmbeddedStore(tmp_path / "source")
    try:
        await source.migrate()
        await _build(source)
        file = tmp_path / "good.gz"
        await backup.backup(source, file, "embedded", "test")
    finally:
        await source.close()
    return file


def _lines(file: Path) -> list[bytes]:
    with gzip.open(file, "rb") as gz:
        return list(gz)


def _rewrite(file: Path, lines: list[bytes], name: str) -> Path:
    out = file.with_name(name)
    with gzip.open(out, "wb") as gz:
        gz.writelines(lines)
    return out


async def _refused(file: Path, tmp_path: Path, reason: str) -> None:
    target = EmbeddedStore(tmp_path / f"target-{file.name}")
    try:
        with pytest.raises(backup.BackupRefused, match=reason) as refused:
            await backup.restore(target, file, "target")
        assert str(file) in str(refused.value) and "nothing was changed" in str(refused.value)
        assert refused.value.code is ErrorCode.FILE_REJECTED
        assert sum((await target.count_by_label()).values()) == 0
    finally:
        await target.close()


async def test_restore_refuses_a_corrupt_file(good_file: Path, tmp_path: Path) -> None:
    damaged = bytearray(good_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    flipped = tmp_path / "flipped.gz"
    flipped.write_bytes(bytes(damaged))
    await _refused(flipped, tmp_path, "corrupt")
    # a valid gzip whose content was changed: a member's phone number edited by hand
    lines = [line.replace(b"13812341234", b"13800000000") for line in _lines(good_file)]
    await _refused(_rewrite(good_file, lines, "edited.gz"), tmp_path, "does not match its checksum")


async def test_restore_refuses_a_truncated_file(good_file: Path, tmp_path: Path) -> None:
    data = good_file.read_bytes()
    cut = tmp_path / "cut.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    await _refused(cut, tmp_path, "truncated")
    # complete gzip, but without its last line (as a backup cut short between two lines)
    await _refused(_rewrite(good_file, _lines(good_file)[:-1], "short.gz"), tmp_path, "truncated")


async def test_restore_refuses_a_foreign_file(good_file: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("id,name\n1,x\n", encoding="utf-8")
    await _refused(plain, tmp_path, "not a gzip file")
    other = _rewrite(good_file, [b'{"format": "something-else"}\n'], "other.gz")
    await _refused(other, tmp_path, "not an Alliance Graph backup")
    lines = _lines(good_file)
    header = json.loads(lines[0])
    await _refused(_rewrite(good_file, [json.dumps({**header, "formatVersion": 2}).encode() + b"\n", *lines[1:]],
                            "future.gz"), tmp_path, "format version 2")
    await _refused(_rewrite(good_file, [json.dumps({**header, "labels": [*header["labels"], "Spaceship"]}).encode()
                                        + b"\n", *lines[1:]], "alien.gz"), tmp_path, "Spaceship are not in this one")
    await _refused(_rewrite(good_file, [json.dumps({**header, "model": "0" * 64}).encode() + b"\n", *lines[1:]],
                            "older.gz"), tmp_path, "another version of the model")


async def test_an_interrupted_backup_leaves_no_file(tmp_path: Path) -> None:
    source = EmbeddedStore(tmp_path / "source")
    file = tmp_path / "never.gz"

    class Interrupted(Exception):
        pass

    class Failing(_SlowExport):
        async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
            seen = 0

            def failing(item: Node | Edge) -> None:
                nonlocal seen
                seen += 1
                if seen == 20:
                    assert backup.partial_path(file).exists() and not file.exists()
                    raise Interrupted
                sink(item)

            return await self._store.export_graph(failing)

    try:
        await source.migrate()
        await _build(source)
        with pytest.raises(Interrupted):
            await backup.backup(Failing(source), file, "embedded", "test")  # type: ignore[arg-type]
        assert sorted(os.listdir(tmp_path)) == ["source"]
        file.write_bytes(b"")
        with pytest.raises(backup.BackupRefused, match="already exists"):
            await backup.backup(source, file, "embedded", "test")  # never overwritten
    finally:
        await source.close()
