"""What the access log and the metrics learn about the request being answered, from the layers that know it.

The access-log middleware (service/api/access_log.py) opens one record per HTTP request; the caller's key
(service/deps.py), the GraphQL operation and response-cache outcome (service/api/router.py), every error code
answered (service/http_errors.py, service/api/errors.py) and an import's row counts (loaders/http.py) are noted
on it, and the middleware writes the log line and the metrics from it when the response is sent. A context
variable carries it, as service/graph/deadline.py carries the request's budget; outside a request (the
command line, a test calling a function directly) there is no record and noting does nothing.

Only bounded, non-personal facts are kept: ids, a role, a GraphQL operation *name*, codes and counts; never a
query text, variables, a path's values or a header other than the request id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from service.errors import ErrorCode

_CURRENT: ContextVar[RequestRecord | None] = ContextVar("alliance_request_record", default=None)


@dataclass(slots=True)
class RequestRecord:
    request_id: str
    key_id: str | None = None
    role: str | None = None
    operation: str | None = None  # the GraphQL operation's name, "anonymous" without one
    cache: str | None = None  # "hit" or "miss" for a query the response cache could answer
    errors: list[ErrorCode] = field(default_factory=list)
    loaded: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (kind, rows by outcome)


@contextmanager
def recording(record: RequestRecord) -> Iterator[RequestRecord]:
    token = _CURRENT.set(record)
    try:
        yield record
    finally:
        _CURRENT.reset(token)


def current() -> RequestRecord | None:
    return _CURRENT.get()


def note_error(code: ErrorCode) -> None:
    record = _CURRENT.get()
    if record is not None:
        record.errors.append(code)


def note_caller(key_id: str | None, role: str) -> None:
    record = _CURRENT.get()
    if record is not None:
        record.key_id, record.role = key_id, role


def note_operation(name: str) -> None:
    record = _CURRENT.get()
    if record is not None:
        record.operation = name


def note_cache(hit: bool) -> None:
    record = _CURRENT.get()
    if record is not None:
        record.cache = "hit" if hit else "miss"


def note_loaded(kind: str, rows: dict[str, int]) -> None:
    record = _CURRENT.get()
    if record is not None:
        record.loaded.append((kind, rows))
