"""The audit trail: every mutation, file import, export, analysis run and key change, and every answer that
carried unmasked personal data, leaves one AuditRecord (service/registry.py): when, which key (its id, never
the secret; `cli:<OS user>` from the command line), role and region, the operation, the ids it touched and
its outcome (OK or the error code). Never a personal value: ids and codes only, not the arguments or messages.

Atomic with the write it records. `recorded(...)` opens an Entry in a context variable; the first write
transaction of the operation (service/graph/*/executor.py, through `pending`) writes the record inside
itself, before its commit, so the change and its record commit together or not at all: an audit write that
fails rolls the change back and the operation answers AUDIT_FAILED. An operation that wrote nothing (a read, a
refused mutation, an export) appends its record on its own when it ends, and a failure to do so fails it
too. An operation that fails after its first commit appends a second record with the error code.

Append-only: the stores refuse AuditRecord in upsert_nodes and upsert_batch, so no API or loader path can
change one; `alliance audit prune` (retention) is the one deletion, and it is audited itself."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import secrets
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Protocol

from service.errors import AllianceError, ErrorCode, ValidationFailed
from service.roles import Role


class Caller(Protocol):  # service/auth.py's Caller: this module sits below it (the stores import it)
    @property
    def role(self) -> Role: ...
    @property
    def region_id(self) -> str | None: ...
    @property
    def key_id(self) -> str | None: ...


class GraphStore(Protocol):  # the part of service/graph/port.py's GraphStore the trail writes through
    async def append_audit(self, row: Mapping[str, Any]) -> None: ...
    async def prune_audit(self, before: str) -> int: ...

log = logging.getLogger("alliance.audit")

OK = "OK"
MAX_IDS = 100  # ids kept per record; a bulk operation names its import or run instead of every row
MAX_FIRST = 1000
CLI_PREFIX = "cli:"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a key id (or `cli:<OS user>`), the role it acted with and its region (None: everywhere)."""

    key_id: str
    role: str
    region_id: str | None = None


def actor_of(caller: Caller) -> Actor:
    return Actor(caller.key_id or "unknown", caller.role.value, caller.region_id)


def cli_actor() -> Actor:
    """The command line acts with the store's own rights: named by the OS user that ran it."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's numeric user)
        user = "unknown"
    return Actor(CLI_PREFIX + user, "admin", None)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def new_record_id(at: str) -> str:
    """Ordered by time when read as text, unique without asking the store."""
    return "AUD-" + "".join(c for c in at if c.isdigit()) + "-" + secrets.token_hex(4)


@dataclass(slots=True)
class Entry:
    """One operation being recorded. `row` is fixed on first use, so a transaction the driver retries
    writes the same record."""

    actor: Actor
    operation: str
    ids: list[str] = field(default_factory=list)
    written: bool = False  # a committed transaction holds this operation's record
    outcome: str = OK  # set before the write when the operation records a refusal it then answers (an import)
    _row: dict[str, Any] | None = None

    def touch(self, *ids: str | None) -> None:
        """More ids the operation touched (made by it: a claim's id, an import's)."""
        for i in ids:
            if i and i not in self.ids and len(self.ids) < MAX_IDS:
                self.ids.append(i)

    def row(self, outcome: str | None = None) -> dict[str, Any]:
        own = outcome is None or outcome == self.outcome
        outcome = outcome or self.outcome
        if own and self._row is not None:
            return self._row
        at = now()
        row = {"id": new_record_id(at), "at": at, "keyId": self.actor.key_id, "role": self.actor.role,
               "regionId": self.actor.region_id, "operation": self.operation, "ids": list(self.ids),
               "outcome": outcome}
        row = {k: v for k, v in row.items() if v is not None}
        if own:
            self._row = row
        return row


_current: ContextVar[Entry | None] = ContextVar("alliance_audit_entry", default=None)


def pending() -> Entry | None:
    """For a store's write transaction: the operation whose record it must write before it commits (then it
    sets `written`), or None (no audited operation, or its record is written already)."""
    entry = _current.get()
    return None if entry is None or entry.written else entry


_UNWRITABLE = frozenset({ErrorCode.STORE_UNAVAILABLE.value, ErrorCode.AUDIT_FAILED.value})


def touch(*ids: str | None) -> None:
    """Ids made inside the current operation (a new key's), named in its record; nothing outside one."""
    entry = _current.get()
    if entry is not None:
        entry.touch(*ids)


def outcome_of(exc: BaseException) -> str:
    return exc.code.value if isinstance(exc, AllianceError) else ErrorCode.INTERNAL.value


@asynccontextmanager
async def recorded(store: GraphStore, actor: Actor, operation: str, ids: Iterable[str | None] = ()
                   ) -> AsyncIterator[Entry]:
    """Record the operation run inside: in its first write transaction, or on its own at the end."""
    entry = Entry(actor, operation)
    entry.touch(*ids)
    token = _current.set(entry)
    try:
        yield entry
    except Exception as exc:
        _current.reset(token)
        if entry.written and entry.outcome == outcome_of(exc):
            raise  # its record, with this outcome, committed with its write already
        if outcome_of(exc) in _UNWRITABLE:
            log.error("no audit record of a failed %s: the store could not take it (%s)", operation, outcome_of(exc))
            raise  # asking a store that is not answering again would only delay the answer
        try:
            await store.append_audit(entry.row(outcome_of(exc)))
        except Exception as failed:  # the operation's own error is the answer; the log says the record is missing
            log.error("the audit record of a failed %s could not be written: %s", operation, type(failed).__name__)
        raise
    except BaseException:
        _current.reset(token)
        raise
    _current.reset(token)
    if not entry.written:
        await append(store, entry.row())
        entry.written = True


async def append(store: GraphStore, row: Mapping[str, Any]) -> None:
    """A record on its own; AUDIT_FAILED when it cannot be written (the caller then fails its operation)."""
    from service.errors import AuditFailed

    try:
        await store.append_audit(row)
    except AuditFailed:
        raise
    except AllianceError as exc:
        raise AuditFailed(f"the audit record could not be written ({exc.code.value}), so nothing was done") from exc


def touched_ids(value: Any, key: str = "", depth: int = 0) -> list[str]:
    """The ids named in a mutation's arguments: the string values of arguments named `id`, `…_id` or
    `…_ids`, at any depth of its input objects and lists."""
    found: list[str] = []
    idish = key == "id" or key.endswith("_id") or key.endswith("_ids") or key == "ids"
    if depth > 6:
        return found
    if isinstance(value, str):
        return [value] if idish else []
    if isinstance(value, Mapping):
        for k, v in value.items():
            found += touched_ids(v, str(k), depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            found += touched_ids(v, key if idish else "", depth + 1)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            found += touched_ids(getattr(value, f.name, None), f.name, depth + 1)
    elif hasattr(value, "__dict__") and not callable(value):
        for k, v in vars(value).items():
            found += touched_ids(v, k, depth + 1)
    return found


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """auditLog's filters (each None: any), newest first, keyset-paginated."""

    since: str | None = None  # ISO date or date-time, inclusive
    until: str | None = None  # ISO date (through that day) or date-time, inclusive
    key_id: str | None = None
    entity_id: str | None = None
    operation: str | None = None
    first: int = 50
    after: str | None = None


def bound(text: str | None, end: bool) -> str | None:
    """A filter's date or date-time as the records' `at` text: a date alone covers its whole day (UTC)."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return day.isoformat() + ("T23:59:59.999999Z" if end else "T00:00:00.000000Z")
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(f"{'to' if end else 'from'} {text!r} is not an ISO date or date-time") from None
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def checked(query: AuditQuery) -> AuditQuery:
    """The query with its bounds as stored text; VALIDATION for a page size out of range or a bad date."""
    if not 1 <= query.first <= MAX_FIRST:
        raise ValidationFailed(f"first {query.first} is out of range: 1 to {MAX_FIRST}")
    return AuditQuery(bound(query.since, False), bound(query.until, True), query.key_id, query.entity_id,
                      query.operation, query.first, query.after)


def matches(props: Mapping[str, Any], query: AuditQuery) -> bool:
    """The embedded store's filter; the Neo4j store's is service/cypher/queries/audit_log.cypher."""
    at = props.get("at", "")
    return ((query.since is None or at >= query.since) and (query.until is None or at <= query.until)
            and (query.key_id is None or props.get("keyId") == query.key_id)
            and (query.operation is None or props.get("operation") == query.operation)
            and (query.entity_id is None or query.entity_id in (props.get("ids") or ())))


def retention_cutoff(days: int, at: dt.datetime | None = None) -> str:
    """The `at` before which records are older than the retention period."""
    start = (at or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    return start.isoformat(timespec="microseconds").replace("+00:00", "Z")


async def prune(store: GraphStore, days: int, actor: Actor) -> int:
    """Delete the records older than `days`: the trail's only deletion, recorded itself."""
    if days < 1:
        raise ValidationFailed(f"retention {days} days: must be 1 or more")
    async with recorded(store, actor, "audit.prune"):
        return await store.prune_audit(retention_cutoff(days))
