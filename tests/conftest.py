"""Test fixtures: a `store` parametrised over both adapters, each test on an empty graph.

The Neo4j side is a real server: the one named by ALLIANCE_NEO4J_URI / _PASSWORD when set,
otherwise one started by service.neo4j_local for the session (and stopped after it).
Set ALLIANCE_TEST_STORES=embedded to run only the embedded side on a laptop; CI runs both,
and a Neo4j that cannot start fails the run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.graph.embedded import EmbeddedStore
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore

STORES = [s for s in os.environ.get("ALLIANCE_TEST_STORES", "embedded,neo4j").split(",") if s]
if os.environ.get("CI") == "true" and set(STORES) != {"embedded", "neo4j"}:
    raise RuntimeError("CI runs the suite against both stores; unset ALLIANCE_TEST_STORES")


@pytest.fixture(scope="session", autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The embedded store's default place is per user (~/.local/share/alliance-graph): no test
    that leaves ALLIANCE_DATA_DIR unset may write there, so XDG_DATA_HOME points into the session's
    temporary folder (subprocesses inherit it)."""
    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    yield
    if before is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = before


async def _load_demo(data_dir: Path, profile: str) -> None:
    from service.demo import generate, load_dataset

    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        await load_dataset(store, generate(profile))
    finally:
        await store.close()


@pytest.fixture(scope="session")
def urumqi_demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store's data directory holding the urumqi-etdz demo as `make run` loads it
    (scale 1, seed 2026), made once per session: read it, or write to a copy (`demo_data_dir`)."""
    data_dir = tmp_path_factory.mktemp("urumqi-demo") / "data"
    with ThreadPoolExecutor(1) as pool:  # its own event loop, whatever loop the asking test runs in
        pool.submit(asyncio.run, _load_demo(data_dir, "urumqi-etdz")).result()
    return data_dir


@pytest.fixture
def demo_data_dir(urumqi_demo_dir: Path, tmp_path: Path) -> Path:
    """A test's own copy of the urumqi-etdz demo store."""
    return Path(shutil.copytree(urumqi_demo_dir, tmp_path / "demo-data"))


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if os.environ.get("ALLIANCE_NEO4J_URI") and os.environ.get("ALLIANCE_NEO4J_PASSWORD"):
        yield {
            "uri": os.environ["ALLIANCE_NEO4J_URI"],
            "user": os.environ.get("ALLIANCE_NEO4J_USER", "neo4j"),
            "password": os.environ["ALLIANCE_NEO4J_PASSWORD"],
            "database": os.environ.get("ALLIANCE_NEO4J_DATABASE", "neo4j"),
        }
        return
    from service import neo4j_local

    home = Path(os.environ.get("ALLIANCE_TEST_NEO4J_HOME", tmp_path_factory.mktemp("neo4j")))
    server = neo4j_local.start(home)
    try:
        yield {"uri": server.uri, "user": server.user, "password": server.password, "database": server.database}
    finally:
        if "ALLIANCE_TEST_NEO4J_HOME" not in os.environ:
            neo4j_local.stop(home)


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def store(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """An empty, migrated store of the parametrised kind."""
    s: GraphStore
    if store_kind == "embedded":
        s = EmbeddedStore(tmp_path / "data")
    else:
        server = request.getfixturevalue("neo4j_server")
        s = Neo4jStore.connect(server["uri"], server["user"], server["password"], server["database"])
        await s.clear()
    await s.migrate()
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
def cli_on_store(monkeypatch: pytest.MonkeyPatch, store_kind: str, request: pytest.FixtureRequest,
                 tmp_path: object) -> Iterator[None]:
    """The `alliance` CLI run in-process on the `store` fixture's store: its file (tmp_path/data), or its
    server; no other ALLIANCE_ setting of the environment leaks in."""
    for name in list(os.environ):
        if name.startswith("ALLIANCE_") and not name.startswith(("ALLIANCE_NEO4J_", "ALLIANCE_TEST_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ALLIANCE_STORE", store_kind)
    monkeypatch.setenv("ALLIANCE_DATA_DIR", f"{tmp_path}/data")
    if store_kind == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        for key in ("uri", "user", "password", "database"):
            monkeypatch.setenv(f"ALLIANCE_NEO4J_{key.upper()}", server[key])
    yield
