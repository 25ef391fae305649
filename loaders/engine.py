"""Load one file of one KIND through the GraphStore port.

Rows stream from the reader, are validated by the kind's pydantic model, and are written in
batches: per batch one `upsert_batch` call — the nodes and every relationship type in ONE
transaction — or one `claim_items` call for claims. Every write is an idempotent upsert
keyed on ids (claims on a deterministic claim id), so a load killed midway and run again ends in
the state of one clean run; a relationship single-valued in service/registry.py that changed replaces the
old one in the same transaction. What a row writes is its kind's declaration (loaders/writes.py);
claims go through the claims hook (loaders/claims.py). `strict` validates the whole file first (a dry
run) and writes only when nothing was rejected.

Parsing overlaps writing, so the client's CPU and the store's work no longer take turns:
- a worker thread reads and validates the next chunk of rows while the event loop writes. The thread does
  only what depends on the row alone (`_prepare`: reading, header check, pydantic validation); everything
  that depends on the file so far (the seen ids, rejects, report, batches, claims) stays on the event loop
  and happens in file order, so batches, rejects and their order are exactly those of a sequential load;
- write-behind (`_write_behind_ok`: node kinds whose references never name the file's own label nor
  need a custom resolver; not claims, not dry runs): batch N's transaction runs as a task while batch
  N+1 is admitted and resolved, and up to `Options.writers` (2) batch transactions run at once, so the
  server works on two batches while the client prepares the next; a batch is resolved only after the
  batches in flight when it names one of their ids. Each batch stays one transaction, all or nothing. A
  failed write is raised at the next batch's write or at the end, and no batch starts after it: the rows
  admitted meanwhile may have added rejects to the rejects file, and the one batch written beside the
  failed one may have committed (a rerun, idempotent, completes the file as today).
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from loaders.claims import DryRunClaims, Outcome, write_claims
from loaders.errors import FileRejected
from loaders.kinds import KINDS, ClaimRow, field_of
from loaders.readers import Record, Records, format_of, read_records
from loaders.report import MAX_LISTED, FileReport, Reject, RejectsFile, SheetReport
from loaders.resolve import candidate_ids, resolve
from loaders.rows import Kind, Ref, Row
from loaders.scope import RowScope
from loaders.seen import SeenKeys
from loaders.writes import Writes, groups
from service.errors import AllianceError, StoreUnavailable
from service.graph import provenance
from service.graph.port import GraphStore
from service.graph.types import Node, RelRow, UpsertResult
from service.model import Label, RelType

Progress = Callable[[FileReport], None]
YIELD_EVERY = 500  # rows of synchronous work between two chances for the batch being written to progress
GC_FIRST_THRESHOLD = 50_000  # new container objects between two young collections while a load runs


@dataclass
class Options:
    format: str | None = None
    strict: bool = False
    dry_run: bool = False
    batch_size: int = 5000
    progress: Progress | None = None
    rejects_dir: Path | None = None  # default: beside the input
    display_name: str | None = None  # the name reported (an upload's original file name)
    region_id: str | None = None  # a region-scoped key's region: rows writing outside it are rejected
    writers: int = 2  # batch transactions written at once (write-behind kinds only; see the module's docstring)
    key_id: str | None = None  # who loads it: recorded on the agreement versions it leaves (None: the CLI)


@dataclass(frozen=True)
class Part:
    """One of `count` processes' share of a file (loaders/parts.py): the records whose ordinal (0, 1, … in the
    order read) falls in its blocks of `block` records, dealt round-robin; the others are read and skipped."""

    index: int
    count: int
    block: int

    def holds(self, ordinal: int) -> bool:
        return ordinal // self.block % self.count == self.index


class PartTrace:
    """What one part's load needs recorded to be merged as a whole file's (loaders/parts.py): every reject with
    its row and whether the batch's flush made it (the rows admitted say where a whole file's batches end),
    and the keys and references that could make the parts depend on one another."""

    def __init__(self, seen: Path) -> None:
        self.rejects: list[tuple[int, bool, str, str, list[str], dict[str, Any], str]] = []
        self.admitted = array("q")  # row numbers of the rows admitted into a batch, in order
        self.duplicates: set[str] = set()  # keys rejected as repeated inside the part
        self.discarded: list[str] = []  # keys of admitted rows the flush rejected after all
        self.unresolved: set[str] = set()  # reference values that named no node of the right label
        self.seen = seen  # a SQLite file: the keys admitted and kept, once the part is done (on disk: flat memory)

    def keep_seen(self, keys: Iterable[str]) -> None:
        with closing(sqlite3.connect(self.seen, isolation_level=None)) as db:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                             "CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID; BEGIN")
            db.executemany("INSERT INTO seen VALUES (?)", ((k,) for k in keys))
            db.execute("COMMIT")


@dataclass
class Parsed:
    number: int
    raw: dict[str, Any]
    row: Row


@dataclass
class Invalid:
    """A row rejected by `_prepare` (bad record or validation), reported on the event loop in file order."""

    number: int
    raw: dict[str, Any]
    column: str
    reason: str


def rejects_path(path: Path, rejects_dir: Path | None = None, name: str | None = None) -> Path:
    stem = Path(name).stem if name else path.stem
    return (rejects_dir or path.parent) / f"{stem}.rejects.csv"


def _error_text(err: Any) -> str:
    if err["type"] == "missing":
        return "required, but empty"
    ctx = err.get("ctx") or {}
    if "error" in ctx:
        return str(ctx["error"])
    return str(err["msg"])


class _Load:
    def __init__(self, store: GraphStore, kind: Kind, path: Path, options: Options, dry_run: bool,
                 part: Part | None = None, trace: PartTrace | None = None) -> None:
        self.store, self.kind, self.path, self.options, self.dry_run = store, kind, path, options, dry_run
        self.part, self.trace = part, trace
        self._ordinal = 0  # records read so far (a part skips those of the other parts)
        self._flushing = False  # a reject made while a batch is flushed (PartTrace)
        self.fmt = format_of(path, options.format)
        self.name = options.display_name or path.name
        self.report = FileReport(kind.name, self.name, dry_run=dry_run, strict=options.strict, loaded=not dry_run)
        self.rejects = RejectsFile(rejects_path(path, options.rejects_dir, options.display_name))
        self.seen = SeenKeys()  # key -> row number, for duplicates inside the file
        self.deferred: list[tuple[Parsed, dict[str, list[Node]], dict[str, list[str]]]] = []
        self.claim_ids = SeenKeys()
        self.dry_run_claims = DryRunClaims(store)
        self.writes = Writes(kind.model)
        self.scope = RowScope(store, options.region_id, kind.model) if options.region_id else None
        required = [name for name, info in kind.model.model_fields.items() if info.is_required()]
        self.required = required
        self._header_checked = False
        self.records: Records | None = None
        self._fields: dict[str, str | None] = {}  # header -> field, for this file's headers
        self.write_behind = self._write_behind_ok()
        # the batches being written (write-behind), oldest first, with the ids of their nodes
        self._writing: list[tuple[asyncio.Future[None], set[str]]] = []
        beside = kind.context(path, self.fmt) if kind.context is not None else None  # the parties sheet
        self.beside = beside
        self._validation_context = {"beside": beside} if beside is not None else None

    # rows ----------------------------------------------------------------------------------
    def _header_of(self, raw: dict[str, Any], field: str) -> str:
        for header in raw:
            if field_of(self.kind.name, header) == field:
                return header
        return self.kind.header(field)

    def reject(self, parsed_number: int, raw: dict[str, Any], column: str, reason: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejects) < MAX_LISTED:
            self.report.rejects.append(Reject(self.name, parsed_number, column, reason))
        if self.fmt == "jsonl":
            columns = [c.headers[0] for c in self.kind.columns]
            mapped = {self.kind.header(f): v for h, v in raw.items() if (f := field_of(self.kind.name, h))}
            values = mapped
        else:
            columns, values = list(raw), raw
        text = f"row {parsed_number}, {column}: {reason}" if column else reason
        if self.trace is not None:
            self.trace.rejects.append((parsed_number, self._flushing, column, reason, columns, dict(values), text))
        else:
            self.rejects.write(columns, values, text)

    def _sheet(self) -> SheetReport | None:
        layout = self.records.layout if self.records is not None else None
        if layout is None:
            return None
        return SheetReport.of(layout, lambda h: field_of(self.kind.name, h),
                              [(c.field, c.headers[0]) for c in self.kind.columns], self.required)

    def _check_header(self, raw: dict[str, Any]) -> None:
        self._header_checked = True
        sheet = self._sheet()
        if sheet is not None and sheet.missing_required:
            unknown = f"; columns not recognised: {', '.join(sheet.unmapped)}" if sheet.unmapped else ""
            raise FileRejected(f"{self.name}: missing column {', '.join(sheet.missing_required)} "
                               f"for {self.kind.name}{unknown}")

    def _prepare(self, number: int, raw: dict[str, Any]) -> Parsed | Invalid:
        """What depends on the row alone; runs in the parse thread, so it touches no shared state."""
        if not self._header_checked:
            self._check_header(raw)
        if "__error__" in raw:
            return Invalid(number, raw, "", str(raw["__error__"]))
        values: dict[str, Any] = {}
        fields = self._fields
        for header, value in raw.items():
            # an empty cell is a missing value: the model's default (or "required") without a validator call
            if value is None or value == "":
                continue
            field = fields[header] if header in fields else fields.setdefault(header, field_of(self.kind.name, header))
            if field is not None and field not in values:
                values[field] = value
        try:
            row = self.kind.model.model_validate(values, context=self._validation_context)
        except ValidationError as exc:
            errors = exc.errors()
            first = errors[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            reason = _error_text(first)
            if len(errors) > 1:
                reason += "; also " + "; ".join(
                    f"{self._header_of(raw, str(e['loc'][0]))}: {_error_text(e)}" for e in errors[1:] if e["loc"])
            return Invalid(number, raw, self._header_of(raw, field) if field else "", reason)
        return Parsed(number, raw, row)

    def _prepare_chunk(self, records: Iterator[Record], size: int) -> list[Parsed | Invalid]:
        """The next `size` records prepared (fewer at the end of the file); runs in the parse thread."""
        out: list[Parsed | Invalid] = []
        part = self.part
        for number, raw in records:
            if part is not None:
                ordinal, self._ordinal = self._ordinal, self._ordinal + 1
                if not part.holds(ordinal):
                    if not self._header_checked:
                        self._check_header(raw)
                    continue
            out.append(self._prepare(number, raw))
            if len(out) >= size:
                break
        return out

    def admit(self, prepared: Parsed | Invalid) -> Parsed | None:
        """The file-order part of parsing, on the event loop: rejects and the duplicate check."""
        if isinstance(prepared, Invalid):
            self.reject(prepared.number, prepared.raw, prepared.column, prepared.reason)
            return None
        key = prepared.row.key()
        if key is not None:
            first_row = self.seen.first_row(key)
            if first_row is not None:
                assert prepared.row.KEY is not None
                self.reject(prepared.number, prepared.raw, self._header_of(prepared.raw, prepared.row.KEY),
                            f"duplicate id {key!r} inside the file: first on row {first_row}")
                if self.trace is not None:
                    self.trace.duplicates.add(key)
                return None
            self.seen.add(key, prepared.number)
        if self.trace is not None:
            self.trace.admitted.append(prepared.number)
        return prepared

    # batches -------------------------------------------------------------------------------
    def _refs(self, row: Row) -> list[tuple[str, Ref, str]]:
        out: list[tuple[str, Ref, str]] = []
        values = row.__dict__
        for field, ref in row.REFS.items():
            value = values[field]
            if ref.many:
                out.extend((field, ref, v) for v in value if v)
            elif value:
                out.append((field, ref, value))
        return out

    def _intra(self, ref: Ref) -> bool:
        """A reference to the file's own kind (a parent region or organisation)."""
        return self.kind.label is not None and ref.labels == (self.kind.label,)

    async def flush(self, batch: list[Parsed]) -> None:
        refs = [self._refs(p.row) for p in batch]
        wanted = {(v, ref) for row_refs in refs for _, ref, v in row_refs}
        if self._writing and any(not ids.isdisjoint(candidate_ids(wanted)) for _, ids in self._writing):
            await self._drain()  # a reference to a node still being written: resolve it as a sequential load would
        try:
            found = await resolve(self.store, wanted)
        except StoreUnavailable:
            if not self._writing:
                raise
            # Every pooled connection is busy writing, so the lookup waited for a new one, whose handshake the
            # store's short bound (a second or less) refused on a busy server: once the batches being written are
            # done their connections are free, and the lookup (a read) is asked again.
            await self._drain()
            found = await resolve(self.store, wanted)
        if self.scope is not None:
            await self.scope.check([p.row for p in batch], (n for n in found.values() if isinstance(n, Node)))
        if self.trace is not None:
            self.trace.unresolved.update(candidate_ids(w for w, hit in found.items() if not isinstance(hit, Node)))
        self._flushing = True
        ready: list[tuple[Parsed, dict[str, list[Node]]]] = []
        for i, (p, row_refs) in enumerate(zip(batch, refs, strict=True)):
            if i % YIELD_EVERY == 0:
                await self._let_write_run()
            ends: dict[str, list[Node]] = {}  # plain dicts, filled on need: most rows have one or two refs
            forward: dict[str, list[str]] = {}
            problem: tuple[str, str] | None = None
            from_store: dict[str, list[Node]] = {}
            for field, ref, v in row_refs:
                hit = found[v, ref]
                if isinstance(hit, Node):
                    ends.setdefault(field, []).append(hit)
                    from_store.setdefault(field, []).append(hit)
                elif self._intra(ref) and v in self.seen:
                    ends.setdefault(field, []).append(Node(v, ref.labels[0], {}))
                elif self._intra(ref):
                    forward.setdefault(field, []).append(v)  # may be defined further down the file
                else:
                    problem = problem or (field, hit)
            if not problem and self.scope is not None:
                problem = self.scope.problem(p.row, from_store, [*ends, *forward])
            if problem:
                self.reject(p.number, p.raw, self._header_of(p.raw, problem[0]), problem[1])
                self.seen.discard(p.row.key() or "")
                if self.trace is not None and p.row.key() is not None:
                    self.trace.discarded.append(p.row.key() or "")
                continue
            if forward:
                self.deferred.append((p, ends, forward))
            ready.append((p, ends))
        self._flushing = False
        if issubclass(self.kind.model, ClaimRow):
            await self._claims(ready)
        else:
            await self._write(ready)
        self.seen.spill()
        self.claim_ids.spill()
        if self.options.progress and not self._writing:
            self.options.progress(self.report)

    def _write_behind_ok(self) -> bool:
        """Whether batch N+1 may be resolved while batch N is still being written: only when resolving
        reads nothing the file writes — a node kind whose references never take its own label and use
        the plain lookup (a custom resolver may read relationships, as reports do); not for dry runs or
        claims (the claims' check and their rejects follow file order)."""
        label = self.kind.label
        return (not self.dry_run and label is not None and not issubclass(self.kind.model, ClaimRow)
                and all(label not in ref.labels and ref.resolver is None for ref in self.kind.model.REFS.values()))

    async def _let_write_run(self) -> None:
        """Give the event loop to the batch being written between slices of the next batch's work, so
        the store's replies to its statements are not left waiting for a whole batch of Python."""
        if self._writing:
            await asyncio.sleep(0)

    async def _drain(self, room: int = 0) -> None:
        """Wait, oldest first, until at most `room` batches are being written; a failure is raised here (a
        failed batch that is not the oldest is raised first: no new batch starts after a failure)."""
        for writing, _ in self._writing:
            if writing.done() and writing.exception() is not None:
                await writing
        while len(self._writing) > room:
            writing, _ = self._writing.pop(0)
            await writing
            if self.options.progress:
                self.options.progress(self.report)

    async def _write(self, ready: list[tuple[Parsed, dict[str, list[Node]]]]) -> None:
        label = self.kind.label
        nodes: list[dict[str, Any]] = []
        rels: dict[tuple[RelType, Label, Label], list[RelRow]] = defaultdict(list)
        for i, (p, ends) in enumerate(ready):
            if i % YIELD_EVERY == 0:
                await self._let_write_run()
            if (n := self.writes.node(p.row)) is not None:
                nodes.append(n)
            for type_, start, end, rel in self.writes.links(p.row, ends):
                rels[type_, start, end].append(rel)
        if self.dry_run:
            if label is not None and nodes:
                self.report.add(await self._would_upsert(nodes))
            elif label is None:
                self.report.created += sum(len(v) for v in rels.values())
            return
        node_groups = [(label, nodes)] if label is not None and nodes else []
        if not self.write_behind:
            await self._write_batch(node_groups, rels, count_as_rows=label is None)
            return
        # Still one transaction per batch, started in file order; up to `writers` of them run at once (the
        # server's work on batches N and N+1 overlaps, on two cores) while the next batch is admitted and
        # resolved. A batch is all or nothing; after a failure no batch starts, and the failure is raised.
        await self._drain(room=max(1, self.options.writers) - 1)
        writing = asyncio.ensure_future(self._write_batch(node_groups, rels, count_as_rows=label is None))
        self._writing.append((writing, {n["id"] for n in nodes}))

    async def _write_batch(self, nodes: list[tuple[Label, list[dict[str, Any]]]],
                           rels: dict[tuple[RelType, Label, Label], list[RelRow]], count_as_rows: bool) -> None:
        """One transaction for the batch's nodes and all its relationships."""
        if not nodes and not rels:
            return
        result = await self.store.upsert_batch(nodes, groups(rels.items()))
        for node_result in result.nodes:
            self.report.add(node_result)
        for rel_result in result.relationships:
            if count_as_rows:
                self.report.add(rel_result)
            else:
                self.report.relationships += rel_result
        self.report.replaced += result.removed

    async def _would_upsert(self, nodes: list[dict[str, Any]]) -> UpsertResult:
        existing = {n.id: n for n in await self.store.get_nodes([n["id"] for n in nodes])}
        result = UpsertResult()
        for row in nodes:
            old = existing.get(row["id"])
            if old is None:
                result.created += 1
            elif all(old.props.get(k) == v for k, v in row.items()):
                result.unchanged += 1
            else:
                result.updated += 1
        return result

    async def _claims(self, ready: list[tuple[Parsed, dict[str, list[Node]]]]) -> None:
        claims: list[tuple[Parsed, dict[str, Any]]] = []
        for p, ends in ready:
            assert isinstance(p.row, ClaimRow)
            claim = p.row.claim(ends)
            if claim["id"] in self.claim_ids:
                self.reject(p.number, p.raw, self._header_of(p.raw, "id"),
                            f"duplicate claim {claim['id']!r} inside the file (same claimant, item and date)")
                continue
            self.claim_ids.add(claim["id"], p.number)
            claims.append((p, claim))
        asked = [c for _, c in claims]
        outcomes: list[Outcome] = await (self.dry_run_claims.outcomes(asked) if self.dry_run
                                         else write_claims(self.store, asked))
        for (p, _), outcome in zip(claims, outcomes, strict=True):
            if isinstance(outcome, AllianceError):
                # the error names the claim's key at fault; the row's column is the field it came from
                field = ClaimRow.CLAIM.get(outcome.field or "", "")
                self.reject(p.number, p.raw, self._header_of(p.raw, field) if field else "", str(outcome))
            elif outcome:
                self.report.created += 1
            else:
                self.report.unchanged += 1

    async def finish_deferred(self) -> None:
        rels: dict[tuple[RelType, Label, Label], list[RelRow]] = defaultdict(list)
        for p, _, forward in self.deferred:
            missing = [(field, v) for field, values in forward.items() for v in values if v not in self.seen]
            if missing:
                field, v = missing[0]
                ref = p.row.REFS[field]
                note = "" if self.dry_run else " (the row's node was loaded, this link was not)"
                self.reject(p.number, p.raw, self._header_of(p.raw, field),
                            f"unknown {ref.what} {v!r}: not in the store nor in this file{note}")
                continue
            only_forward = {field: [Node(v, p.row.REFS[field].labels[0], {}) for v in values]
                            for field, values in forward.items()}
            for type_, start, end, rel in self.writes.links(p.row, only_forward):
                rels[type_, start, end].append(rel)
        if rels and not self.dry_run:
            await self._write_batch([], rels, count_as_rows=False)

    async def run(self) -> FileReport:
        started = time.perf_counter()
        batch: list[Parsed] = []
        size = self.options.batch_size
        loop = asyncio.get_running_loop()
        pool = ThreadPoolExecutor(1, thread_name_prefix="loader-parse")
        records = self.records = read_records(self.path, self.fmt, lambda h: field_of(self.kind.name, h))
        ahead: asyncio.Future[list[Parsed | Invalid]] | None = None
        try:
            # One chunk (a batch's worth of records) is prepared ahead while the current one is admitted and
            # flushed: the parse thread and the store overlap. Memory holds at most a chunk being prepared, one
            # being admitted, the batch being filled and the batch being written: flat, whatever the file's size.
            ahead = loop.run_in_executor(pool, self._prepare_chunk, records, size)
            while chunk := await ahead:
                ahead = loop.run_in_executor(pool, self._prepare_chunk, records, size)
                for i, prepared in enumerate(chunk):
                    if i % YIELD_EVERY == 0:
                        await self._let_write_run()
                    self.report.rows += 1
                    parsed = self.admit(prepared)
                    if parsed is not None:
                        batch.append(parsed)
                    if len(batch) >= size:
                        await self.flush(batch)
                        batch = []
            ahead = None
            if batch:
                await self.flush(batch)
            await self._drain()
            await self.finish_deferred()
            if self.beside is not None:  # what the rows never used of what was read beside them
                for number, column, reason in self.beside.leftovers():
                    self.reject(number, {}, column, reason)
            self.report.sheet = self._sheet()
            if self.trace is not None:
                self.trace.keep_seen(self.seen.keys())
        finally:
            # failed midway: let the thread finish its chunk before closing the reader, and the batch being
            # written finish (or fail) before returning; the first error is the one raised
            pending = [f for f in (ahead, *(w for w, _ in self._writing)) if f is not None]
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
            pool.shutdown(wait=True)
            records.close()
            self.seen.close()
            self.claim_ids.close()
            if self.rejects.close():
                self.report.rejects_file = str(self.rejects.path)
        self.report.seconds = time.perf_counter() - started
        return self.report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs each time 700 new containers outlive the last run, and
    a load keeps batches of tens of thousands of rows (dicts, models) alive: at that pace collecting
    took about a third of the loader's CPU (bench/RESULTS.md). While a load runs the threshold is
    raised; the first load to raise it restores it, if no one else has changed it meanwhile."""
    before = gc.get_threshold()
    raised = before[0] < GC_FIRST_THRESHOLD
    if raised:
        gc.set_threshold(GC_FIRST_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        if raised and gc.get_threshold()[0] == GC_FIRST_THRESHOLD:
            gc.set_threshold(*before)


async def load_file(store: GraphStore, kind: str, path: Path, options: Options | None = None) -> FileReport:
    """Load `path` as `kind`; rejected rows go to `<name>.rejects.csv` beside it."""
    with _fewer_collections(), provenance.acting(f"load:{kind}", options.key_id if options else None):
        return await _load_file(store, kind, path, options)


async def _load_file(store: GraphStore, kind: str, path: Path, options: Options | None) -> FileReport:
    options = options or Options()
    if kind not in KINDS:
        raise FileRejected(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    if options.batch_size < 1:
        raise FileRejected(f"batch size {options.batch_size} must be at least 1")
    spec = KINDS[kind]
    stale = rejects_path(path, options.rejects_dir, options.display_name)
    stale.unlink(missing_ok=True)
    if options.dry_run or options.strict:
        check = await _Load(store, spec, path, options, dry_run=True).run()
        if options.dry_run or check.rejected:
            check.loaded = False
            check.dry_run = options.dry_run
            return check
    return await _Load(store, spec, path, options, dry_run=False).run()

