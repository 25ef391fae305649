"""Issue 16's speed paths: `alliance load --bulk` through neo4j-admin import against the local Neo4j (the report,
the same graph as an ordinary load, the refusal of a database that is not empty), issue 13's `alliance demo --bulk`
on a two-district province, and the concurrent batch writers keeping each batch all or nothing."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from loaders.bulk import BulkRefused, bulk_import_demo, bulk_load
from loaders.engine import Options, load_file
from loaders.staging import StagingGraph
from service import neo4j_local
from service.demo.dataset import Dataset, GraphBuffer
from service.errors import Conflict, StoreUnavailable
from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.graph.types import ItemQuery
from service.model import Label, RelType
from service.settings import Settings, StoreKind
from tests.contract import small_graph
from tests.loaders.test_loaders import ITEM_HEADER, write_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(neo4j_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The home of the local server the tests use (make test: .neo4j/test), found by its Bolt address."""
    env = (os.environ.get("ALLIANCE_NEO4J_HOME"), os.environ.get("ALLIANCE_TEST_NEO4J_HOME"))
    candidates = [Path(p) for p in env if p] + [ROOT / ".neo4j" / "test",
                                                *tmp_path_factory.getbasetemp().glob("neo4j*")]
    for found in candidates:
        server = neo4j_local.status(found)
        if server is not None and server.uri == neo4j_server["uri"]:
            return found
    raise AssertionError(f"no local Neo4j home serves {neo4j_server['uri']}: --bulk imports only into a local one")


@pytest.fixture
def settings(neo4j_server: dict[str, str]) -> Settings:
    return Settings(store=StoreKind.NEO4J, neo4j_uri=neo4j_server["uri"], neo4j_user=neo4j_server["user"],
                    neo4j_password=SecretStr(neo4j_server["password"]), neo4j_database=neo4j_server["database"])


def _files(tmp_path: Path) -> list[tuple[str, list[Path]]]:
    orgs = write_csv(tmp_path / "orgs.csv", [
        ["组织编号", "组织名称", "组织类型", "组织层级", "上级党组织"],
        ["ORG-X1", "红山社区党委", "社区", "党委", ""],
        ["ORG-X2", "红山社区第一党支部", "社区", "党支部", "ORG-X1"],
        ["ORG-X3", "区税务局机关党支部", "机关", "党支部", ""],
    ])
    items = write_csv(tmp_path / "items.csv", [
        ITEM_HEADER,
        ["I-1", "需求", "停车位", "3", "2021/3/5", "ORG-X1"],
        ["I-2", "资源", "会议室\n两间", "2", "2021年3月6日", "区税务局机关党支部"],  # by name, a multiline cell
        ["I-3", "项目", "结对共建", "", "2021-03-07", "ORG-X2"],
        ["I-4", "资源", "x", "1", "2021-03-05", "ORG-NONE"],  # rejected: an unknown publisher
    ])
    return [("organisations", [orgs]), ("items", [items])]


async def test_bulk_refuses_a_database_that_is_not_empty(settings: Settings, home: Path, tmp_path: Path) -> None:
    assert settings.neo4j_password is not None
    store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value(),
                               settings.neo4j_database)
    try:
        await store.clear()
        await store.migrate()
        await small_graph.build(store)
        before = await store.count_by_label()
        pid = neo4j_local.status(home).pid  # type: ignore[union-attr]
        with pytest.raises(BulkRefused) as refused:
            await bulk_load(_files(tmp_path), Options(), home, settings)
        held = sum(before.values())
        assert f"the Neo4j database 'neo4j' at {settings.neo4j_uri} is not empty: it holds {held:,} nodes" \
            in str(refused.value)
        assert await store.count_by_label() == before and neo4j_local.status(home).pid == pid  # type: ignore[union-attr]
        assert not (tmp_path / "items.rejects.csv").exists()  # refused before any file was read
    finally:
        await store.clear()
        await store.close()


async def _emptied(settings: Settings) -> str:
    """Empties the test Neo4j (--bulk refuses a database that holds anything); its password."""
    assert settings.neo4j_password is not None
    password = settings.neo4j_password.get_secret_value()
    store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database)
    try:
        await store.clear()
    finally:
        await store.close()
    return password


async def test_bulk_imports_what_an_ordinary_load_writes(settings: Settings, home: Path, tmp_path: Path) -> None:
    password = await _emptied(settings)
    files = _files(tmp_path)
    result = await bulk_load(files, Options(), home, settings)
    orgs, items = result.reports
    assert (orgs.created, orgs.rejected, items.created, items.rejected) == (3, 0, 3, 1)
    assert [(r.row, r.column, r.reason) for r in items.rejects] == [
        (5, "发布单位", "unknown publisher 'ORG-NONE': no organisation or enterprise has this id, credit code or "
                        "exact name")]
    assert (result.nodes, result.relationships) == (6, 4) and not result.failed

    expected = EmbeddedStore(tmp_path / "embedded")  # the same files, loaded the ordinary way
    (tmp_path / "again").mkdir()
    await expected.migrate()
    for kind, paths in files:
        await load_file(expected, kind, paths[0], Options(rejects_dir=tmp_path / "again"))
    store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database)
    try:
        ids = ["ORG-X1", "ORG-X2", "ORG-X3", "I-1", "I-2", "I-3"]
        got, want = await store.get_nodes(ids), await expected.get_nodes(ids)
        assert [(n.id, n.label, n.props) for n in got] == [(n.id, n.label, n.props) for n in want]
        assert got[4].props["title"] == "会议室 两间" and got[3].props["quantity"] == 3  # the loader joins lines
        for type_ in (RelType.PUBLISHED, RelType.PART_OF):
            pairs = {(r.source_id, r.node.id, tuple(sorted(r.props.items())))
                     for r in await store.related(ids, type_, outgoing=False)}
            assert pairs == {(r.source_id, r.node.id, tuple(sorted(r.props.items())))
                             for r in await expected.related(ids, type_, outgoing=False)}
        counts = await store.count_by_label()
        assert (counts[Label.ORGANISATION], counts[Label.LIST_ITEM], counts[Label.IMPORT]) == (3, 3, 2)
        with pytest.raises(Conflict):  # the migrations ran: the unique id constraint holds again
            await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ORG-X1", "title": "clash"}])
        assert await store.migrate() == []  # every migration recorded (their backfills had nothing to do)
        assert got[3].props["remaining"] == 3 and got[5].props["remaining"] == 0  # kept as the stores keep it
        for q in (ItemQuery(), ItemQuery(list="NEED"), ItemQuery(list="RESOURCE", unclaimed=True),
                  ItemQuery(unclaimed=False), ItemQuery(list="PROJECT", unclaimed=True)):  # the item tallies built
            assert (await store.list_items(q)).total == (await expected.list_items(q)).total, q
    finally:
        await store.clear()
        await store.close()
        await expected.close()


def _part(replica: int, district: str, shared: bool) -> Dataset:
    """One district of a two-district province as service.demo.stream yields it: the province and city are
    written by the first part only (a later part links to them)."""
    buf = GraphBuffer()
    if shared:
        buf.add(Label.REGION, {"id": "440000", "name": "广东省", "level": "PROVINCE"})
        buf.add(Label.REGION, {"id": "440100", "name": "广州市", "level": "CITY"})
        buf.link(RelType.PART_OF, Label.REGION, "440100", Label.REGION, "440000")
    buf.add(Label.REGION, {"id": district, "name": f"区{replica}", "level": "DISTRICT"})
    buf.link(RelType.PART_OF, Label.REGION, district, Label.REGION, "440100")
    for n in (1, 2):
        org = buf.add(Label.ORGANISATION, {"id": f"ORG-{district}-{n}", "name": f"社区党委{replica}{n}",
                                           "kind": "COMMUNITY", "level": "COMMITTEE"})
        buf.link(RelType.LOCATED_IN, Label.ORGANISATION, org, Label.REGION, district)
    item = buf.add(Label.LIST_ITEM, {"id": f"I-{district}", "list": "RESOURCE", "title": "会议室", "quantity": 5,
                                     "status": "OPEN", "publishedOn": "2024-03-01"})
    buf.link(RelType.PUBLISHED, Label.ORGANISATION, f"ORG-{district}-1", Label.LIST_ITEM, item)
    buf.claims += [{"id": f"CLM-{district}-1", "item_id": item, "claimant_id": f"ORG-{district}-2", "quantity": 2,
                    "on": "2024-03-02"},
                   {"id": f"CLM-{district}-2", "item_id": item, "claimant_id": f"ORG-{district}-2", "quantity": 9,
                    "on": "2024-03-03"}]  # more than is left: refused by the store's check, as a load would be
    return buf.to_dataset("tiny", 1, 0, {}, replica=replica)


@pytest.mark.slow  # one stop, import and restart of the test Neo4j: 98 s at load average 10-20 (2026-12-03)
async def test_a_streamed_demo_imports_in_bulk_with_its_claims(settings: Settings, home: Path) -> None:
    """`alliance demo --profile guangdong --bulk`'s path (bulk_import_demo) on a two-district province: the
    parts' rows through the importer, the migrations, then the claims through the store's atomic check."""
    password = await _emptied(settings)
    seen: list[tuple[int, int, int]] = []
    parts = (_part(1, "440114", shared=True), _part(2, "446014", shared=False))
    result = await bulk_import_demo(parts, home, settings,
                                    progress=lambda part, nodes, rels: seen.append((part.replica, nodes, rels)))
    assert seen == [(1, 6, 5), (2, 10, 9)]  # per part: nodes and relationships written so far
    assert (result.nodes, result.relationships, result.claims, result.claims_rejected) == (10, 9, 4, 2)
    store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database)
    try:
        counts = await store.count_by_label()
        assert (counts[Label.REGION], counts[Label.ORGANISATION], counts[Label.LIST_ITEM]) == (4, 4, 2)
        item = await store.get_node("I-446014")
        assert item is not None and (item.props["claimed"], item.props["remaining"]) == (2, 3)
        stats = {(c.label, c.kind): c.count for c in await store.region_stats("440000")}
        assert stats == {(Label.REGION, "PROVINCE"): 1, (Label.REGION, "CITY"): 1, (Label.REGION, "DISTRICT"): 2,
                         (Label.ORGANISATION, "COMMUNITY"): 4, (Label.LIST_ITEM, "RESOURCE"): 2}
        with pytest.raises(Conflict):  # the migrations ran: the unique id constraint holds
            await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ORG-440114-1", "title": "clash"}])
    finally:
        await store.clear()
        await store.close()


async def test_staged_files_keep_types_and_ask_multiline_parsing_only_for_a_line_break(tmp_path: Path) -> None:
    staging = StagingGraph(tmp_path / "staging.sqlite3")
    try:
        await staging.upsert_batch([(Label.ORGANISATION, [{"id": "O-1", "name": "甲"}, {"id": "O-2", "name": "乙"}]),
                                    (Label.LIST_ITEM, [{"id": "I-1", "title": "a", "quantity": 2, "tags": ["x", "y"]},
                                                       {"id": "I-2", "title": "b"}])], [])
        files = staging.write_import_files(tmp_path)
        assert not files.multiline
        rows = [p.read_text(encoding="utf-8").splitlines() for p in files.nodes]  # a header, rows in any order
        assert sorted((r[0], sorted(r[1:])) for r in rows) == sorted((r[0], sorted(r[1:])) for r in [
            ['"id:ID","name:string"', '"O-1","甲"', '"O-2","乙"'],
            ['"id:ID","claimed:long","quantity:long","remaining:long","tags:string[]","title:string"',
             '"I-1","0","2","2","x\x1fy","a"'],
            ['"id:ID","claimed:long","remaining:long","title:string"', '"I-2","0","0","b"']])
        await staging.upsert_batch([(Label.LIST_ITEM, [{"id": "I-3", "title": "two\nlines"}])], [])
        (tmp_path / "again").mkdir()
        assert staging.write_import_files(tmp_path / "again").multiline
    finally:
        await staging.close()


async def test_concurrent_writers_keep_each_batch_all_or_nothing(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [ITEM_HEADER]
    for i in range(40):
        # row 17 takes an organisation's id: its batch (rows 16-20 with 5-row batches) fails in the store
        rows.append(["ORG-A1" if i == 16 else f"I-{i:03d}", "需求", f"事项{i}", "1", "2021-03-05", "ORG-TAX"])
    path = write_csv(tmp_path / "items.csv", rows)
    with pytest.raises(Conflict):
        await load_file(store, "items", path, Options(batch_size=5, writers=2))
    written = {n.id for n in await store.get_nodes([f"I-{i:03d}" for i in range(40)])}
    failed = {f"I-{i:03d}" for i in range(15, 20)} - {"I-016"}
    assert written.isdisjoint(failed)  # nothing of the failing batch
    assert {f"I-{i:03d}" for i in range(15)} <= written  # every batch before it
    # no batch started after the failure: at most the one batch written beside the failed one
    assert written - {f"I-{i:03d}" for i in range(15)} <= {f"I-{i:03d}" for i in range(20, 25)}
    assert (await store.get_node("ORG-A1")).label is Label.ORGANISATION  # type: ignore[union-attr]


class _BusyPool:
    """The store as the loader meets it on a busy server: while a batch is being written, a lookup needs a
    connection of its own and the store refuses it (StoreUnavailable: its handshake's bound ran out)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.writing = 0
        self.refused = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    async def upsert_batch(self, *args: object) -> object:
        self.writing += 1
        try:
            await asyncio.sleep(0.05)  # long enough for the next batch's lookup to start meanwhile
            return await self._store.upsert_batch(*args)  # type: ignore[arg-type]
        finally:
            self.writing -= 1

    async def get_nodes(self, ids: list[str]) -> object:
        if self.writing:
            self.refused += 1
            raise StoreUnavailable("Neo4j is not answering; try again shortly")
        return await self._store.get_nodes(ids)


async def test_a_lookup_refused_while_batches_are_written_is_asked_again(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    rows: list[list[object]] = [ITEM_HEADER]
    rows += [[f"I-{i:03d}", "需求", f"事项{i}", "1", "2021-03-05", "ORG-TAX"] for i in range(20)]
    busy = _BusyPool(store)
    report = await load_file(busy, "items", write_csv(tmp_path / "items.csv", rows),  # type: ignore[arg-type]
                             Options(batch_size=5, writers=2))
    assert busy.refused and (report.created, report.rejected) == (20, 0)
    assert len(await store.get_nodes([f"I-{i:03d}" for i in range(20)])) == 20
