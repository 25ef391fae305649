"""The store behind a gate: migrations are applied once it answers, so a service started while
Neo4j is down reports it clearly (503) and recovers when the database returns."""

from __future__ import annotations

import asyncio
import logging

from service.errors import StoreUnavailable
from service.graph.port import GraphStore

log = logging.getLogger("alliance")


class StoreGate:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._migrated = False
        self._lock = asyncio.Lock()

    @property
    def migrated(self) -> bool:
        """Whether `ready()` answers without asking the store (it did once)."""
        return self._migrated

    async def ready(self) -> GraphStore:
        if not self._migrated:
            async with self._lock:
                if not self._migrated:
                    await self.store.ping()  # fails fast, where migrate() would sit in retries
                    applied = await self.store.migrate()
                    if applied:
                        log.info("applied schema migrations: %s", ", ".join(applied))
                    self._migrated = True
        return self.store


async def wait_for_store(gate: StoreGate, attempts: int, delay: float) -> None:
    for attempt in range(1, attempts + 1):
        try:
            await gate.ready()
            return
        except StoreUnavailable as exc:
            log.error("store unavailable (attempt %d/%d): %s", attempt, attempts, exc)
            if attempt < attempts:
                await asyncio.sleep(delay)
    log.error("starting without a store; /health answers 503 until it returns")
