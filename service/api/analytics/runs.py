"""Analysis runs over GraphQL: `runAnalysis(regionId)` starts a refresh of every metric of a region
(or of the whole graph) in the background; `analysisRun(id)` and `analysisRuns(regionId)` follow it.

Starting needs the analyst or admin role, and a region-scoped key may only analyse inside its region
(its own region when `regionId` is left out). A second request for a scope whose run is queued or
running starts nothing: it answers that run (the same id). Anyone may read the runs of a region they
can read. The answers to these queries are never served from the response cache (they change without
a write; service/api/response_cache.py LIVE_FIELDS)."""

from __future__ import annotations

from enum import Enum

import strawberry

from service.analytics import runs
from service.analytics.projection import Scope
from service.api.shared.nodes import Info
from service.auth import region_within
from service.errors import Forbidden, NotFound
from service.model import Label


@strawberry.enum(description="Where an analysis run is: waiting its turn, computing, finished, or stopped by an error.")
class AnalysisRunState(Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


@strawberry.type(description="A refresh of the analytics of one scope, started by runAnalysis.")
class AnalysisRun:
    id: strawberry.ID
    scope: str = strawberry.field(description="What is analysed: '' the whole graph, 'region:<id>' a region.")
    region_id: strawberry.ID | None = strawberry.field(description="The analysed region; null for the whole graph.")
    state: AnalysisRunState
    step: str = strawberry.field(description=f"The current step: {runs.QUEUED_STEP}, "
                                             f"{', '.join(runs.STEPS)}, then {runs.DONE_STEP}.")
    progress: float = strawberry.field(description="The share done, 0 to 1, by steps.")
    requested_at: str
    started_at: str | None
    finished_at: str | None
    error: str | None = strawberry.field(description="Why a FAILED run stopped: 'CODE: reason'.")
    units: int | None = strawberry.field(description="Units (organisations and enterprises) analysed, once known.")


def shown(run: runs.AnalysisRun) -> AnalysisRun:
    region = run.scope.region_id
    return AnalysisRun(
        id=strawberry.ID(run.id), scope=run.scope.key, region_id=None if region is None else strawberry.ID(region),
        state=AnalysisRunState(run.state.value), step=run.step, progress=round(run.progress, 4),
        requested_at=run.requested_at, started_at=run.started_at, finished_at=run.finished_at, error=run.error,
        units=run.units,
    )


async def analysed_scope(info: Info, region_id: strawberry.ID | None) -> Scope:
    """The region a caller may act on: the asked one, which must exist and lie within the key's region;
    the key's own region (or the whole graph for an unscoped key) when none is asked."""
    ctx = info.context
    if region_id is None:
        return Scope(ctx.region_id)
    region = str(region_id)
    if await ctx.store.get_node(region, Label.REGION) is None:
        raise NotFound(f"no region {region!r}")
    if ctx.region_id is not None and region != ctx.region_id and not await region_within(
            ctx.store, region, ctx.region_id):
        raise Forbidden(f"region {region!r} is outside your key's region {ctx.region_id!r}")
    return Scope(region)


async def _readable(info: Info, run: runs.AnalysisRun) -> bool:
    scope, region = info.context.region_id, run.scope.region_id
    if scope is None or region == scope:
        return True
    return region is not None and await region_within(info.context.store, region, scope)


@strawberry.type
class AnalysisRunQuery:
    @strawberry.field(description="An analysis run by id (runAnalysis's answer); null when it is unknown to this "
                                  "service process (runs are kept in memory, the last 100) or outside your region.")
    async def analysis_run(self, info: Info, id: strawberry.ID) -> AnalysisRun | None:
        run = info.context.runs.get(str(id))
        return shown(run) if run is not None and await _readable(info, run) else None

    @strawberry.field(description="The runs of a region (the whole graph when regionId is left out; your key's "
                                  "region for a scoped key), newest first.")
    async def analysis_runs(self, info: Info, region_id: strawberry.ID | None = None) -> list[AnalysisRun]:
        scope = await analysed_scope(info, region_id)
        return [shown(run) for run in info.context.runs.runs() if run.scope == scope]
