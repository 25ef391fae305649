"""`POST /import/{kind}`: the loaders over HTTP for the importer and admin roles.

The upload is streamed to a temporary file (never held whole in memory), loaded exactly as
`alliance load` would, and answered with the same report as JSON (rejects listed in it)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile

from loaders.engine import Options, load_file
from loaders.errors import FileRejected
from loaders.kinds import KINDS
from service.api.permissions import KeyRing
from service.errors import Forbidden
from service.settings import Settings


def import_router(settings: Settings) -> APIRouter:
    keys = KeyRing.parse(settings.api_keys)
    router = APIRouter(tags=["import"])

    def importer(request: Request) -> None:
        caller = keys.authenticate(request.headers.get("authorization"))
        caller.require_writer("importing files")  # Forbidden → 403 through the app's error handler
        if caller.region_id is not None:
            # a file's rows are not checked row by row against a region, so a scoped key could
            # write outside its subtree: imports need a key without a region scope
            raise Forbidden(f"importing files needs a key without a region scope; this key is limited to "
                            f"region {caller.region_id!r}")

    @router.post("/import/{kind}", dependencies=[Depends(importer)])
    async def import_file(
        kind: str,
        request: Request,
        file: Annotated[UploadFile, File(description="CSV, XLSX or JSON lines")],
        format: Annotated[str | None, Query(pattern="^(csv|xlsx|jsonl)$")] = None,
        strict: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        from service.app import get_gate, get_store

        if kind not in KINDS:
            message = f"no kind {kind!r}; one of {', '.join(KINDS)}"
            raise HTTPException(404, detail={"code": "NOT_FOUND", "message": message})
        store = await get_store(get_gate(request))
        name = Path(file.filename or f"upload.{format or 'csv'}").name
        with tempfile.TemporaryDirectory(prefix="alliance-import-") as tmp:
            path = Path(tmp) / name
            with path.open("wb") as sink:
                shutil.copyfileobj(file.file, sink, 1 << 20)
            try:
                report = await load_file(store, kind, path, Options(format=format, strict=strict, dry_run=dry_run,
                                                                     rejects_dir=Path(tmp), display_name=name))
            except FileRejected as exc:
                raise HTTPException(422, detail={"code": exc.code, "message": str(exc)}) from exc
        body = report.as_dict()
        body["rejects_file"] = None  # it lived in the temporary directory; the rejects are listed instead
        return body

    return router
