"""`POST /import/{kind}`: the loaders over HTTP for the importer and admin roles (a region-scoped key's
rows outside its region are rejected rows).

The upload is streamed to a temporary file (never held whole in memory), loaded exactly as
`alliance load` would, and answered with the same report as JSON (rejects listed in it)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile

from loaders.engine import Options, load_file
from loaders.kinds import KINDS
from service.deps import ImporterDep, StoreDep
from service.errors import NotFound


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
        file: Annotated[UploadFile, File(description="CSV, XLSX or JSON lines")],
        format: Annotated[str | None, Query(pattern="^(csv|xlsx|jsonl)$")] = None,
        strict: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise NotFound(f"no kind {kind!r}; one of {', '.join(KINDS)}")
        name = upload_name(file.filename, format)
        with tempfile.TemporaryDirectory(prefix="alliance-import-") as tmp:
            path = Path(tmp) / name
            with path.open("wb") as sink:
                shutil.copyfileobj(file.file, sink, 1 << 20)
            # a file that cannot be read as the kind raises FILE_REJECTED (422) through the app's handler
            report = await load_file(store, kind, path, Options(format=format, strict=strict, dry_run=dry_run,
                                                                 rejects_dir=Path(tmp), display_name=name,
                                                                 region_id=importer.region_id))
        body = report.as_dict()
        body["rejects_file"] = None  # it lived in the temporary directory; the rejects are listed instead
        return body

    return router
