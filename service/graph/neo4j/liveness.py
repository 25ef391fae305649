"""How a dead Neo4j connection is noticed: by the kernel's TCP probes, not by a timer on every read.

Neo4j's HELLO answer carries the hint `connection.recv_timeout_seconds` (120 s by default), and the
Python driver honours it by putting each socket read under `asyncio.wait_for` with that timeout,
which wraps every read in a Task of its own: about 30% of the service's CPU for a 50-item page
(measured on the ×30 province: 10.1 → 7.1 ms per listItems request; bench/RESULTS.md, session 8).
Bolt's hints are advisory ("drivers may choose to interpret or ignore these hints"), so the hint is
taken here as a bound for TCP keepalive and TCP_USER_TIMEOUT on the connection's socket instead: a
peer that vanished is still found within the hint's time, idle or mid-read, at no cost per read. A
request's statements stay bounded by its own budget as before (the transaction timeout the server
enforces and the router's timeout).

The driver offers no setting for this, so its socket's `set_read_timeout` is replaced once per process:
an int is the hint (the driver applies it only as one) and becomes the probes; any other value, such as
the float deadline that bounds the handshake with a server that accepts and never answers, is set as
before. `install` refuses loudly if a driver release moves the method.
"""

from __future__ import annotations

import socket
from typing import Any

from neo4j._async_compat.network import _bolt_socket

_INSTALLED = "_alliance_keepalive"
PROBES = 3  # keepalive probes before the kernel gives up on a silent peer


def install() -> None:
    """Idempotent: the driver's sockets take the hint as keepalive settings from now on."""
    base: Any = getattr(_bolt_socket, "AsyncBoltSocketBase", None)
    original = getattr(base, "set_read_timeout", None)
    if original is None:
        raise RuntimeError("neo4j driver: AsyncBoltSocketBase.set_read_timeout has moved; "
                           "service/graph/neo4j/liveness.py must follow it")
    if getattr(original, _INSTALLED, False):
        return

    def set_read_timeout(self: Any, timeout: float | None) -> None:
        # The driver applies the hint only as an int (Bolt types it Integer); its own bounds, such as the
        # handshake's deadline while connecting, come as floats and keep their timer.
        if isinstance(timeout, int) and not isinstance(timeout, bool):
            probe(self._socket, timeout)
            return
        original(self, timeout)

    setattr(set_read_timeout, _INSTALLED, True)
    base.set_read_timeout = set_read_timeout


def probe(sock: Any, within: float) -> None:
    """Keepalive probes on an idle connection and a bound on unacknowledged data, so the kernel ends
    a connection whose peer stays silent for about `within` seconds (Linux options; elsewhere the
    operating system's keepalive defaults apply)."""
    seconds = max(3, int(within))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", seconds // 2), ("TCP_KEEPINTVL", max(1, seconds // (2 * PROBES))),
                        ("TCP_KEEPCNT", PROBES), ("TCP_USER_TIMEOUT", seconds * 1000)):
        option = getattr(socket, name, None)
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)
