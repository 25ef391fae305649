"""The Neo4j driver's connections: no timer on each read, the server's idle hint kept as TCP probes."""

from __future__ import annotations

import socket
from typing import Any

from service.graph.neo4j import Neo4jStore, liveness


async def test_connections_read_without_a_timer_and_probe_within_the_servers_hint(
    neo4j_server: dict[str, str],
) -> None:
    store = Neo4jStore.connect(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"],
                               neo4j_server["database"])
    try:
        await store.ping()
        connections: list[Any] = [c for cs in store._ex._driver._pool.connections.values() for c in cs]
        assert connections
        for connection in connections:
            hint = connection.connection_hints.get("connection.recv_timeout_seconds")
            assert isinstance(hint, int) and hint > 0  # the server sends it: what is declined is real
            assert connection.socket.get_read_timeout() is None  # each read is a plain await
            raw = connection.socket._socket
            assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            if hasattr(socket, "TCP_USER_TIMEOUT"):
                assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == hint * 1000
                idle = raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE)
                every = raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL)
                count = raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT)
                assert idle + every * count <= hint  # a silent peer is given up on within the hint
    finally:
        await store.close()


def test_install_is_idempotent_and_keeps_the_drivers_own_timeouts() -> None:
    liveness.install()
    from neo4j._async_compat.network import _bolt_socket

    patched = _bolt_socket.AsyncBoltSocketBase.set_read_timeout
    liveness.install()
    assert _bolt_socket.AsyncBoltSocketBase.set_read_timeout is patched

    class Plain:
        _read_timeout: float | None = 5.0

    plain = Plain()
    patched(plain, None)  # type: ignore[arg-type]
    assert plain._read_timeout is None
    patched(plain, 0.6)  # type: ignore[arg-type]  # a handshake's deadline: still a timer
    assert plain._read_timeout == 0.6
