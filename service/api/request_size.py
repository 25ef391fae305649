"""Request sizes refused before anything reads the request: an ASGI middleware in front of every route.

A body larger than its limit (`max_body_bytes`; `max_upload_bytes` for /import's uploads,
MAX_LAYOUT_BODY for an explorer view's shape) is refused
by its Content-Length at once, or, sent without one, as soon as the bytes received pass the limit; a
query string longer than MAX_QUERY_STRING likewise. Each answers OVER_LIMIT (413) in the REST error
envelope, naming the size and the limit, before any JSON is decoded or any GraphQL is lexed (a 10 MB
query of one comment cost seconds of CPU in the lexer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.errors import ErrorCode
from service.http_errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_QUERY_STRING = 8192  # bytes of a URL's query string (no endpoint takes more than a few ids)
UPLOAD_PREFIX = "/import/"
# An explorer view's shape: the analyst's largest (20,000 nodes, 200,000 index pairs) is about 3 MB.
LAYOUT_PATH, MAX_LAYOUT_BODY = "/explore/layout", 4 * 1_048_576


class _TooLarge(Exception):
    """Raised from `receive` of a streamed upload that passed its limit (no Content-Length)."""


class RequestSize:
    def __init__(self, app: App, max_body: int, max_upload: int) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > MAX_QUERY_STRING:
            await _refuse(scope, receive, send, f"the query string is {len(query):,} bytes; "
                                                f"the limit is {MAX_QUERY_STRING:,}")
            return
        path = str(scope.get("path", ""))
        upload = path.startswith(UPLOAD_PREFIX)
        limit = self.max_upload if upload else max(self.max_body, MAX_LAYOUT_BODY) if path == LAYOUT_PATH \
            else self.max_body
        declared = _content_length(scope)
        if declared == -1:
            await _refuse(scope, receive, send, "the Content-Length header is not a number", ErrorCode.BAD_REQUEST)
            return
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, _too_large(declared, limit))
            return
        if upload:  # streamed to a file by its route: counted as it arrives, never held here
            await self._counted(scope, receive, send, limit)
            return
        body = await _read(receive, limit)
        if body is None:
            await _refuse(scope, receive, send, _too_large(None, limit))
            return
        await self.app(scope, _replay(body, receive), send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        started = over = False

        async def counting() -> Message:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                over = True
                raise _TooLarge
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if over:  # the route's answer to a body it could not finish (FastAPI makes it a 400): replaced
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, sending)
        except _TooLarge:
            if started:
                raise
        if over and not started:
            await _refuse(scope, receive, send, _too_large(None, limit))


def _content_length(scope: Scope) -> int | None:
    """The declared body size; None without the header, -1 for one that is not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else -1
    return None


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the client's disconnect

    return replay


def _too_large(size: int | None, limit: int) -> str:
    told = f"{size:,} bytes" if size is not None else f"over {limit:,} bytes"
    return f"the request body is {told}; the limit is {limit:,} bytes"


async def _refuse(scope: Scope, receive: Receive, send: Send, message: str,
                  code: ErrorCode = ErrorCode.OVER_LIMIT) -> None:
    # the client may still be sending: close the connection instead of reading the rest
    response = error_response(code, message, headers={"Connection": "close"})
    await response(scope, receive, send)
