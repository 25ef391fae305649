"""The import history: every file loaded (`alliance load`, POST /import) leaves an Import node in the graph — the
file's name and sha256, the key that loaded it (a fingerprint, service/auth.py `key_id`; "cli" from the command
line), when, and what the load did — listed by `alliance imports` and the GraphQL `imports` query.

An HTTP import's rejects file is kept under the data directory (`imports/<import id>.rejects.csv`) and served to
the key that uploaded it (loaders/http.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import Any

from loaders.report import FileReport
from service.graph.port import GraphStore
from service.graph.types import Node, Page, Query
from service.model import Label

CLI_KEY = "cli"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def new_import_id(at: dt.datetime) -> str:
    """Ordered by time when read as text, unique without asking the store."""
    return f"IMP-{at.strftime('%Y%m%d%H%M%S%f')}-{uuid.uuid4().hex[:6]}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # to the microsecond: two files loaded in one second keep their order


async def record_import(store: GraphStore, *, path: Path, name: str, kind: str, key_id: str,
                        report: FileReport | None = None, error: str | None = None, fmt: str | None = None,
                        at: dt.datetime | None = None, import_id: str | None = None,
                        rejects_file: str | None = None) -> dict[str, Any]:
    """Write one file's Import node: its report's counts, or the error that refused the whole file."""
    at = at or now()
    row: dict[str, Any] = {
        "id": import_id or new_import_id(at), "file": name, "sha256": sha256_of(path) if path.is_file() else "",
        "kind": kind, "keyId": key_id, "at": at.isoformat().replace("+00:00", "Z"), "format": fmt,
        "written": False, "rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0,
        "rejectsFile": rejects_file, "error": error,
    }
    if report is not None:
        row.update({"written": report.loaded, "strict": report.strict, "dryRun": report.dry_run, "rows": report.rows,
                    "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                    "rejected": report.rejected})
    row = {k: v for k, v in row.items() if v is not None}
    await store.upsert_nodes(Label.IMPORT, [row])
    return row


async def list_imports(store: GraphStore, first: int = 50, after: str | None = None) -> Page[Node]:
    """Newest first."""
    return await store.list_nodes(Query(Label.IMPORT, order_by="at", descending=True, first=first, after=after))


def describe(node: Node) -> str:
    """One line of `alliance imports`."""
    p = node.props
    what = ("refused: " + str(p["error"])) if p.get("error") else (
        f"{p.get('rows', 0)} rows: created {p.get('created', 0)}, updated {p.get('updated', 0)}, "
        f"unchanged {p.get('unchanged', 0)}, rejected {p.get('rejected', 0)}"
        + ("" if p.get("written") else " — nothing was written" + (" (dry run)" if p.get("dryRun") else "")))
    return f"{p.get('at')}  {node.id}  {p.get('kind')}  {p.get('file')}  sha256 {str(p.get('sha256'))[:12]}  " \
           f"by {p.get('keyId')}  {what}"
