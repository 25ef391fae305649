"""`POST /import/{kind}`: the loaders over HTTP for the importer and admin roles (a region-scoped key's
rows outside its region are rejected rows).

The upload is streamed to a temporary file (never held whole in memory), loaded exactly as
`alliance load` would, and answered with the same report as JSON (rejects listed in it), its `import_id` in the
import history (loaders/history.py) and, when rows were rejected, where the key that uploaded it downloads the
rejects file: `GET /import/{import_id}/rejects` (404 without one, 403 for any other key)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse

from loaders.engine import Options, load_file
from loaders.errors import FileRejected
from loaders.history import new_import_id, now, record_import
from loaders.kinds import KINDS
from service import audit
from service.deps import ImporterDep, SettingsDep, StoreDep
from service.errors import Forbidden, NotFound
from service.model import Label
from service.request_record import note_loaded


def rejects_kept(data_dir: Path, import_id: str) -> Path:
    """Where an HTTP import's rejects file is kept: under the data directory, named by the import's id (never
    by the uploaded name, which the caller chose)."""
    return data_dir / "imports" / f"{import_id}.rejects.csv"


def upload_name(filename: str | None, format: str | None) -> str:
    """The upload's own file name when it is a plain one, else `upload` with its extension (which
    tells the format): `..`, `/`, a NUL or 300 characters must not become a path in the temporary folder."""
    name = Path(filename or "").name
    if name not in ("", ".", "..") and "\x00" not in name and len(name.encode()) <= 200:
        return name
    suffix = Path(name.replace("\x00", "")).suffix.lower()
    if format:
        return f"upload.{format}"
    return "upload" + (suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".csv")


def import_router() -> APIRouter:
    router = APIRouter(tags=["import"])

    @router.post("/import/{kind}")
    async def import_file(
        kind: str,
        importer: ImporterDep,  # before the store: other keys are refused (401, 403) without asking it
        store: StoreDep,
        settings: SettingsDep,
        file: Annotated[UploadFile, File(description="CSV, XLSX or JSON lines")],
        format: Annotated[str | None, Query(pattern="^(csv|xlsx|jsonl)$")] = None,
        strict: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise NotFound(f"no kind {kind!r}; one of {', '.join(KINDS)}")
        name = upload_name(file.filename, format)
        at = now()
        import_id = new_import_id(at)
        key = importer.key_id or "unknown"
        async with audit.recorded(store, audit.actor_of(importer), f"import:{kind}", [import_id]) as entry:
            with tempfile.TemporaryDirectory(prefix="alliance-import-") as tmp:
                path = Path(tmp) / name
                with path.open("wb") as sink:
                    shutil.copyfileobj(file.file, sink, 1 << 20)
                try:
                    report = await load_file(store, kind, path, Options(format=format, strict=strict, dry_run=dry_run,
                                                                         rejects_dir=Path(tmp), display_name=name,
                                                                         region_id=importer.region_id, key_id=key))
                except FileRejected as exc:
                    # refused whole (FILE_REJECTED, 422, through the app's handler), and recorded as refused
                    entry.outcome = exc.code.value  # in the audit record that commits with the Import node
                    await record_import(store, path=path, name=name, kind=kind, key_id=key, error=str(exc), fmt=format,
                                        at=at, import_id=import_id)
                    raise
                kept = None
                if report.rejects_file:  # kept for the key that uploaded the file (GET /import/{id}/rejects)
                    kept = rejects_kept(settings.data_dir, import_id)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(report.rejects_file, kept)
                await record_import(store, path=path, name=name, kind=kind, key_id=key, report=report, fmt=format,
                                    at=at, import_id=import_id, rejects_file=kept.name if kept else None)
        if not dry_run:  # the rows by outcome, for /metrics (service/request_record.py)
            note_loaded(kind, {o: getattr(report, o) for o in ("created", "updated", "unchanged", "rejected")})
        body = report.as_dict()
        body["import_id"] = import_id
        body["rejects_file"] = f"/import/{import_id}/rejects" if kept else None  # download it with the same key
        return body

    @router.get("/import/{import_id}/rejects")
    async def import_rejects(import_id: str, importer: ImporterDep, store: StoreDep,
                             settings: SettingsDep) -> FileResponse:
        """The rejects file of an HTTP import, for the key that uploaded the file only."""
        found = await store.get_node(import_id, Label.IMPORT)
        if found is None or not found.get("rejectsFile"):
            raise NotFound(f"no rejects file for import {import_id!r}")
        if found.get("keyId") != importer.key_id:
            raise Forbidden(f"import {import_id!r} was made with another key; only that key may download its rejects")
        kept = rejects_kept(settings.data_dir, import_id)
        if not kept.is_file():
            raise NotFound(f"the rejects file of import {import_id!r} is no longer kept")
        stem = Path(str(found.get("file"))).stem
        return FileResponse(kept, media_type="text/csv; charset=utf-8", filename=f"{stem}.rejects.csv")

    return router
