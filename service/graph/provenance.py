"""Who is writing: the operation and the key id a store write is made for, recorded on the
versions and merge records it leaves (never the key's secret).

A context variable, as service/graph/deadline.py carries a request's budget: the GraphQL router
sets it per operation, `alliance load` / POST /import per file, so the stores need no extra
argument on every write. Work with nothing set is recorded as done by the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

CLI = "cli"  # a write outside any request: `alliance …` on the server itself


@dataclass(frozen=True, slots=True)
class Actor:
    operation: str  # a GraphQL field (signAgreement), a loader kind (load:agreements), a CLI command
    key_id: str  # a key's fingerprint (service/auth.key_id), or CLI


_ACTOR: ContextVar[Actor | None] = ContextVar("alliance_actor", default=None)


@contextmanager
def acting(operation: str, key_id: str | None) -> Iterator[None]:
    """Store writes made inside this block are recorded as `operation` by `key_id`."""
    token = _ACTOR.set(Actor(operation, key_id or CLI))
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current() -> Actor:
    return _ACTOR.get() or Actor(CLI, CLI)
