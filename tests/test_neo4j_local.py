"""The local Neo4j control against a real JVM: one start/stop cycle, since each start costs a JVM boot."""

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


def _logs_in(uri: str, password: str) -> bool:
    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        try:
            driver.verify_connectivity()
        except Exception:  # AuthError, or the rate limit after one
            return False
    return True


@pytest.mark.slow
def test_a_restart_keeps_the_password_and_port_a_running_service_has(tmp_path: Path) -> None:
    """Before, every start set a new password (and took a new port): a service started with the old
    HOME/env could no longer log in after `alliance neo4j stop; alliance neo4j start`."""
    home = tmp_path / "neo4j"
    first = neo4j_local.start(home, timeout=300)
    try:
        assert stat.S_IMODE((home / "identity.json").stat().st_mode) == 0o600
        neo4j_local.stop(home)
        assert (home / "identity.json").exists() and not (home / "env").exists()
        again = neo4j_local.start(home, timeout=300)  # the existing data directory, started again
        assert (again.password, again.uri) == (first.password, first.uri)
        assert again.pid != first.pid
        assert _logs_in(first.uri, first.password)  # what the running service still holds
        neo4j_local.stop(home)

        # a home whose identity was lost (or made before it was kept): a new password is set and works
        (home / "identity.json").unlink()
        fresh = neo4j_local.start(home, timeout=300)
        assert fresh.password != first.password
        assert _logs_in(fresh.uri, fresh.password)
        assert f"ALLIANCE_NEO4J_PASSWORD={fresh.password}\n" in (home / "env").read_text()
    finally:
        neo4j_local.stop(home)
