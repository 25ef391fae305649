"""Bookmarks a client carries from one service replica to the next: read-your-writes across processes.

Each process reads its own writes (the Neo4j executor passes one bookmark manager to everything it
runs), but behind a load balancer a client's write may go through replica A and its next read through
replica B, whose reads on a cluster's lagging secondary need not include the write yet. So on Neo4j
every GraphQL answer carries the `Alliance-Bookmark` header: the bookmarks of the answering process
after the request, as one opaque token. A client that sends its last token back has that request's
reads (and the response cache's version read) wait until the server they reach has applied it.

The GraphQL router sets the request's token here (`carrying`); a context variable takes it to the Neo4j
executor, as service/graph/deadline.py does with the time budget. The embedded store has no bookmarks
(one host, one file): it checks the header and ignores it, and its answers carry none."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from service.errors import ValidationFailed

HEADER = "Alliance-Bookmark"
MAX_TOKEN = 4_096  # characters: a single Neo4j bookmark is well under 100
MAX_BOOKMARKS = 16


@dataclass(slots=True)
class Causal:
    given: frozenset[str]  # the client's bookmarks: reads wait for them
    # where the process's bookmarks are read once the request is done; set by a store that has them
    source: Callable[[], Awaitable[Collection[str]]] | None = None

    async def latest(self) -> tuple[str, ...]:
        """The process's bookmarks now (after the request's store work), or () without a source."""
        return tuple(sorted(await self.source())) if self.source is not None else ()


_CAUSAL: ContextVar[Causal | None] = ContextVar("alliance_causal", default=None)


def render(bookmarks: tuple[str, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps(sorted(bookmarks)).encode()).decode().rstrip("=")


def parse(token: str) -> frozenset[str]:
    """The bookmarks of a token `render` made; VALIDATION naming the header for anything else (the
    value itself is not echoed: it is long and says nothing to a person)."""
    def refused(reason: str) -> ValidationFailed:
        return ValidationFailed(f"the {HEADER} header is not a token this service gave: {reason}; "
                                "send back the last one an answer carried, or none")

    token = token.strip()
    if len(token) > MAX_TOKEN:
        raise refused(f"it is longer than {MAX_TOKEN:,} characters")
    try:
        bookmarks = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise refused("it does not decode") from None
    if (not isinstance(bookmarks, list) or not 0 < len(bookmarks) <= MAX_BOOKMARKS
            or not all(isinstance(b, str) and b and b.isascii() and b.isprintable() for b in bookmarks)):
        raise refused(f"it must hold 1 to {MAX_BOOKMARKS} bookmarks")
    return frozenset(bookmarks)


@contextmanager
def carrying(given: frozenset[str] = frozenset()) -> Iterator[Causal]:
    """Store work inside this block waits for these bookmarks (a client's, `parse`d from its header)
    and names in the yielded Causal where the process's bookmarks are read afterwards."""
    causal = Causal(given)
    reset = _CAUSAL.set(causal)
    try:
        yield causal
    finally:
        _CAUSAL.reset(reset)


def current() -> Causal | None:
    return _CAUSAL.get()
