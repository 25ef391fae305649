"""`alliance load KIND FILE… [--format] [--strict] [--dry-run] [--json]`, `alliance imports` (the history of
loaded files, loaders/history.py),
`alliance template KIND --format xlsx|csv [--output PATH]` and
`alliance export KIND [--region ID] [--role ROLE] [--out FILE.xlsx]` (loaders/export.py).

Exit codes: 0 everything loaded, 1 some rows rejected (or --strict refused a file), 2 a file
could not be read at all."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from loaders.engine import Options, load_file
from loaders.errors import FileRejected
from loaders.examples import REQUIRES, example_row
from loaders.export import EXPORTS, export, workbook
from loaders.history import CLI_KEY, describe, list_imports, new_import_id, now, record_import
from loaders.kinds import KINDS
from loaders.report import FileReport
from service import audit
from service.roles import Role


def add_commands(sub: Any) -> None:
    load = sub.add_parser("load", help="import office files (CSV, XLSX, JSON lines) into the graph")
    load.add_argument("kind", choices=sorted(KINDS), help="what the files hold (one kind per command)")
    load.add_argument("files", nargs="+", type=Path, help="the files to load, in order")
    load.add_argument("--format", choices=["csv", "xlsx", "jsonl"], help="instead of guessing from the extension")
    load.add_argument("--strict", action="store_true", help="load nothing unless every row is valid")
    load.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    load.add_argument("--json", action="store_true", help="print the report as JSON")
    load.add_argument("--batch-size", type=int, default=5000, help="rows per transaction (default: 5000)")
    load.add_argument("--bulk", action="store_true",
                      help="first load into an EMPTY local Neo4j: validate every file, then import them through "
                      "neo4j-admin database import (stops and restarts the server); several kinds in one command: "
                      "KIND FILE… KIND FILE…")
    load.add_argument("--neo4j-home", type=Path, help="with --bulk: the local Neo4j's home (default: "
                      "$ALLIANCE_NEO4J_HOME)")
    load.add_argument("--processes", type=int, default=1, help="with --bulk: processes validating each file "
                      "(default 1; the result is the same with more)")
    imports = sub.add_parser("imports", help="list the files loaded (alliance load, POST /import), newest first")
    imports.add_argument("--first", type=int, default=50, help="how many (default: 50)")
    imports.add_argument("--after", help="the cursor printed after a page, for the next one")
    imports.add_argument("--json", action="store_true", help="print the records as JSON")
    template = sub.add_parser("template", help="write a file with the expected columns and an example row that "
                              "loads next to the urumqi-etdz demo")
    template.add_argument("kind", choices=sorted(KINDS), help="which kind of file to write a template for")
    template.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="the file format (default: xlsx)")
    template.add_argument("--output", type=Path, help="where to write it (default: KIND.template.FORMAT here)")
    export = sub.add_parser("export", help="write list items, agreements, wishes, meetings or matters as XLSX under "
                            "the templates' headers: edit it and `alliance load KIND` it back")
    export.add_argument("kind", choices=EXPORTS, help="what to export (items come with their claim state)")
    export.add_argument("--region", metavar="ID", help="only what lies within this region (default: everything)")
    export.add_argument("--role", choices=[r.value for r in Role], default=Role.IMPORTER.value,
                        help="whose view to write: admin includes personal data (signatories, wish recipients, "
                        "persons responsible); every other role gets it masked, in columns a load leaves alone "
                        "(default: importer)")
    export.add_argument("--out", type=Path, metavar="FILE.xlsx",
                        help="where to write it (default: alliance-KIND[-REGION].xlsx here)")


def _progress(started: float) -> Any:
    def show(report: FileReport) -> None:
        rate = report.rows / max(time.perf_counter() - started, 1e-9)
        print(f"\r{report.file}: {report.rows:,} rows, {report.rejected:,} rejected, {rate:,.0f} rows/s",
              end="", file=sys.stderr, flush=True)

    return show


def bulk_groups(kind: str, files: list[Path]) -> list[tuple[str, list[Path]]]:
    """`KIND FILE… KIND FILE…`: a word that names a kind starts the next kind's files."""
    groups: list[tuple[str, list[Path]]] = [(kind, [])]
    for f in files:
        if str(f) in KINDS:
            groups.append((str(f), []))
        else:
            groups[-1][1].append(f)
    empty = [k for k, paths in groups if not paths]
    if empty:
        raise SystemExit(f"--bulk: no file given for {', '.join(empty)}")
    return groups


async def _bulk(args: argparse.Namespace) -> int:
    import os

    from loaders.bulk import BulkRefused, bulk_load

    home = args.neo4j_home or (Path(os.environ["ALLIANCE_NEO4J_HOME"]) if os.environ.get("ALLIANCE_NEO4J_HOME")
                               else None)
    options = Options(format=args.format, strict=args.strict, dry_run=args.dry_run, batch_size=args.batch_size)
    try:
        result = await bulk_load(bulk_groups(args.kind, args.files), options, home, processes=args.processes)
    except BulkRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"files": [r.as_dict() for r in result.reports], "failed": result.failed,
                          "bulk": {"nodes": result.nodes, "relationships": result.relationships,
                                   "seconds": result.seconds}}, ensure_ascii=False, indent=2))
    else:
        for r in result.reports:
            print(r.summary())
        for f in result.failed:
            print(f"{f['file']}: not loaded — {f['error']}")
        print(result.summary())
    if result.failed:
        return 2
    return 1 if any(r.rejected or (not r.loaded and not r.dry_run) for r in result.reports) else 0


async def _load(args: argparse.Namespace) -> int:
    if args.bulk:
        return await _bulk(args)
    from service.graph import open_store
    from service.settings import Settings

    store = open_store(Settings())
    reports: list[FileReport] = []
    failed: list[dict[str, str]] = []
    try:
        await store.migrate()
        for path in args.files:
            started = time.perf_counter()
            options = Options(format=args.format, strict=args.strict, dry_run=args.dry_run,
                              batch_size=args.batch_size, progress=_progress(started) if sys.stderr.isatty() else None)
            import_id = new_import_id(now())
            async with audit.recorded(store, audit.cli_actor(), f"import:{args.kind}", [import_id]) as entry:
                try:
                    report = await load_file(store, args.kind, path, options)
                    reports.append(report)
                    await record_import(store, path=path, name=path.name, kind=args.kind, key_id=CLI_KEY,
                                        report=report, fmt=args.format, rejects_file=report.rejects_file,
                                        import_id=import_id)
                except FileRejected as exc:
                    failed.append({"file": str(path), "error": str(exc)})
                    entry.outcome = exc.code.value  # the record commits with the Import node saying why
                    await record_import(store, path=path, name=path.name, kind=args.kind, key_id=CLI_KEY,
                                        error=str(exc), fmt=args.format, import_id=import_id)
            if options.progress:
                print(file=sys.stderr)
    finally:
        await store.close()
    if args.json:
        print(json.dumps({"files": [r.as_dict() for r in reports], "failed": failed}, ensure_ascii=False, indent=2))
    else:
        for r in reports:
            print(r.summary())
        for f in failed:
            print(f"{f['file']}: not loaded — {f['error']}")
    if failed:
        return 2
    return 1 if any(r.rejected or (not r.loaded and not r.dry_run) for r in reports) else 0


def write_template(kind: str, fmt: str, output: Path) -> Path:
    spec = KINDS[kind]
    headers = [c.headers[0] for c in spec.columns]
    example = example_row(kind, (c.field for c in spec.columns))
    if fmt == "csv":
        with output.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            writer.writerow(example)
        return output
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = kind
    ws.append(headers)
    ws.append(example)
    wb.save(output)
    return output


async def _export(args: argparse.Namespace) -> int:
    from service.errors import NotFound
    from service.graph import open_store
    from service.model import Label
    from service.settings import Settings

    store = open_store(Settings())
    try:
        await store.migrate()
        async with audit.recorded(store, audit.cli_actor(), f"export:{args.kind}", [args.region]):
            if args.region is not None and await store.get_node(args.region, Label.REGION) is None:
                raise NotFound(f"no region {args.region!r}")
            sheet = await export(store, args.kind, args.region, Role(args.role) is Role.ADMIN)
    finally:
        await store.close()
    out: Path = args.out or Path("-".join(filter(None, ["alliance", args.kind, args.region])) + ".xlsx")
    out.write_bytes(workbook(sheet, region_id=args.region, role=args.role))
    masked = f"; masked: {', '.join(sheet.masked)}" if sheet.masked else ""
    print(f"wrote {out}: {len(sheet.rows):,} {args.kind}{masked}")
    return 0


async def _imports(args: argparse.Namespace) -> int:
    from service.graph import open_store
    from service.settings import Settings

    store = open_store(Settings())
    try:
        await store.migrate()
        page = await list_imports(store, args.first, args.after)
    finally:
        await store.close()
    if args.json:
        print(json.dumps({"imports": [{"id": n.id, **n.props} for n in page.items], "next": page.end_cursor
                          if page.has_next else None}, ensure_ascii=False, indent=2))
        return 0
    if not page.items:
        print("no imports recorded yet")
    for node in page.items:
        print(describe(node))
    if page.has_next:
        print(f"… more: alliance imports --after {page.end_cursor}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "export":
        return asyncio.run(_export(args))
    if args.command == "imports":
        return asyncio.run(_imports(args))
    if args.command == "template":
        out = write_template(args.kind, args.format, args.output or Path(f"{args.kind}.template.{args.format}"))
        print(f"wrote {out}")
        if args.kind in REQUIRES:
            first = " and ".join(REQUIRES[args.kind])
            print(f"its example row names what the {first} template's example row adds: load that one first")
        return 0
    if args.batch_size < 1:
        raise SystemExit(f"--batch-size {args.batch_size}: must be 1 or more")
    return asyncio.run(_load(args))
