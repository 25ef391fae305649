"""One file validated by several processes for `alliance load --bulk` (loaders/bulk.py), with the report, the
rejects file and the staged graph of a load by one process.

Each process reads the whole file (so row numbers, the header and the skipped footers are the file's) but
validates, resolves and stages only its part: blocks of records dealt round-robin (engine.Part), into its own
copy of the staging graph as it was before the file. Then, in this process:

1. The parts must not depend on one another, or the file is loaded again by one process (the same result,
   only slower): no key in two parts; no key of a row the flush rejected met again (a sequential load forgets
   it, so whether a later row with it is a duplicate depends on where batches end); no reference that named no
   node naming a key of the file (a sequential load might find a row staged by an earlier batch). Any failure
   of a part (a file refused, an id clash) also falls back: the sequential load names the error.
2. The rejects are put in the order a sequential load writes them: a row refused when admitted at its row;
   a row refused by its batch's flush after the row that filled that batch, which the admitted rows of all
   parts tell (every `batch_size`-th of them). The report's list and the rejects file come from that order.
3. Each part's changes to its copy are merged into the staging graph (the parts wrote different nodes).

Only kinds whose rows write their own node and links that no other row's write can replace, whose references
never name their own label and use the plain lookup, with no sheet beside them, no region scope, not claims,
not --strict or --dry-run (`split_ok`). The rejects are held in memory until written; the rows are not.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import multiprocessing
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from loaders.engine import Options, Part, PartTrace, _fewer_collections, _Load, rejects_path
from loaders.kinds import KINDS, ClaimRow
from loaders.report import MAX_LISTED, FileReport, Reject, RejectsFile
from loaders.rows import SELF
from loaders.staging import StagingGraph
from service.graph import provenance
from service.registry import Single, rel_spec

MAX_PROCESSES = 8  # the parts' key files are attached to one SQLite connection, which takes ten at most


def split_ok(kind: str, options: Options) -> bool:
    """Whether a file of `kind` can be validated in parts with the result of one process (see the docstring)."""
    spec = KINDS[kind]
    model, label = spec.model, spec.label
    if label is None or issubclass(model, ClaimRow) or spec.context is not None:
        return False
    if options.strict or options.dry_run or options.region_id is not None:
        return False
    if any(label in ref.labels or ref.resolver is not None for ref in model.REFS.values()):
        return False
    for link in model.LINKS:
        single = rel_spec(link.type).single
        own_start = link.start == SELF and single in (None, Single.START)
        if own_start or (link.end == SELF and single in (None, Single.END)):
            continue  # only this row's node is the single-valued side (or none is): no other row replaces it
        return False
    return True


@dataclass
class PartResult:
    report: FileReport
    trace: PartTrace
    staging: Path


def _validate_part(kind: str, path: Path, options: Options, base: Path, folder: Path, part: Part) -> PartResult:
    """A worker process: the part's rows through the loader into a copy of the staging graph `base`."""
    staging_path = folder / f"part{part.index}.sqlite3"
    with closing(sqlite3.connect(base)) as source, closing(sqlite3.connect(staging_path)) as copy:
        source.backup(copy)
    trace = PartTrace(folder / f"part{part.index}.seen.sqlite3")

    async def run() -> FileReport:
        staging = StagingGraph(staging_path)
        try:
            load = _Load(staging, KINDS[kind], path, options, dry_run=False, part=part, trace=trace)  # type: ignore[arg-type]
            return await load.run()
        finally:
            await staging.close()

    with _fewer_collections(), provenance.acting(f"load:{kind}", options.key_id):
        report = asyncio.run(run())
    return PartResult(report, trace, staging_path)


async def load_in_parts(staging: StagingGraph, kind: str, path: Path, options: Options, processes: int,
                        block: int | None = None) -> FileReport | None:
    """`path` validated and staged by `processes` processes, as one would (see the module's docstring); None
    (and the staging graph untouched) when it must be loaded by one process instead."""
    if processes < 2 or kind not in KINDS or options.batch_size < 1 or not split_ok(kind, options):
        return None
    processes = min(processes, MAX_PROCESSES)
    started = time.perf_counter()
    rejects_path(path, options.rejects_dir, options.display_name).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="alliance-parts-", dir=staging.path.parent) as tmp:
        folder = Path(tmp)
        base = folder / "base.sqlite3"
        staging.copy_to(base)
        size = block or options.batch_size
        sent = replace(options, progress=None)
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [loop.run_in_executor(pool, _validate_part, kind, path, sent, base, folder,
                                            Part(i, processes, size)) for i in range(processes)]
            try:
                parts = list(await asyncio.gather(*futures))
            except Exception:  # the sequential load meets the same failure and names it
                return None
        if not _independent(parts):
            return None
        for part in parts:
            staging.merge(part.staging, base)
    report = _merged(kind, path, options, parts)
    report.seconds = time.perf_counter() - started
    return report


def _independent(parts: list[PartResult]) -> bool:
    """Whether the parts' outcomes are those of one sequential load (see the module's docstring, 1)."""
    traces = [p.trace for p in parts]
    for trace in traces:
        discarded = set(trace.discarded)
        if len(discarded) < len(trace.discarded) or discarded & trace.duplicates:
            return False
    with closing(sqlite3.connect(":memory:")) as db:
        for i, trace in enumerate(traces):
            db.execute(f"ATTACH ? AS s{i}", (str(trace.seen),))
        seen = [f"s{i}.seen" for i in range(len(traces))]
        for i in range(len(seen)):
            for j in range(i + 1, len(seen)):
                if db.execute(f"SELECT 1 FROM {seen[i]} JOIN {seen[j]} USING (key) LIMIT 1").fetchone():
                    return False

        def met(keys: Iterable[str], skip: int | None = None) -> bool:
            """Whether any of `keys` is a key some part (but `skip`) admitted and kept."""
            keys = list(keys)
            for i, table in enumerate(seen):
                if i == skip:
                    continue
                for at in range(0, len(keys), 500):
                    chunk = keys[at:at + 500]
                    marks = ",".join("?" * len(chunk))
                    if db.execute(f"SELECT 1 FROM {table} WHERE key IN ({marks}) LIMIT 1", chunk).fetchone():
                        return True
            return False

        refused = [set(t.discarded) | t.duplicates for t in traces]
        for i, trace in enumerate(traces):
            if any(refused[i] & other for j, other in enumerate(refused) if j != i):
                return False  # a key in two parts, refused in both
            if met(trace.discarded) or met(trace.duplicates, skip=i):
                return False  # a refused key kept elsewhere (or, discarded, again in its own part)
        named: set[str] = set()
        for trace in traces:
            named |= trace.unresolved
        return not any(named & keys for keys in refused) and not met(named)


def _merged(kind: str, path: Path, options: Options, parts: list[PartResult]) -> FileReport:
    """One report and rejects file from the parts', the rejects in a sequential load's order (docstring, 2)."""
    first = parts[0].report
    report = FileReport(first.kind, first.file, strict=options.strict, sheet=first.sheet)
    for part in parts:
        r = part.report
        report.rows += r.rows
        report.created += r.created
        report.updated += r.updated
        report.unchanged += r.unchanged
        report.relationships += r.relationships
        report.replaced += r.replaced
    admitted = list(heapq.merge(*(p.trace.admitted for p in parts)))
    size = options.batch_size

    def filled(number: int) -> float:
        """The row that filled the batch of the admitted row `number` (infinity: the last batch, flushed at the end)."""
        last = (bisect.bisect_left(admitted, number) // size + 1) * size - 1
        return admitted[last] if last < len(admitted) else float("inf")

    rejects = sorted((r for p in parts for r in p.trace.rejects),
                     key=lambda r: (filled(r[0]) if r[1] else r[0], r[1], r[0]))
    out = RejectsFile(rejects_path(path, options.rejects_dir, options.display_name))
    try:
        for number, _, column, reason, columns, values, text in rejects:
            report.rejected += 1
            if len(report.rejects) < MAX_LISTED:
                report.rejects.append(Reject(report.file, number, column, reason))
            out.write(columns, values, text)
    finally:
        if out.close():
            report.rejects_file = str(out.path)
    return report
