"""Service centres: upsert them with their region, offers and the organisation running them."""

from __future__ import annotations

import strawberry

from service import rules
from service.api.service_centres.types import ServiceCentreInput
from service.api.shared.nodes import Info
from service.api.shared.writes import UpsertPayload, check_batch, linked, upsert_placed
from service.graph.types import RelGroup, RelRow
from service.model import Label, RelType


def _offers(offers: list[str] | None) -> list[str] | None:
    if offers is None:
        return None
    clean = [o.strip() for o in offers if o.strip()]
    return list(dict.fromkeys(clean))  # first spelling kept, repeats dropped


@strawberry.type
class ServiceCentreMutation:
    @strawberry.mutation(description="Create or update service centres with the region each is IN, what it offers "
                                     "(given offers replace the old list) and who runs it. Idempotent on the ids.")
    async def upsert_service_centres(self, info: Info, rows: list[ServiceCentreInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertServiceCentres")
        check_batch(rows, "upsertServiceCentres")
        await linked(info, (str(r.region_id) for r in rows), Label.REGION, "region")
        await linked(info, (str(r.run_by_id) for r in rows if r.run_by_id is not None), Label.ORGANISATION,
                      "organisation")
        for r in rows:
            rules.centre_area(str(r.id), r.area_m2)
        data: list[dict[str, object]] = [
            {k: v for k, v in {"id": str(r.id), "name": r.name, "offers": _offers(r.offers),
                               "areaM2": r.area_m2}.items() if v is not None} for r in rows]
        groups = [RelGroup(RelType.IN, Label.SERVICE_CENTRE, Label.REGION,
                           [RelRow(str(r.id), str(r.region_id)) for r in rows])]
        run = [RelRow(str(r.id), str(r.run_by_id)) for r in rows if r.run_by_id is not None]
        if run:
            groups.append(RelGroup(RelType.RUN_BY, Label.SERVICE_CENTRE, Label.ORGANISATION, run))
        return await upsert_placed(info, Label.SERVICE_CENTRE, data, groups, "service centres")
