"""Analysis runs started from the API (`runAnalysis`): a full refresh of one scope's metrics in the
background, followed by polling (`analysisRun(id)`).

One registry per app (made by the app factory, held in memory by the process): each run is a task on
the service's event loop whose store reads and writes are async and whose computation (networkx, the
expensive part) runs in a worker thread, so requests keep being answered meanwhile. At most one run per
scope is queued or running: asking again for that scope returns the run already under way. Runs of
different scopes wait their turn (QUEUED) behind one another: the machine's cores serve requests too.
The results are written through writeback like `alliance analyze`'s; a finished run is kept (the last
`keep`) so that its outcome can still be read after it ends.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from service import audit
from service.analytics import metrics
from service.analytics.analysis import ALL_METRICS, analyze
from service.analytics.projection import Scope
from service.errors import AllianceError
from service.graph import deadline
from service.graph.port import GraphStore

log = logging.getLogger("alliance")

LOAD, WRITE = "load", "write"
# the steps a run reports, in order: the projection, each metric, the writeback
STEPS: tuple[str, ...] = (LOAD, *(m.value for m in ALL_METRICS), WRITE)
QUEUED_STEP, DONE_STEP = "queued", "done"


class RunState(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class AnalysisRun:
    """One run's state as the API shows it. Written by its task (and, for progress, by the worker
    thread computing the metrics: single attribute stores, read whole by the API)."""

    id: str
    scope: Scope
    requested_at: str
    state: RunState = RunState.QUEUED
    step: str = QUEUED_STEP
    progress: float = 0.0
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    units: int | None = None  # units analysed, once known
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def active(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)

    def advance(self, step: str, done: int, total: int) -> None:
        """analysis.Progress: the share of the steps done, the current one counted by its own share."""
        index = STEPS.index(step) if step in STEPS else 0
        within = done / total if total else 1.0
        self.step = step
        self.progress = max(self.progress, min(1.0, (index + within) / len(STEPS)))


class AnalysisRuns:
    """The runs of one service process, by id; `start` is synchronous, so two requests for one scope
    arriving together cannot both start a run."""

    def __init__(self, keep: int = 100, options: metrics.Options | None = None) -> None:
        self._runs: OrderedDict[str, AnalysisRun] = OrderedDict()
        self._keep = keep
        self._options = options  # the engine the settings name (ALLIANCE_ANALYTICS_ENGINE)
        self._turn: asyncio.Lock | None = None  # made on the loop, by the first run

    def start(self, store: GraphStore, scope: Scope, actor: audit.Actor | None = None) -> tuple[AnalysisRun, bool]:
        """The scope's active run if there is one (and False), or a new run queued now (and True); the run is
        audited as `analysis.run` in the name of `actor` (the key that asked)."""
        for run in self._runs.values():
            if run.active and run.scope == scope:
                return run, False
        run = AnalysisRun(id=uuid.uuid4().hex[:16], scope=scope, requested_at=_now())
        self._runs[run.id] = run
        self._forget_finished()
        run.task = asyncio.get_running_loop().create_task(
            self._run(run, store, actor or audit.Actor("service", "analyst")), name=f"analysis {run.id}")
        return run, True

    def get(self, run_id: str) -> AnalysisRun | None:
        return self._runs.get(run_id)

    def runs(self) -> list[AnalysisRun]:
        """Every kept run, the newest first."""
        return list(reversed(self._runs.values()))

    async def _run(self, run: AnalysisRun, store: GraphStore, actor: audit.Actor) -> None:
        if self._turn is None:
            self._turn = asyncio.Lock()
        try:
            async with self._turn:
                run.state, run.started_at = RunState.RUNNING, _now()
                run.advance(LOAD, 0, 1)
                # the task inherited the request's wall-clock budget: a background run has none
                with deadline.within(None):
                    async with audit.recorded(store, actor, "analysis.run",
                                              [run.id, run.scope.region_id, run.scope.alliance_id]):
                        result = await analyze(store, run.scope, options=self._options, progress=run.advance)
                run.units = result.network.graph.number_of_nodes()
                run.step, run.progress, run.state = DONE_STEP, 1.0, RunState.DONE
        except asyncio.CancelledError:
            run.state, run.error = RunState.FAILED, "the service stopped before the analysis finished"
            raise
        except AllianceError as exc:  # the store went away, a scope that vanished: said as the API says it
            run.state, run.error = RunState.FAILED, f"{exc.code.value}: {exc}"
        except Exception as exc:  # the message may hold data: logged under a reference, like the API's errors
            reference = uuid.uuid4().hex[:12]
            log.error("analysis run %s failed, reference %s: %s", run.id, reference, type(exc).__name__)
            log.debug("analysis run %s", reference, exc_info=exc)
            run.state = RunState.FAILED
            run.error = f"INTERNAL: internal error (reference {reference}); the service log has the details"
        finally:
            run.finished_at = _now()
            run.task = None

    def _forget_finished(self) -> None:
        finished = [run_id for run_id, run in self._runs.items() if not run.active]
        for run_id in finished[: max(0, len(self._runs) - self._keep)]:
            del self._runs[run_id]

    async def close(self) -> None:
        """Cancels the runs still going (the app is stopping, its store is about to close)."""
        tasks = [run.task for run in self._runs.values() if run.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
