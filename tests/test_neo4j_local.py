"""The local Neo4j control against a real JVM: one start/stop/start cycle, since each start costs a JVM boot."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from service import neo4j_local

FULLTEXT = (
    "CREATE FULLTEXT INDEX t IF NOT EXISTS FOR (n:Organisation) ON EACH [n.name] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_start_status_query_stop(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    # generous: CI machines run this beside the suite's own Neo4j
    server = neo4j_local.start(home, timeout=300)
    try:
        assert neo4j_local.status(home) == server
        assert server.uri == f"bolt://127.0.0.1:{server.port}" and server.user == "neo4j"
        env = home / "env"
        assert stat.S_IMODE(env.stat().st_mode) == 0o600
        assert stat.S_IMODE((home / "server.json").stat().st_mode) == 0o600
        assert f"ALLIANCE_NEO4J_PASSWORD={server.password}\n" in env.read_text()
        assert f"ALLIANCE_NEO4J_URI={server.uri}\n" in env.read_text()

        assert neo4j_local.start(home) == server  # idempotent while it runs

        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one", database_=server.database)
            assert records[0]["one"] == 1

            # the CJK analyzer (bigrams) finds a Chinese name by a part of it
            driver.execute_query(FULLTEXT, database_=server.database)
            driver.execute_query("CREATE (:Organisation {name: '红山社区党委'})", database_=server.database)
            driver.execute_query("CALL db.awaitIndexes()", database_=server.database)
            records, _, _ = driver.execute_query(
                "CALL db.index.fulltext.queryNodes('t', '红山') YIELD node RETURN node.name AS name",
                database_=server.database,
            )
            assert [r["name"] for r in records] == ["红山社区党委"]
    finally:
        stopped = neo4j_local.stop(home)

    assert stopped
    assert not _port_open(server.port)
    assert neo4j_local.status(home) is None
    assert not (home / "env").exists() and not (home / "server.json").exists()
    with pytest.raises(ProcessLookupError):
        os.kill(server.pid, 0)
    assert neo4j_local.stop(home) is False

    # Started again on its data directory: the same password and port, so a service still running with the
    # first HOME/env logs in again. Before, every start set a new password (and took a new port).
    assert stat.S_IMODE((home / "identity.json").stat().st_mode) == 0o600
    again = neo4j_local.start(home, timeout=300)
    try:
        assert (again.password, again.uri) == (server.password, server.uri) and again.pid != server.pid
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            driver.verify_connectivity()
    finally:
        assert neo4j_local.stop(home)


def test_a_home_without_a_kept_identity_gets_a_fresh_password(tmp_path: Path) -> None:
    """A home made before identities were kept (or whose file was lost or spoiled) gets a new password,
    which the launcher then sets on the existing database; a kept one is reused."""
    home = tmp_path / "neo4j"
    home.mkdir()
    password, port = neo4j_local._identity(home)
    assert len(password) >= 24 and port is None
    (home / "identity.json").write_text("{not json")
    assert neo4j_local._identity(home)[0] not in {password, ""}
    (home / "identity.json").write_text('{"password": "kept", "port": 7999}')
    assert neo4j_local._identity(home) == ("kept", 7999)



def test_the_heap_setting_defaults_to_2g_and_refuses_what_the_jvm_would_not_take(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ALLIANCE_NEO4J_HEAP", raising=False)
    assert neo4j_local.heap() == "2g"
    monkeypatch.setenv("ALLIANCE_NEO4J_HEAP", "6G")
    assert neo4j_local.heap() == "6g"
    monkeypatch.setenv("ALLIANCE_NEO4J_HEAP", "lots")
    with pytest.raises(ValueError, match="ALLIANCE_NEO4J_HEAP='lots'"):
        neo4j_local.heap()
