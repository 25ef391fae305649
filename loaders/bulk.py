"""`alliance load --bulk KIND FILE… [KIND FILE…]…`: a first load into an EMPTY Neo4j through its offline
importer, `neo4j-admin database import full`, for files far larger than transactions load quickly.

1. The database must hold no node at all (nor import records, nor API keys): otherwise nothing is written and
   the refusal names the database and its node count, since the importer replaces the whole database.
2. Every file goes through the ordinary loader (the same parsing, rules, rejects files and reports) into a
   staging graph on disk (loaders/staging.py); references resolve against the files before, in order.
3. The staged graph is written as the importer's CSV files, the local server (service/neo4j_local.py) is
   stopped, the importer replaces the database, the server is started again (also when the import failed),
   and the migrations create the constraints and indexes (schema only: the staged data is already in the
   current form, so no backfill rewrites it); each file is then recorded in the import history.

Only the local server can be stopped and imported into: its home is --neo4j-home or $ALLIANCE_NEO4J_HOME.
"""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loaders import parts
from loaders.engine import Options, load_file
from loaders.errors import FileRejected
from loaders.history import CLI_KEY, record_import
from loaders.kinds import KINDS, ClaimRow
from loaders.report import FileReport
from loaders.staging import ImportFiles, ImportWriter, StagingGraph
from service import neo4j_local
from service.demo import Dataset
from service.graph import open_store, records
from service.graph.neo4j import Neo4jStore
from service.graph.types import Claim, RelGroup
from service.settings import Settings, StoreKind


class BulkRefused(Exception):
    """A bulk load that cannot start; nothing was written."""


@dataclass
class BulkResult:
    reports: list[FileReport] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    claims: int = 0
    claims_rejected: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # validate, files, import, restart, migrate

    def summary(self) -> str:
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        return f"bulk import: {self.nodes:,} nodes and {self.relationships:,} relationships ({steps})"


def bulk_kind_problem(kind: str) -> str | None:
    """Why `kind` cannot be bulk-loaded, or None: claims take the store's atomic check, and a reference with its
    own resolver reads relationships the staging graph does not answer."""
    spec = KINDS[kind]
    if issubclass(spec.model, ClaimRow):
        return f"{kind}: claims go through the store's atomic quantity check; load them with `alliance load` after"
    if any(ref.resolver is not None for ref in spec.model.REFS.values()):
        return f"{kind}: its references are resolved by rules the bulk path does not run; load it with `alliance load`"
    return None


def _local_server(settings: Settings, home: Path | None) -> neo4j_local.Neo4jServer:
    if settings.store is not StoreKind.NEO4J:
        raise BulkRefused("--bulk writes into Neo4j through its offline importer: set ALLIANCE_STORE=neo4j")
    if home is None:
        raise BulkRefused("--bulk stops the local Neo4j to import into it: name its home with --neo4j-home DIR "
                          "or ALLIANCE_NEO4J_HOME (the --home of `alliance neo4j start`)")
    server = neo4j_local.status(home)
    if server is None:
        raise BulkRefused(f"no local Neo4j runs in {home}: start it (`alliance neo4j start --home {home}`)")
    if server.uri != settings.neo4j_uri:
        raise BulkRefused(f"the Neo4j of {home} listens on {server.uri}, but ALLIANCE_NEO4J_URI is "
                          f"{settings.neo4j_uri}: --bulk imports only into the local server the settings name")
    return server


async def stage(groups: list[tuple[str, list[Path]]], options: Options, folder: Path, result: BulkResult,
                processes: int = 1) -> tuple[ImportFiles | None, list[tuple[str, Path, FileReport]]]:
    """Every file through the loader into a staging graph in `folder`, then the importer's files written there
    (None when nothing is to be imported); the files loaded with their reports. Touches no store. With `processes`
    above 1, a file is validated by that many processes when its kind allows (loaders/parts.py), with the same
    result; not by default: on this project's 2-core machine it was not faster (bench/RESULTS.md, issue 16)."""
    staging = StagingGraph(folder / "staging.sqlite3")
    started = time.perf_counter()
    done: list[tuple[str, Path, FileReport]] = []
    try:
        for kind, paths in groups:
            for path in paths:
                try:
                    report = await parts.load_in_parts(staging, kind, path, options, processes)
                    if report is None:
                        report = await load_file(staging, kind, path, options)  # type: ignore[arg-type]
                    result.reports.append(report)
                    done.append((kind, path, report))
                except FileRejected as exc:
                    result.failed.append({"file": str(path), "error": str(exc)})
        result.nodes, result.relationships = await staging.count()
        result.seconds["validate"] = time.perf_counter() - started
        if not result.nodes:
            return None, done
        started = time.perf_counter()
        files = staging.write_import_files(folder)
        result.seconds["files"] = time.perf_counter() - started
        return files, done
    finally:
        await staging.close()


async def bulk_load(groups: list[tuple[str, list[Path]]], options: Options, home: Path | None,
                    settings: Settings | None = None, processes: int = 1) -> BulkResult:
    """Validate and stage every file, then import them all at once (see the module's docstring)."""
    settings = settings or Settings()
    for kind, _ in groups:
        if problem := bulk_kind_problem(kind):
            raise BulkRefused(problem)
    assert home is not None
    await _refuse_unless_empty(settings, home, "--bulk is for a first load into an empty database (use "
                               "`alliance load` without --bulk)")
    result = BulkResult()
    with tempfile.TemporaryDirectory(prefix="alliance-bulk-") as tmp:
        folder = Path(tmp)
        files, done = await stage(groups, options, folder, result, processes)
        if files is None:
            return result
        _import_and_restart(home, settings, files, result)
    started = time.perf_counter()
    store = open_store(settings)
    assert isinstance(store, Neo4jStore)  # _local_server refused any other store
    try:
        # constraints and indexes, built over the imported graph (no backfill: the staging wrote current data)
        await store.migrate_imported()
        result.seconds["migrate"] = time.perf_counter() - started
        for kind, path, report in done:
            await record_import(store, path=path, name=path.name, kind=kind, key_id=CLI_KEY, report=report,
                                fmt=options.format, rejects_file=report.rejects_file)
        for failed in result.failed:
            path = Path(failed["file"])
            kind = next(k for k, paths in groups if path in paths)
            await record_import(store, path=path, name=path.name, kind=kind, key_id=CLI_KEY, error=failed["error"],
                                fmt=options.format)
    finally:
        await store.close()
    return result


async def _refuse_unless_empty(settings: Settings, home: Path, instead: str) -> None:
    """BulkRefused, naming the database and its node count, unless the local server of `home` holds no node:
    the offline importer replaces a whole database."""
    server = _local_server(settings, home)
    store = open_store(settings)
    try:
        held = sum((await store.count_by_label()).values())
    finally:
        await store.close()
    if held:
        raise BulkRefused(f"the Neo4j database {settings.neo4j_database!r} at {server.uri} is not empty: it holds "
                          f"{held:,} nodes, and the offline importer replaces a whole database. Nothing was written; "
                          f"{instead}")


def _import_and_restart(home: Path, settings: Settings, files: ImportFiles, result: BulkResult,
                        off_heap: str | None = None) -> None:
    """Stop the server of `home`, import `files` over its database, start it again (also when the import failed;
    slow on a busy machine), timing both steps in `result`."""
    started = time.perf_counter()
    neo4j_local.stop(home)
    try:
        neo4j_local.import_full(home, settings.neo4j_database, files.nodes, files.relationships, off_heap=off_heap,
                                multiline=files.multiline)
    finally:
        result.seconds["import"] = time.perf_counter() - started
        started = time.perf_counter()
        neo4j_local.start(home, timeout=900)
        result.seconds["restart"] = time.perf_counter() - started


async def bulk_import_demo(parts: Iterable[Dataset], home: Path | None, settings: Settings | None = None,
                           progress: Callable[[Dataset, int, int], None] | None = None,
                           off_heap: str = "2G", replace: bool = False) -> BulkResult:
    """A generated demo (service.demo.stream: one part at a time, so memory holds one part) into the EMPTY local
    Neo4j of `home` through the offline importer: every part's nodes and relationships, prepared as the store's
    upserts prepare them (a list item starts with claimed 0 and remaining = quantity, as the store keeps it),
    straight into the importer's CSV files; then import, restart, migrations, and the claims through the store's
    atomic claim check. `progress(part, nodes, relationships)` after each part is written out. `replace`: import
    over a database that holds data (deleting it all); otherwise a non-empty one is refused."""
    settings = settings or Settings()
    assert home is not None
    if not replace:
        await _refuse_unless_empty(settings, home, "`alliance demo --reset --bulk` replaces it")
    else:
        _local_server(settings, home)
    result = BulkResult()
    with tempfile.TemporaryDirectory(prefix="alliance-demo-bulk-") as tmp:
        folder = Path(tmp)
        claims_file = folder / "claims.jsonl"  # the claims wait on disk until the server is back
        started = time.perf_counter()
        with ImportWriter(folder) as writer, claims_file.open("w", encoding="utf-8") as claims_out:
            for part in parts:
                for label, rows in part.nodes.items():
                    for row in records.prepare_nodes(label, rows):
                        writer.node(label.value, records.kept(label, row))
                        result.nodes += 1
                for batch in part.relationships:
                    group = records.prepare_group(RelGroup(batch.type, batch.start, batch.end, batch.rows))
                    for rel in group.rows:
                        writer.relationship(group.type.value, rel.start, rel.end, rel.props)
                        result.relationships += 1
                claims_out.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in part.claims)
                if progress:
                    progress(part, result.nodes, result.relationships)
        result.seconds["files"] = time.perf_counter() - started
        _import_and_restart(home, settings, writer.files, result, off_heap=off_heap)
        started = time.perf_counter()
        store = open_store(settings)
        try:
            await store.migrate()  # constraints and indexes, built over the imported graph
            result.seconds["migrate"] = time.perf_counter() - started
            started = time.perf_counter()
            with claims_file.open(encoding="utf-8") as claims_in:
                while chunk := [json.loads(line) for line in itertools.islice(claims_in, 10_000)]:
                    outcomes = await store.claim_items(chunk)
                    result.claims += len(chunk)
                    result.claims_rejected += sum(not isinstance(o, Claim) for o in outcomes)
            result.seconds["claims"] = time.perf_counter() - started
        finally:
            await store.close()
    return result
