"""Load one file of one KIND through the GraphStore port.

Rows stream from the reader, are validated by the kind's pydantic model, and are written in
batches: per batch one `upsert_batch` call — the nodes and every relationship type in ONE
transaction — or one `claim_items` call for claims. Every write is an idempotent upsert
keyed on ids (claims on a deterministic claim id), so a load killed midway and run again ends in
the state of one clean run; a single-valued relationship (kinds.SINGLE) that changed replaces the
old one in the same transaction. `strict` validates the whole file first (a dry run) and writes only
when nothing was rejected.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from loaders.errors import FileRejected
from loaders.kinds import KINDS, SINGLE, ClaimRow, Kind, Ref, Row, field_of
from loaders.readers import format_of, read_records
from loaders.report import MAX_LISTED, FileReport, Reject, RejectsFile
from loaders.resolve import resolve
from loaders.seen import SeenKeys
from service.errors import AllianceError, AlreadyClaimed, Conflict
from service.graph.store import GraphStore, Node, RelGroup, RelRow, UpsertResult
from service.model import Label, RelType

Progress = Callable[[FileReport], None]


@dataclass
class Options:
    format: str | None = None
    strict: bool = False
    dry_run: bool = False
    batch_size: int = 5000
    progress: Progress | None = None
    rejects_dir: Path | None = None  # default: beside the input
    display_name: str | None = None  # the name reported (an upload's original file name)


@dataclass
class Parsed:
    number: int
    raw: dict[str, Any]
    row: Row


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
    def __init__(self, store: GraphStore, kind: Kind, path: Path, options: Options, dry_run: bool) -> None:
        self.store, self.kind, self.path, self.options, self.dry_run = store, kind, path, options, dry_run
        self.fmt = format_of(path, options.format)
        self.name = options.display_name or path.name
        self.report = FileReport(kind.name, self.name, dry_run=dry_run, strict=options.strict, loaded=not dry_run)
        self.rejects = RejectsFile(rejects_path(path, options.rejects_dir, options.display_name))
        self.seen = SeenKeys()  # key -> row number, for duplicates inside the file
        self.deferred: list[tuple[Parsed, dict[str, list[Node]], dict[str, list[str]]]] = []
        self.claims_remaining: dict[str, float] = {}  # dry-run simulation of claims
        self.claim_ids = SeenKeys()
        self.prior_claims: set[str] = set()  # dry run: claim ids already in the store
        required = [name for name, info in kind.model.model_fields.items() if info.is_required()]
        self.required = required
        self._header_checked = False
        self._fields: dict[str, str | None] = {}  # header -> field, for this file's headers

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
        self.rejects.write(columns, values, f"row {parsed_number}, {column}: {reason}" if column else reason)

    def _check_header(self, raw: dict[str, Any]) -> None:
        self._header_checked = True
        if self.fmt == "jsonl":
            return
        present = {field_of(self.kind.name, h) for h in raw}
        missing = [self.kind.header(f) + f" ({f})" for f in self.required if f not in present]
        if missing:
            raise FileRejected(f"{self.name}: missing column {', '.join(missing)} for {self.kind.name}")

    def parse(self, number: int, raw: dict[str, Any]) -> Parsed | None:
        if not self._header_checked:
            self._check_header(raw)
        if "__error__" in raw:
            self.reject(number, raw, "", str(raw["__error__"]))
            return None
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
            row = self.kind.model.model_validate(values)
        except ValidationError as exc:
            errors = exc.errors()
            first = errors[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            reason = _error_text(first)
            if len(errors) > 1:
                reason += "; also " + "; ".join(
                    f"{self._header_of(raw, str(e['loc'][0]))}: {_error_text(e)}" for e in errors[1:] if e["loc"])
            self.reject(number, raw, self._header_of(raw, field) if field else "", reason)
            return None
        key = row.key()
        if key is not None:
            first_row = self.seen.first_row(key)
            if first_row is not None:
                id_field = "member" if self.kind.name == "reports" else "id"
                self.reject(number, raw, self._header_of(raw, id_field),
                            f"duplicate id {key!r} inside the file: first on row {first_row}")
                return None
            self.seen.add(key, number)
        return Parsed(number, raw, row)

    # batches -------------------------------------------------------------------------------
    def _refs(self, row: Row) -> list[tuple[str, Ref, str]]:
        out = []
        for field, ref in row.REFS.items():
            value = getattr(row, field)
            for v in value if isinstance(value, list) else [value]:
                if v:
                    out.append((field, ref, v))
        return out

    def _intra(self, ref: Ref) -> bool:
        """A reference to the file's own kind (a parent region or organisation)."""
        return self.kind.label is not None and ref.labels == (self.kind.label,)

    async def flush(self, batch: list[Parsed]) -> None:
        wanted = {(v, ref) for p in batch for _, ref, v in self._refs(p.row)}
        found = await resolve(self.store, wanted)
        ready: list[tuple[Parsed, dict[str, list[Node]]]] = []
        for p in batch:
            ends: dict[str, list[Node]] = defaultdict(list)
            forward: dict[str, list[str]] = defaultdict(list)
            problem: tuple[str, str] | None = None
            for field, ref, v in self._refs(p.row):
                hit = found[v, ref]
                if isinstance(hit, Node):
                    ends[field].append(hit)
                elif self._intra(ref) and v in self.seen:
                    ends[field].append(Node(v, ref.labels[0], {}))
                elif self._intra(ref):
                    forward[field].append(v)  # may be defined further down the file
                else:
                    problem = problem or (field, hit)
            if problem:
                self.reject(p.number, p.raw, self._header_of(p.raw, problem[0]), problem[1])
                self.seen.discard(p.row.key() or "")
                continue
            if forward:
                self.deferred.append((p, ends, forward))
            ready.append((p, ends))
        if issubclass(self.kind.model, ClaimRow):
            await self._claims(ready)
        else:
            await self._write(ready)
        self.seen.spill()
        self.claim_ids.spill()
        if self.options.progress:
            self.options.progress(self.report)

    async def _write(self, ready: list[tuple[Parsed, dict[str, list[Node]]]]) -> None:
        label = self.kind.label
        nodes = [n for p, _ in ready if (n := p.row.node()) is not None]
        rels: dict[tuple[RelType, Label, Label], list[RelRow]] = defaultdict(list)
        for p, ends in ready:
            for type_, start, end, rel in p.row.relationships(ends):
                rels[type_, start, end].append(rel)
        if self.dry_run:
            if label is not None and nodes:
                self.report.add(await self._would_upsert(nodes))
            elif label is None:
                self.report.created += sum(len(v) for v in rels.values())
            return
        await self._write_batch([(label, nodes)] if label is not None and nodes else [], rels,
                                count_as_rows=label is None)

    async def _write_batch(self, nodes: list[tuple[Label, list[dict[str, Any]]]],
                           rels: dict[tuple[RelType, Label, Label], list[RelRow]], count_as_rows: bool) -> None:
        """One transaction for the batch's nodes and all its relationships."""
        if not nodes and not rels:
            return
        groups = [RelGroup(type_, start, end, rows, *SINGLE.get(type_, (None, None)))
                  for (type_, start, end), rows in rels.items()]
        result = await self.store.upsert_batch(nodes, groups)
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
        if self.dry_run:
            outcomes = await self._simulate_claims([c for _, c in claims])
        else:
            done = await self.store.claim_items([c for _, c in claims]) if claims else []
            outcomes = [o if isinstance(o, AllianceError) else o.created for o in done]
        for (p, _), outcome in zip(claims, outcomes, strict=True):
            if isinstance(outcome, AllianceError):
                field = "quantity" if isinstance(outcome, AlreadyClaimed) else "id" if isinstance(
                    outcome, Conflict) else "claimant" if "claim for" in str(outcome) else "item"
                self.reject(p.number, p.raw, self._header_of(p.raw, field), str(outcome))
            elif outcome:
                self.report.created += 1
            else:
                self.report.unchanged += 1

    async def _simulate_claims(self, claims: list[dict[str, Any]]) -> list[bool | AllianceError]:
        """Dry run: the store's rule (remaining >= asked) over the file's claims, writing nothing."""
        items = {c["item_id"] for c in claims} - set(self.claims_remaining)
        if items:
            for node in await self.store.get_nodes(sorted(items)):
                quantity, claimed = node.get("quantity", 0) or 0, node.get("claimed", 0) or 0
                self.claims_remaining[node.id] = float(quantity) - float(claimed)
            existing = await self.store.related(sorted(items), RelType.CLAIMED, outgoing=False)
            self.prior_claims |= {str(r.props.get("id")) for r in existing}
        out: list[bool | AllianceError] = []
        for c in claims:
            if c["id"] in self.prior_claims:
                out.append(False)
                continue
            left = self.claims_remaining.get(c["item_id"], 0.0)
            if left < c["quantity"]:
                out.append(AlreadyClaimed(f"item {c['item_id']!r} is already claimed: {left:g} left, "
                                          f"{c['quantity']:g} asked"))
                continue
            self.claims_remaining[c["item_id"]] = left - c["quantity"]
            out.append(True)
        return out

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
            for type_, start, end, rel in p.row.relationships(only_forward):
                rels[type_, start, end].append(rel)
        if rels and not self.dry_run:
            await self._write_batch([], rels, count_as_rows=False)

    async def run(self) -> FileReport:
        started = time.perf_counter()
        batch: list[Parsed] = []
        try:
            for number, raw in read_records(self.path, self.fmt, lambda h: field_of(self.kind.name, h)):
                self.report.rows += 1
                parsed = self.parse(number, raw)
                if parsed is not None:
                    batch.append(parsed)
                if len(batch) >= self.options.batch_size:
                    await self.flush(batch)
                    batch = []
            if batch:
                await self.flush(batch)
            await self.finish_deferred()
        finally:
            self.seen.close()
            self.claim_ids.close()
            if self.rejects.close():
                self.report.rejects_file = str(self.rejects.path)
        self.report.seconds = time.perf_counter() - started
        return self.report


async def load_file(store: GraphStore, kind: str, path: Path, options: Options | None = None) -> FileReport:
    """Load `path` as `kind`; rejected rows go to `<name>.rejects.csv` beside it."""
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

