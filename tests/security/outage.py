"""A Bolt link the tests can cut: a TCP relay on loopback in front of a real Neo4j.

The service under test talks to the relay; `refuse()` closes its port and resets every open
connection (what a stopped server looks like from the service), `mute()` accepts connections and
never answers (a server that is starting, frozen or behind a dropped route), `restore()` relays
again on the same port. The database behind it keeps running, so other tests are unaffected."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from enum import Enum


class Link(Enum):
    UP = "up"
    REFUSED = "refused"
    MUTED = "muted"


class Relay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _free_port()
        self.state = Link.UP
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.state = Link.UP
        await self._listen()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def refuse(self) -> None:
        self.state = Link.REFUSED
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._reset_all()

    async def mute(self) -> None:
        self._reset_all()
        self.state = Link.MUTED
        await self._listen()

    async def restore(self) -> None:
        self._reset_all()  # connections accepted while muted are dead to the client anyway
        self.state = Link.UP
        await self._listen()

    async def close(self) -> None:
        await self.refuse()

    def _reset_all(self) -> None:
        for writer in list(self._writers):
            transport = writer.transport
            sock = transport.get_extra_info("socket")
            if sock is not None:  # RST, as a killed server's kernel sends, rather than a polite FIN
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            transport.abort()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # the relay closing under an open connection
            await self._relay(reader, writer)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self.state is not Link.UP:
            await _drain_forever(reader)  # muted: read and never answer
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.add(up_writer)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True)


async def _drain_forever(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(Exception):
        while await reader.read(65536):
            pass


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    finally:
        sink.transport.abort()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
