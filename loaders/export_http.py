"""`GET /export/xlsx/{kind}`: list items, agreements, wishes, meetings or matters as an XLSX file under the
loader templates' headers (loaders/export.py), for any key: personal values masked for every role but admin,
a region-scoped key limited to its region (`regionId` picks a region within it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from loaders.export import EXPORTS, export, workbook
from service import audit
from service.analytics.http import content_disposition, scoped
from service.deps import CallerDep, StoreDep
from service.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_export_router() -> APIRouter:
    router = APIRouter(tags=["export"])

    @router.get("/export/xlsx/{kind}")
    async def export_xlsx(
        kind: str,
        caller: CallerDep,  # before the store: a request without a key is refused (401) without asking it
        store: StoreDep,
        region_id: Annotated[str | None, Query(alias="regionId")] = None,
    ) -> Response:
        if kind not in EXPORTS:
            raise NotFound(f"no XLSX export {kind!r}; one of {', '.join(EXPORTS)}")
        async with audit.recorded(store, audit.actor_of(caller), f"export:{kind}", [region_id]):
            region = await scoped(store, caller, region_id)
            sheet = await export(store, kind, region, caller.sees_personal_data)
        body = workbook(sheet, region_id=region, role=caller.role.value)
        filename = "-".join(filter(None, ["alliance", kind, region])) + ".xlsx"
        return Response(body, media_type=XLSX, headers={"Content-Disposition": content_disposition(filename)})

    return router
