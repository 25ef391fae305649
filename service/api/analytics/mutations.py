"""runAnalysis: a refresh of a region's analytics, started in the background (service/analytics/runs.py)."""

from __future__ import annotations

import strawberry

from service import audit
from service.api.analytics.runs import AnalysisRun, analysed_scope, shown
from service.api.shared.nodes import Info
from service.roles import ANALYSTS


@strawberry.type
class AnalyticsMutation:
    @strawberry.mutation(description="Start a refresh of every metric (centrality, communities, brokers) of a region, "
                                     "or of the whole graph when regionId is left out, in the background; follow it "
                                     "with analysisRun(id). While that scope's run is queued or running, it is "
                                     "answered instead of starting another. Analyst or admin role.")
    async def run_analysis(self, info: Info, region_id: strawberry.ID | None = None) -> AnalysisRun:
        ctx = info.context
        ctx.caller.require_role(ANALYSTS, "runAnalysis")
        run, _ = ctx.runs.start(ctx.base_store, await analysed_scope(info, region_id), audit.actor_of(ctx.caller))
        audit.touch(run.id)
        return shown(run)

