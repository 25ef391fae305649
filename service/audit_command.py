"""`alliance audit [--from --to --key --entity --operation] [--format jsonl|xlsx] [--out FILE]` exports the audit
trail (service/audit.py) of the store the settings name, newest first; `alliance audit prune [--days N]` deletes
the records older than the retention period (ALLIANCE_AUDIT_RETENTION_DAYS): the trail's only deletion, recorded
itself. Both are audited as done from the command line by the OS user."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from io import BytesIO
from pathlib import Path
from typing import Any

from service import audit
from service.graph.port import GraphStore
from service.settings import Settings

COLUMNS = ("id", "at", "keyId", "role", "regionId", "operation", "ids", "outcome")


def add_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="export the audit trail (JSON lines or XLSX), or prune it past its retention")
    p.add_argument("action", nargs="?", choices=["prune"],
                   help="prune: delete the records older than --days (default ALLIANCE_AUDIT_RETENTION_DAYS)")
    p.add_argument("--from", dest="since", metavar="DATE", help="from this ISO date or date-time (inclusive, UTC)")
    p.add_argument("--to", dest="until", metavar="DATE", help="to this ISO date (its whole day) or date-time")
    p.add_argument("--key", metavar="ID", help="only this key's records (ak-…, key-…, cli:<user>)")
    p.add_argument("--entity", metavar="ID", help="only the records that touched this id")
    p.add_argument("--operation", metavar="NAME", help="only this operation (claimItem, import:items, keys.create …)")
    p.add_argument("--format", choices=["jsonl", "xlsx"], default="jsonl", help="jsonl (default) or xlsx")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout for jsonl; "
                                                            "alliance-audit.xlsx for xlsx)")
    p.add_argument("--days", type=int, metavar="N", help="prune: the retention in days")


async def records(store: GraphStore, query: audit.AuditQuery) -> AsyncIterator[dict[str, Any]]:
    """Every record the query selects, newest first, a store page at a time."""
    after = None
    while True:
        page = await store.audit_log(audit.AuditQuery(query.since, query.until, query.key_id, query.entity_id,
                                                      query.operation, audit.MAX_FIRST, after))
        for node in page.items:
            yield {c: node.props.get(c) for c in COLUMNS}
        if not page.has_next:
            return
        after = page.end_cursor


def workbook(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "audit"
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append([" ".join(v) if isinstance(v, list) else v for v in row.values()])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.graph import open_store

    store = open_store(settings)
    try:
        await store.migrate()
        if args.action == "prune":
            days = args.days or settings.audit_retention_days
            if days is None:
                print("error: no retention set: --days N or ALLIANCE_AUDIT_RETENTION_DAYS", file=sys.stderr)
                return 2
            deleted = await audit.prune(store, days, audit.cli_actor())
            print(f"deleted {deleted:,} audit records older than {days} days", file=sys.stderr)
            return 0
        query = audit.checked(audit.AuditQuery(args.since, args.until, args.key, args.entity, args.operation))
        async with audit.recorded(store, audit.cli_actor(), "audit.export", [args.entity]):
            rows = [row async for row in records(store, query)]
    finally:
        await store.close()
    if args.format == "xlsx":
        out = args.out or Path("alliance-audit.xlsx")
        out.write_bytes(workbook(rows))
    else:
        text = "".join(json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False) + "\n"
                       for r in rows)
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
    print(f"exported {len(rows):,} audit records" + (f" to {args.out or out}" if args.format == "xlsx" or args.out
                                                     else ""), file=sys.stderr)
    return 0
