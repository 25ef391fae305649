# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""runAnalysis and the runs it starts (both stores): progress to DONE with the results visible, one run
per scope, roles and region scope; and `alliance demo` analysing what it loads (unless --no-analyze)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from service.analytics import runs, writeback
from service.analytics.analysis import analyze
from service.analytics.projection import Scope
from service.api.response_cache import is_query
from service.audit import AuditQuery
from service.cli import main
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.graph.types import Condition, Op, Query
from service.model import Label
from tests.analytics.conftest import ApiFactory
from tests.analytics.test_cli import cli_env  # the CLI pointed at the test's store
from tests.api.conftest import API_KEYS, Api
from tests.contract import small_graph
from tests.contract.small_graph import DISTRICT, STREET_A, STREET_B

RUN = "id scope regionId state step progress requestedAt startedAt finishedAt error units"
START = "mutation($r: ID) { runAnalysis(regionId: $r) { %s } }" % RUN
FOLLOW = "query($id: ID!) { analysisRun(id: $id) { %s } }" % RUN
UNIT = "unit { ... on Organisation { id } ... on Enterprise { id } }"
STREET_ANALYST = "k-street-analyst"

__all__ = ["cli_env"]


async def _until_finished(api: Api, run_id: str, role: str = "analyst", seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        run = (await api.gql(FOLLOW, {"id": run_id}, role=role))["analysisRun"]
        if run["state"] in ("DONE", "FAILED") or time.monotonic() > deadline:
            return dict(run)
        await asyncio.sleep(0.05)


def _hold_projection(api: Api) -> asyncio.Event:
    """Runs wait at their projection read until the event is set (the store is otherwise untouched)."""
    release = asyncio.Event()
    read = api.counter.inner.analytics_network

    async def held(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await read(*args, **kwargs)

    api.counter.analytics_network = held  # type: ignore[attr-defined]  # shadows the counted pass-through
    return release


async def test_run_reaches_done_and_the_results_are_read_afterwards(api: Api) -> None:
    assert (await api.gql("{ brokers { components } }"))["brokers"] == []  # never analysed
    started = (await api.gql(START, role="analyst"))["runAnalysis"]
    assert started["state"] in ("QUEUED", "RUNNING") and started["scope"] == "" and started["regionId"] is None
    assert 0 <= started["progress"] < 1 and started["finishedAt"] is None and started["error"] is None
    done = await _until_finished(api, started["id"])
    assert done["state"] == "DONE", done
    assert done["progress"] == 1.0 and done["step"] == runs.DONE_STEP and done["units"] == 8  # 6 tied, 2 alone
    assert done["requestedAt"] <= done["startedAt"] <= done["finishedAt"]
    brokers = (await api.gql("{ brokers { %s components splitSizes } }" % UNIT, role="viewer"))["brokers"]
    assert brokers == [{"unit": {"id": "ORG-A1"}, "components": 2, "splitSizes": [2, 1]}]
    top = (await api.gql("{ centrality(metric: BETWEENNESS, top: 1) { %s } }" % UNIT))["centrality"]
    assert top == [{"unit": {"id": "ORG-A1"}}]
    assert [r["id"] for r in (await api.gql("{ analysisRuns { id state } }", role="viewer"))["analysisRuns"]] == [
        started["id"]]
    # audited twice: the request, and the run (with the analyst's key, once its results are written)
    for operation in ("runAnalysis", "analysis.run"):
        [record] = (await api.counter.inner.audit_log(AuditQuery(operation=operation))).items
        assert started["id"] in record.props["ids"] and record.props["role"] == "analyst"
        assert record.props["outcome"] == "OK"


async def test_a_region_run_writes_that_region_s_scope(store: GraphStore, api: Api) -> None:
    started = (await api.gql(START, {"r": STREET_B}))["runAnalysis"]  # admin may too
    assert started["scope"] == f"region:{STREET_B}" and started["regionId"] == STREET_B
    assert (await _until_finished(api, started["id"], role="admin"))["state"] == "DONE"
    [b1, a1] = await store.get_nodes(["ORG-B1", "ORG-A1"])
    stored = writeback.Stored.of(b1)
    assert stored is not None and stored.scope == Scope(STREET_B)
    assert writeback.Stored.of(a1) is None  # outside the street: untouched


async def test_one_run_per_scope_at_a_time(api: Api) -> None:
    release = _hold_projection(api)
    first = (await api.gql(START, role="analyst"))["runAnalysis"]
    second, third = await asyncio.gather(api.gql(START, role="analyst"), api.gql(START))
    assert second["runAnalysis"]["id"] == third["runAnalysis"]["id"] == first["id"]
    running = (await api.gql(FOLLOW, {"id": first["id"]}))["analysisRun"]
    assert running["state"] == "RUNNING" and running["step"] == "load" and running["progress"] < 1
    # another scope gets a run of its own, which waits for its turn
    street = (await api.gql(START, {"r": STREET_A}, role="analyst"))["runAnalysis"]
    assert street["id"] != first["id"] and street["state"] == "QUEUED" and street["startedAt"] is None
    listed = (await api.gql("{ analysisRuns { id } }"))["analysisRuns"]
    assert [r["id"] for r in listed] == [first["id"]]  # the whole graph's runs: one
    release.set()
    assert (await _until_finished(api, first["id"]))["state"] == "DONE"
    assert (await _until_finished(api, street["id"]))["state"] == "DONE"
    again = (await api.gql(START, role="analyst"))["runAnalysis"]  # finished: a new request starts a new run
    assert again["id"] != first["id"]
    assert (await _until_finished(api, again["id"]))["state"] == "DONE"
    assert len((await api.gql("{ analysisRuns { id } }"))["analysisRuns"]) == 2


async def test_viewers_and_importers_are_refused(api: Api) -> None:
    for role in ("viewer", "importer", "street"):
        error = await api.error(START, role=role)
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert "runAnalysis needs the" in error["message"]
    assert (await api.gql("{ analysisRuns { id } }"))["analysisRuns"] == []  # nothing started


async def test_a_region_key_analyses_only_inside_its_region(api: Api, make_api: ApiFactory) -> None:
    scoped = await make_api(keys=f"{API_KEYS},{STREET_ANALYST}:analyst:{STREET_A}")
    key = {"Authorization": f"Bearer {STREET_ANALYST}"}

    async def ask(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = (await scoped.post(query, variables, role=None, headers=key)).json()
        return body

    for outside in (STREET_B, DISTRICT):  # a sibling, and the region enclosing the key's
        answer = await ask(START, {"r": outside})
        assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN", answer
        assert f"region {outside!r} is outside your key's region" in answer["errors"][0]["message"]
    answer = await ask(START, {"r": "NO-SUCH-REGION"})
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    own = (await ask(START))["data"]["runAnalysis"]  # no region: the key's own
    assert own["scope"] == f"region:{STREET_A}"
    assert (await _until_finished(scoped, own["id"], role="admin"))["state"] == "DONE"
    # a whole-graph run is not the street key's to read
    whole = (await scoped.gql(START))["runAnalysis"]
    assert (await ask(FOLLOW, {"id": whole["id"]}))["data"]["analysisRun"] is None
    assert (await ask(FOLLOW, {"id": own["id"]}))["data"]["analysisRun"]["state"] == "DONE"
    assert (await _until_finished(scoped, whole["id"], role="admin"))["state"] == "DONE"


async def test_progress_goes_through_every_step(store: GraphStore) -> None:
    await small_graph.build(store)
    run = runs.AnalysisRun(id="r", scope=Scope(), requested_at="")
    seen: list[tuple[str, float]] = []

    def record(step: str, done: int, total: int) -> None:
        run.advance(step, done, total)
        seen.append((run.step, run.progress))

    await analyze(store, progress=record)
    steps = [step for step, _ in seen]
    assert sorted(set(steps), key=steps.index) == list(runs.STEPS)  # projection, each metric, writeback
    shares = [share for _, share in seen]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1.0
    assert len(set(shares)) >= len(runs.STEPS)  # it moves at every step


def test_run_states_are_never_served_from_the_response_cache() -> None:
    assert not is_query('{ analysisRun(id: "x") { state } }', None)
    assert not is_query("query Q { me { role } ...F } fragment F on Query { r: analysisRuns { id } }", "Q")
    assert not is_query("{ ... on Query { analysisRuns { id } } }", None)
    assert is_query('{ brokers { components } me { role } }', None)


# alliance demo ----------------------------------------------------------------------------------


async def _analysed_units(store: GraphStore) -> int:
    total = 0
    for label in (Label.ORGANISATION, Label.ENTERPRISE):
        page = await store.list_nodes(Query(label, where=(Condition(writeback.DEGREE, Op.GTE, 0.0),), first=1000))
        total += len(page.items)
    return total


async def test_the_demo_load_computes_the_analytics(
    store: GraphStore, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await asyncio.to_thread(main, ["demo", "--profile", "conghua"]) == 0
    out = capsys.readouterr().out
    assert "analysed the whole graph on graph version" in out and "communities" in out
    assert await _analysed_units(store) > 100
    [first] = (await store.list_nodes(Query(Label.ORGANISATION, where=(Condition(writeback.DEGREE, Op.GTE, 0.0),),
                                            first=1))).items
    stored = writeback.Stored.of(first)
    assert stored is not None and stored.scope == Scope() and stored.community is not None
    assert stored.split_sizes is not None and stored.betweenness is not None


def test_the_demo_load_with_no_analyze_computes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    assert main(["demo", "--profile", "conghua", "--no-analyze"]) == 0
    assert "not analysed (--no-analyze)" in capsys.readouterr().out

    async def count() -> tuple[int, int]:
        store = EmbeddedStore(tmp_path / "data")
        try:
            return await _analysed_units(store), (await store.count_by_label())[Label.ORGANISATION]
        finally:
            await store.close()

    analysed, organisations = asyncio.run(count())
    assert analysed == 0 and organisations > 100
