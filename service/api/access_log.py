"""One JSON log line and the metrics of each HTTP request: an ASGI middleware around every route.

The line (logger `alliance.access`, formatted by service/logging_setup.py) holds the request id, the method,
the route *template* (never the path asked, never its query string), the status, the duration, the key's id
and role, the GraphQL operation's name and the error code: nothing a caller typed but the operation name and
the request id. uvicorn's own access log, which printed the path with its query string, is off
(`alliance serve`). The request id is the client's `X-Request-ID` when it is a plain token, else a new one,
and is echoed in the response's `X-Request-ID`, so a person can quote it and an operator find the line."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.api.metrics import UNMATCHED, Metrics
from service.errors import ErrorCode
from service.request_record import RequestRecord, recording

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("alliance.access")
REQUEST_ID_HEADER = b"x-request-id"
_PLAIN_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")  # a client's id is kept only if it is a plain token


class AccessLog:
    def __init__(self, app: App, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        record = RequestRecord(request_id=request_id(scope))
        status = 500
        header = (REQUEST_ID_HEADER, record.request_id.encode())

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            with recording(record):
                await self.app(scope, receive, sending)
        except BaseException:
            # answered 500 by the framework's outermost layer (service/http_errors.py logs its reference)
            status = 500
            record.errors.append(ErrorCode.INTERNAL)
            raise
        finally:
            self._done(scope, record, status, time.perf_counter() - started)

    def _done(self, scope: Scope, record: RequestRecord, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or UNMATCHED
        method = str(scope.get("method", ""))
        self.metrics.observe(record, method, route, status, seconds)
        if log.isEnabledFor(logging.INFO):
            fields = {"request_id": record.request_id, "method": method, "route": route, "status": status,
                      "duration_ms": round(seconds * 1000, 3), "key_id": record.key_id, "role": record.role,
                      "operation": record.operation, "cache": record.cache,
                      "error": record.errors[0].value if record.errors else None}
            log.info("request", extra={"fields": fields})


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER and _PLAIN_ID.fullmatch(value):
            return str(value.decode())
    return os.urandom(16).hex()  # 32 hex digits, as uuid4().hex, without building the UUID
