"""The wall-clock budget of the request being answered, seen by the store work it causes.

The GraphQL router sets it for each operation (`within`); a context variable carries it into the
worker threads the embedded store runs in (asyncio.to_thread copies the context) and to the Neo4j
adapter, which turns what is left of it into a transaction timeout. Work outside a request (the
loaders, the command line) has no deadline and is never cut short."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from service.errors import OverLimit

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("alliance_deadline", default=None)


class DeadlineExceeded(OverLimit):
    """The request ran past its wall-clock budget; the store work stopped."""


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Store work started inside this block stops once `seconds` have passed (None: no budget)."""
    token = _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left of the current budget (at least a millisecond), or None without one."""
    current = _DEADLINE.get()
    return None if current is None else max(current[0] - time.monotonic(), 0.001)


def budget() -> float | None:
    current = _DEADLINE.get()
    return None if current is None else current[1]


def exceeded_message(seconds: float) -> str:
    return (f"the request ran longer than its budget of {seconds:g} s and was stopped; "
            "ask for smaller pages or fewer nested lists")


def check() -> None:
    """Raise DeadlineExceeded once the current budget is spent; cheap enough for inner loops."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise DeadlineExceeded(exceeded_message(current[1]))
