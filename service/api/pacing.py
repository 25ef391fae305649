"""Turns of the event loop shared between a request's many resolvers and every other request.

A DataLoader answers a whole field path at once: the hundreds of resolvers waiting on it (fifty
organisations' children, members and agreements) wake in the same turn of the event loop, and
graphql-core completes every one of their lists before the loop reads its sockets again: 25–45 ms
of CPU in one turn, three to five times that in wall time on a shared machine, which /health and
every other request waited behind. A Pacer lets the woken resolvers go on for one slice per turn;
the rest wait on a gate opened by a callback queued behind what is already ready, so whatever
arrived meanwhile (a /health poll, another request's next step) runs before them.

The loads those resolvers then make still form one batch per field path (one store call, as
without pacing): a PacedLoader dispatches its batch only once no resolver waits on the pacer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

from strawberry.dataloader import Batch, DataLoader, dispatch_batch

K = TypeVar("K")
V = TypeVar("V")

SLICE = 0.005  # seconds of resolver work per turn of the event loop, for one request


class Pacer:
    def __init__(self, slice_seconds: float = SLICE) -> None:
        self.slice = slice_seconds
        self._started: float | None = None  # when the current slice began; None: none has yet this turn
        self._over = False  # the slice ran out: everyone waits for the next turn
        # one future per held resolver, woken in order: a cancelled resolver cancels only its own
        self._held: list[asyncio.Future[None]] = []
        self.waiting = 0  # resolvers held for a later turn

    def goes_on(self) -> bool:
        """True while the slice lasts: the caller goes on at once, without a coroutine for `turn`."""
        if self._over:
            return False
        now = time.perf_counter()
        if self._started is None:
            self._started = now
            # queued behind everything ready now: it runs once the loop has gone round
            asyncio.get_running_loop().call_soon(self._next_turn)
        if now - self._started < self.slice:
            return True
        self._over = True
        return False

    async def turn(self) -> None:
        """Return at once while the slice lasts; past it, once the loop has gone round."""
        while not self.goes_on():
            held = asyncio.get_running_loop().create_future()
            self._held.append(held)
            self.waiting += 1
            try:
                await held
            finally:
                self.waiting -= 1

    def _next_turn(self) -> None:
        # the waiters resume a turn later still, behind what the loop read from its sockets meanwhile
        held, self._held, self._started, self._over = self._held, [], None, False
        for waiter in held:
            if not waiter.done():
                waiter.set_result(None)


class PacedLoader(DataLoader[K, V]):
    """strawberry's DataLoader, but a batch is dispatched once its pacer holds no resolver back:
    the keys of one field path, loaded over several turns, still go to the store together."""

    def __init__(self, pacer: Pacer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pacer = pacer

    def load(self, key: K) -> Awaitable[V]:
        if self.cache:
            cached = self.cache_map.get(key)
            if cached is not None and not cached.cancelled():
                return cached
        future: asyncio.Future[V] = self.loop.create_future()
        if self.cache:
            self.cache_map.set(key, future)
        batch = self.batch
        if batch is None or batch.dispatched or not batch.tasks:
            batch = self.batch = Batch()
            self.loop.call_soon(self._dispatch, batch)
        batch.add_task(key, future)
        return future

    def _dispatch(self, batch: Batch[K, V]) -> None:
        if self.pacer.waiting:  # resolvers held back may still add keys: ask again next turn
            self.loop.call_soon(self._dispatch, batch)
            return
        batch._dispatch_task = asyncio.ensure_future(dispatch_batch(self, batch))
