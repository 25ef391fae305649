"""The one way the Neo4j operation modules reach the database.

`run` sends one parameterised statement: inside the caller's transaction when given one (a batch
writes several statements and one commit), otherwise as a managed auto-commit query that the driver
retries after transient failures, with `database_` and `routing_` on every call. Driver errors
become the port's errors in one place (`translated`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Concatenate, LiteralString, ParamSpec, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from service.errors import Conflict, StoreUnavailable, ValidationFailed
from service.graph import deadline
from service.graph.neo4j.statements import statement

T = TypeVar("T")
P = ParamSpec("P")
Transaction = neo4j.AsyncManagedTransaction


class Neo4jExecutor:
    def __init__(self, driver: AsyncDriver, database: str = "neo4j") -> None:
        self._driver = driver
        self._database = database

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str = "neo4j") -> Neo4jExecutor:
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_acquisition_timeout=10,
            max_transaction_retry_time=15,
            # Schema hints ("type OF does not exist yet") are noise on a young graph.
            notifications_min_severity="OFF",
        )
        return cls(driver, database)

    async def run(
        self, query: LiteralString, params: Mapping[str, Any] | None = None, *, write: bool = False,
        tx: Transaction | None = None,
    ) -> list[neo4j.Record]:
        """The statement's records; in `tx` when given (its errors then end the transaction)."""
        if tx is not None:
            return [record async for record in await tx.run(query, dict(params or {}))]
        deadline.check()  # a request already past its budget sends nothing more
        with translated(), timed_out():
            records, _, _ = await self._driver.execute_query(
                neo4j.Query(query, timeout=deadline.remaining()),  # None outside a request: the server's
                dict(params or {}),
                database_=self._database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        return records

    async def in_transaction(
        self, work: Callable[Concatenate[Transaction, P], Awaitable[T]], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`work(tx, *args)` as one managed write transaction (several statements, one commit); an
        exception raised inside rolls it back. The driver may call `work` again after a transient
        failure, so it must only run statements."""
        deadline.check()
        with translated(), timed_out():
            async with self._driver.session(database=self._database) as session:
                return await session.execute_write(
                    neo4j.unit_of_work(timeout=deadline.remaining())(work), *args, **kwargs)

    async def run_auto_commit(self, *queries: LiteralString) -> None:
        """Statements that manage their own transactions (`CALL … IN TRANSACTIONS`), one by one."""
        try:
            async with self._driver.session(database=self._database) as session:
                for query in queries:
                    await (await session.run(query)).consume()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is not answering: {exc}") from exc

    async def ping(self) -> None:
        # verify_connectivity does not retry, so an outage is reported at once
        try:
            await self._driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not answering: {exc.__class__.__name__}: {exc}") from exc
        await self.run(statement("ping"))

    async def version(self) -> str:
        # A read transaction's bookmark names the last transaction committed before it, so it
        # changes with every write by anyone (loaders, other workers, cypher-shell) and costs one
        # trivial statement. Bookmarks are opaque: only compared for equality, never parsed.
        with translated():
            async with self._driver.session(
                database=self._database, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=None
            ) as session:
                await (await session.run(statement("ping"))).consume()
                return "|".join(sorted((await session.last_bookmarks()).raw_values))

    async def close(self) -> None:
        await self._driver.close()


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
        raise StoreUnavailable(f"Neo4j is not answering: {exc.__class__.__name__}: {exc}") from exc
    except ConstraintError as exc:
        raise Conflict(f"the write breaks a uniqueness constraint: {exc.message}") from exc
    except ClientError as exc:
        raise ValidationFailed(f"Neo4j refused the statement: {exc.message}") from exc
    except (Neo4jError, DriverError, OSError) as exc:
        raise StoreUnavailable(f"Neo4j failed: {exc.__class__.__name__}: {exc}") from exc
