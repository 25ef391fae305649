"""The one way the Neo4j operation modules reach the database.

`run` sends one parameterised statement: inside the caller's transaction when given one (a batch
writes several statements and one commit), otherwise as a managed query, with `database_` and
`routing_` on every call. Driver errors become the port's errors in one place (`translated`).

Causal consistency: every statement, transaction and version read of a process goes through one
bookmark manager (the driver's, the one `execute_query` uses), so on a cluster (a `neo4j://` URI) a
read routed to a secondary waits until that server has applied this process's last write: the
process reads its own writes, and a version token never names a state its answers have not reached.
Within a request that carries a client's bookmarks (service/graph/causal.py) they are waited for too,
and the process's bookmarks after the request are handed back for the client's next one.

Failures are fast and quiet. The driver's own retry loop sleeps 1, 2, 4, ... s between attempts for
as long as `max_transaction_retry_time`, also when the server is simply gone, so a request during an
outage waited for the whole budget and one arriving as the server returned still slept out its
back-off. Here the driver does not retry; `_retried` tries again itself, at once when a connection
from the pool turned out dead (the pool drops it, the second attempt opens a fresh one) and with a
short back-off after a transient server error (a deadlock), never beyond `RETRY_BUDGET`. Connecting
and waiting for a pooled connection are bounded too, so an outage is STORE_UNAVAILABLE within about
a second. The client gets one plain sentence: the driver's text (the Bolt address, the cause) goes
to the log only.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Concatenate, LiteralString, ParamSpec, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, RoutingControl
from neo4j.api import AsyncBookmarkManager
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from service import audit
from service.errors import Conflict, StoreUnavailable, ValidationFailed
from service.graph import causal, deadline
from service.graph.neo4j import audit_records, liveness
from service.graph.neo4j.parameters import unlogged
from service.graph.neo4j.statements import statement

T = TypeVar("T")
P = ParamSpec("P")
Transaction = neo4j.AsyncManagedTransaction
log = logging.getLogger("alliance.store")

# The driver bounds the TCP connect by connection_timeout but the Bolt handshake by the acquisition
# deadline, so both are short: a server that accepts and never answers is noticed within a second.
# A pool whose every connection stays busy that long is refused too (503), as an overloaded store.
CONNECT_TIMEOUT = 0.5  # s: TCP connect; loopback or a LAN answers in milliseconds
ACQUISITION_TIMEOUT = 0.6  # s: a pooled connection, or a new one with its Bolt handshake
RETRY_BUDGET = 2.0  # s: retries of transient errors stop starting after this
QUICK_FAILURE = 0.2  # s: a connection error this fast is a dead pooled connection, worth one more try
UNAVAILABLE = "Neo4j is not answering; try again shortly"
INDEX_KEY_BYTES = 8_000  # Neo4j's range index keys: a longer id or indexed value fails its write
TALLY_SHARDS = 2  # the loader's concurrent batch writers (loaders.engine.Options.writers)
READ_FETCH_SIZE = 10_000  # records a streamed read pulls per round trip (the driver's default: 1,000)


class Neo4jExecutor:
    def __init__(self, driver: AsyncDriver, database: str = "neo4j") -> None:
        self._driver = driver
        self._database = database
        # the bookmarks every session of this process shares (see the module's docstring)
        self._bookmarks: AsyncBookmarkManager = driver.execute_query_bookmark_manager
        self._next_version: asyncio.Future[str] | None = None  # the version read to start next (`version`)
        self._versions_task: asyncio.Task[None] | None = None  # reading them, while one is waiting
        self._shard = 0  # the item tally shard last given to a batch (tally_shard)

    def _manager(self) -> AsyncBookmarkManager:
        """The process's bookmarks, with the request's client's when it sent some."""
        request = causal.current()
        return self._bookmarks if request is None or not request.given else WithClientBookmarks(
            self._bookmarks, request.given)

    def _handed_back(self) -> None:
        """After a request's store call: the answer is to carry the process's bookmarks (read once, at
        the end of the request)."""
        request = causal.current()
        if request is not None and request.source is None:
            request.source = self._bookmarks.get_bookmarks

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str = "neo4j") -> Neo4jExecutor:
        liveness.install()  # dead connections found by TCP probes, not a timer on every read
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=CONNECT_TIMEOUT,
            connection_acquisition_timeout=ACQUISITION_TIMEOUT,
            max_transaction_retry_time=0,  # no retry loop in the driver: `_retried` decides
            # Schema hints ("type OF does not exist yet") are noise on a young graph.
            notifications_min_severity="OFF",
        )
        return cls(driver, database)

    def tally_shard(self) -> int:
        """The item tally shard (fragments/tally.cypher) of the next batch of new items: 1, 2, 1, … so the two
        batches a loader writes at once keep apart tallies, and neither waits on the other's lock until commit
        (bench/RESULTS.md, issue 16); every other writer keeps the unsharded ones."""
        self._shard = self._shard % TALLY_SHARDS + 1
        return self._shard

    async def run(
        self, query: LiteralString, params: Mapping[str, Any] | None = None, *, write: bool = False,
        tx: Transaction | None = None,
    ) -> list[neo4j.Record]:
        """The statement's records; in `tx` when given (its errors then end the transaction)."""
        if tx is not None:
            return [record async for record in await tx.run(query, unlogged(params))]
        if write and audit.pending() is not None:  # the audit record joins this write: one transaction
            async def statement_in(tx: Transaction) -> list[neo4j.Record]:
                return [record async for record in await tx.run(query, unlogged(params))]

            return await self.in_transaction(statement_in)
        deadline.check()  # a request already past its budget sends nothing more
        async def once() -> list[neo4j.Record]:
            records, _, _ = await self._driver.execute_query(
                neo4j.Query(query, timeout=deadline.remaining()),  # None outside a request: the server's
                unlogged(params),
                database_=self._database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
                bookmark_manager_=self._manager(),
            )
            return records

        with translated(), timed_out():
            records = await _retried(once)
        self._handed_back()
        return records

    async def in_transaction(
        self, work: Callable[Concatenate[Transaction, P], Awaitable[T]], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`work(tx, *args)` as one managed write transaction (several statements, one commit); an
        exception raised inside rolls it back. The driver may call `work` again after a transient
        failure, so it must only run statements."""
        deadline.check()
        entry = audit.pending()

        async def recorded(tx: Transaction, *args: P.args, **kwargs: P.kwargs) -> T:
            result = await work(tx, *args, **kwargs)
            if entry is not None:  # the operation's audit record commits with its first write
                await audit_records.write_in_transaction(tx, entry.row())
            return result

        async def once() -> T:
            async with self._driver.session(database=self._database, bookmark_manager=self._manager()) as session:
                return await session.execute_write(
                    neo4j.unit_of_work(timeout=deadline.remaining())(recorded), *args, **kwargs)

        with translated(), timed_out():
            result = await _retried(once)
        if entry is not None:
            entry.written = True
        self._handed_back()
        return result

    async def run_auto_commit(self, *queries: LiteralString) -> None:
        """Statements that manage their own transactions (`CALL … IN TRANSACTIONS`), one by one."""
        try:
            async with self._driver.session(database=self._database, bookmark_manager=self._bookmarks) as session:
                for query in queries:
                    await (await session.run(query)).consume()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _unavailable(exc) from exc

    @asynccontextmanager
    async def read_transaction(self) -> AsyncIterator[neo4j.AsyncTransaction]:
        """One explicit read transaction whose results the caller streams (a backup): never retried,
        since its records have been handed on as they arrived."""
        with translated():
            async with (
                self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS,
                                     fetch_size=READ_FETCH_SIZE, bookmark_manager=self._bookmarks) as session,
                await session.begin_transaction() as tx,
            ):
                yield tx

    async def ping(self) -> None:
        # verify_connectivity does not retry, so an outage is reported at once
        try:
            await self._driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise _unavailable(exc) from exc
        await self.run(statement("ping"))

    async def version(self) -> str:
        # A read transaction's bookmark names the last transaction committed before it, so it
        # changes with every write by anyone (loaders, other workers, cypher-shell) and costs one
        # trivial statement. Bookmarks are opaque: only compared for equality, never parsed.
        # Concurrent callers share reads: each joins the next read to *start* (never one already
        # running, which may predate a write its caller saw committed), so at most one read runs and
        # one waits, whatever the request rate, and every answer is still as new as its request.
        request = causal.current()
        if request is not None and request.given:  # waits for a client's bookmarks: a read of its own
            return await self._read_version()
        loop = asyncio.get_running_loop()
        if self._versions_task is not None and self._versions_task.get_loop() is not loop:
            self._versions_task, self._next_version = None, None  # a loop that ended (tests run several)
        if self._next_version is None:
            self._next_version = loop.create_future()
            if self._versions_task is None:  # a clean context: the reads outlive the request starting them
                self._versions_task = loop.create_task(self._read_versions(), context=contextvars.Context())
        version = await asyncio.shield(self._next_version)
        self._handed_back()
        return version

    async def _read_versions(self) -> None:
        try:
            while self._next_version is not None:
                waiting, self._next_version = self._next_version, None
                try:
                    waiting.set_result(await self._read_version())
                except asyncio.CancelledError:  # the loop is ending
                    waiting.cancel()
                    raise
                except Exception as exc:  # each waiter raises it; none left: retrieved here
                    waiting.set_exception(exc)
                    waiting.exception()
        finally:
            self._versions_task = None

    async def _read_version(self) -> str:
        # The read carries the process's bookmarks: on a cluster a lagging secondary waits for this
        # process's last write before it answers, so a cached answer older than that write is never served.
        with translated():
            async with self._driver.session(
                database=self._database, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=self._manager()
            ) as session:
                await (await session.run(statement("ping"))).consume()
                version = "|".join(sorted((await session.last_bookmarks()).raw_values))
        self._handed_back()
        return version

    async def close(self) -> None:
        await self._driver.close()


class WithClientBookmarks(AsyncBookmarkManager):
    """The process's bookmark manager plus a client's bookmarks for one request: a transaction waits
    for both, and its new bookmark (which supersedes them) goes to the process's manager. A bookmark
    the client made up fails that request only (the database refuses it), never the process's."""

    def __init__(self, process: AsyncBookmarkManager, given: frozenset[str]) -> None:
        self._process = process
        self._given = given

    async def get_bookmarks(self) -> frozenset[str]:
        return frozenset(await self._process.get_bookmarks()) | self._given

    async def update_bookmarks(self, previous_bookmarks: Collection[str], new_bookmarks: Collection[str]) -> None:
        await self._process.update_bookmarks(previous_bookmarks, new_bookmarks)


async def _retried(once: Callable[[], Awaitable[T]]) -> T:
    """`once()`, tried again after a dead pooled connection (at once, one more time) or a transient
    server error (with a short back-off, within RETRY_BUDGET); any other error at once. `once`
    must be safe to repeat: a statement, or a managed transaction the driver rolled back."""
    started = time.monotonic()
    delay = 0.05
    reconnected = False
    while True:
        attempt = time.monotonic()
        try:
            return await once()
        except (ServiceUnavailable, SessionExpired) as exc:
            if reconnected or time.monotonic() - attempt > QUICK_FAILURE:
                raise
            reconnected = True
            log.debug("retrying on a fresh connection after %s", exc.__class__.__name__)
        except (Neo4jError, DriverError) as exc:
            if not exc.is_retryable() or time.monotonic() + delay - started > RETRY_BUDGET:
                raise
            await asyncio.sleep(delay)
            delay *= 2


def _unavailable(exc: BaseException) -> StoreUnavailable:
    """The outage as the client sees it; its cause, with the address, only in the log."""
    log.warning("Neo4j is not answering: %s: %s", exc.__class__.__name__, exc)
    return StoreUnavailable(UNAVAILABLE)


@contextmanager
def timed_out() -> Iterator[None]:
    """The server's end of a transaction past the request's budget (the timeout `run` and
    `in_transaction` give it) as the request's own refusal, before `translated` sees a ClientError."""
    try:
        yield
    except ClientError as exc:
        if "TransactionTimedOut" not in (exc.code or ""):
            raise
        raise deadline.DeadlineExceeded(deadline.exceeded_message(deadline.budget() or 0)) from exc


@contextmanager
def translated() -> Iterator[None]:
    """Driver errors as the port's: an outage, a constraint conflict, a refused statement."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        raise _unavailable(exc) from exc
    except ConstraintError as exc:
        raise Conflict(f"the write breaks a uniqueness constraint: {exc.message}") from exc
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Transaction.InvalidBookmark":  # a client's, through causal.HEADER
            raise ValidationFailed(f"the {causal.HEADER} header names a bookmark this database does not know; "
                                   "send back the last one an answer carried, or none") from exc
        if (exc.code or "").startswith("Neo.ClientError.Security."):  # a rate limit on logins, a revoked user
            raise _unavailable(exc) from exc
        # its text may quote the statement, a parameter or Lucene's parser: the log has it, not the client
        log.warning("Neo4j refused a statement: %s: %s", exc.code, exc.message)
        raise ValidationFailed("the database refused a value of the request (the service log has the details)") from exc
    except Neo4jError as exc:
        if "too large to index" in (exc.message or ""):  # an index key is at most 8 KiB
            raise ValidationFailed("a value is too long to be indexed: ids, names, kinds, statuses and dates "
                                   f"must stay under {INDEX_KEY_BYTES:,} bytes") from exc
        raise _unavailable(exc) from exc
    except (DriverError, OSError) as exc:
        raise _unavailable(exc) from exc
