"""Cached answers at the door: a repeated GraphQL query answered from its response bytes before routing.

The response cache (service/api/response_cache.py) saves a repeat its execution, but a hit still went
through FastAPI's routing, strawberry's request parsing, the context, the result's formatting and JSON
encoding: most of a cached request's CPU. This ASGI layer, inside the access log and the size limit and in
front of the routes, keeps the *bytes* of each answer the router stored or served from that cache, keyed by
the request body itself, the caller's role and region and the Accept header, with the store version the
router read before executing. A later request with the same key is authenticated and rate-limited as
usual (service/deps.py caller_of, once per request: a miss hands the caller on to the router), then the
store is asked its version — on the embedded store a look at SQLite's `data_version`, no statement; on
Neo4j one trivial read shared by the requests that arrive while it runs (service/graph/neo4j/executor.py)
— and the bytes go out when it is unchanged. So an answer is still never older than the data: the version
is read after the request arrived, and every write by anyone moves it.

What the router decides stays decided there: only a query that answered without errors and without
personal data, admitted on its second sight, is kept; mutations, refusals, live fields and anything with
a client's bookmark header (it asks the read to wait for a write elsewhere) take the full path."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from service import http_errors
from service.deps import caller_of
from service.errors import AllianceError
from service.gate import StoreGate
from service.graph import causal
from service.request_record import note_cache, note_operation

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/graphql"
MAX_KEPT_BODY = 16_384  # bytes of a request body kept as a key: a dashboard's question is well under it
MAX_KEPT_BYTES = 64 * 1_048_576  # the kept answers' bytes in one process, beyond the router's own entries
SCOPE_KEY = "alliance.answer"  # where the router notes that it may keep the answer (Verdict)
CALLER_KEY = "alliance.caller"  # the caller authenticated here, for the router on a miss
_BOOKMARK = causal.HEADER.lower().encode()
Key = tuple[bytes, str, str | None, bytes]  # body, role, region, Accept


@dataclass(slots=True)
class Verdict:
    """Set by the router for a request this layer may keep: the version its answer was read under."""
    version: str | None = None
    operation: str = "anonymous"


@dataclass(slots=True, frozen=True)
class Kept:
    version: str
    body: bytes
    operation: str
    route: Any  # the route's object, for the access log's route template


class Answers:
    """The kept bytes, LRU-bounded by count and by their total size; entries of older versions age out."""

    def __init__(self, size: int, max_bytes: int = MAX_KEPT_BYTES) -> None:
        self.size, self.max_bytes = size, max_bytes
        self._entries: OrderedDict[Key, Kept] = OrderedDict()
        self._bytes = 0

    def get(self, key: Key, version: str) -> Kept | None:
        found = self._entries.get(key)
        if found is None or found.version != version:
            return None
        self._entries.move_to_end(key)
        return found

    def holds(self, key: Key) -> bool:
        return key in self._entries

    def put(self, key: Key, kept: Kept) -> None:
        if len(kept.body) > self.max_bytes:
            return
        replaced = self._entries.pop(key, None)
        self._bytes += len(kept.body) + len(key[0]) - (len(replaced.body) + len(key[0]) if replaced else 0)
        self._entries[key] = kept
        while len(self._entries) > self.size or self._bytes > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self._bytes -= len(old.body) + len(old_key[0])


class CachedAnswers:
    def __init__(self, app: App, size: int, timeout: float | None = None) -> None:
        self.app = app
        self.answers = Answers(size)
        self.timeout = timeout  # the request's budget (settings.request_timeout): a slow version read gives up

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.answers.size <= 0 or scope["type"] != "http" or scope["path"] != PATH
                or scope["method"] != "POST"):
            await self.app(scope, receive, send)
            return
        accept, fits = b"", True
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            else:
                fits = fits and _fits(name, value)
        if not fits:
            await self.app(scope, receive, send)
            return
        body, replay = await _read(receive)
        request = Request(scope)
        try:
            caller = await caller_of(request, request.headers.get("authorization"))
        except AllianceError as exc:  # refused as the route would refuse it (a 401, a 429 in GraphQL's shape)
            response = await http_errors.domain_error(request, exc)
            await response(scope, receive, send)
            return
        key: Key = (body, caller.role.value, caller.region_id, accept)
        scope[CALLER_KEY] = caller
        gate: StoreGate = scope["app"].state.gate
        if await self._answered(scope, send, key, gate):
            return
        verdict = Verdict()
        scope[SCOPE_KEY] = verdict
        status, chunks = 0, []

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay, sending)
        if status == 200 and verdict.version is not None and len(body) <= MAX_KEPT_BODY:
            self.answers.put(key, Kept(verdict.version, b"".join(chunks), verdict.operation, scope.get("route")))

    async def _answered(self, scope: Scope, send: Send, key: Key, gate: StoreGate) -> bool:
        """Whether the kept bytes answered the request: there are some, and the store's version, read now,
        is the one they were read under."""
        if not self.answers.holds(key) or not gate.migrated:
            return False
        with causal.carrying() as carried:
            try:
                async with asyncio.timeout(self.timeout):  # no task of its own, as wait_for makes
                    version = await gate.store.version()
            except (AllianceError, TimeoutError):  # the router reports an outage with its own code and status
                return False
            kept = self.answers.get(key, version)
            if kept is None:
                return False
            latest = await carried.latest()
        note_operation(kept.operation)
        note_cache(hit=True)
        scope["route"] = kept.route
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(kept.body)).encode()),
                   (b"x-response-cache", b"hit")]
        if latest:
            headers.append((causal.HEADER.lower().encode(), causal.render(latest).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": kept.body})
        return True


def _fits(name: bytes, value: bytes) -> bool:
    """Whether a header leaves the request to this layer: JSON, a small body, no client bookmarks."""
    if name == b"content-type":
        return value.startswith(b"application/json")
    if name == b"content-length":
        return value.isdigit() and int(value) <= MAX_KEPT_BODY
    return name != _BOOKMARK


async def _read(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a `receive` that hands it on once more to the route."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: the route sees the same
            return b"".join(parts), _replaying(b"".join(parts), receive, message)
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(parts)
    return body, _replaying(body, receive, None)


def _replaying(body: bytes, receive: Receive, last: Message | None) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return last if last is not None else {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
