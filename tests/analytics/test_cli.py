"""`alliance analyze` on whichever store the settings name."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service.analytics import writeback
from service.analytics.projection import Scope
from service.cli import main
from service.graph.port import GraphStore
from tests.contract import small_graph
from tests.contract.small_graph import STREET_B


@pytest.fixture
def cli_env(store_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Point the CLI's Settings at the test's store (the `store` fixture's file or server)."""
    monkeypatch.setenv("ALLIANCE_STORE", store_kind)
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    if store_kind == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        for key in ("uri", "user", "password", "database"):
            monkeypatch.setenv(f"ALLIANCE_NEO4J_{key.upper()}", server[key])


async def _stored(store: GraphStore, unit: str) -> writeback.Stored | None:
    [node] = await store.get_nodes([unit])
    return writeback.Stored.of(node)


async def test_analyze_writes_scores_and_reports(
    store: GraphStore, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await small_graph.build(store)
    # the CLI runs its own event loop, as it does from a shell
    assert await asyncio.to_thread(main, ["analyze"]) == 0
    out = capsys.readouterr()
    assert "units 8, ties 5" in out.out and "articulation points 1, bridges 2" in out.out
    assert "betweenness exact" in out.out and "modularity" in out.out
    assert "write" in out.err and "rss" in out.err and "peak" in out.err  # each step, with the memory
    assert "computed by networkx" in out.out  # 8 units: auto stays in networkx
    a1 = await _stored(store, "ORG-A1")
    assert a1 is not None and a1.degree == 3 and a1.split_sizes == (2, 1) and a1.scope == Scope()

    assert await asyncio.to_thread(main, ["analyze", "--region", STREET_B, "--metrics", "pagerank,brokers"]) == 0
    b1 = await _stored(store, "ORG-B1")
    assert b1 is not None and b1.scope == Scope(region_id=STREET_B)
    assert b1.pagerank == pytest.approx(0.5) and b1.betweenness is None and b1.split_sizes == ()
    assert (await _stored(store, "ORG-A1")) == a1  # outside the region: untouched


async def test_dry_run_writes_nothing_and_bad_metrics_are_refused(
    store: GraphStore, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await small_graph.build(store)
    assert await asyncio.to_thread(main, ["analyze", "--dry-run", "--engine", "igraph"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "computed by igraph" in out
    assert await _stored(store, "ORG-A1") is None
    with pytest.raises(SystemExit):
        main(["analyze", "--metrics", "eigenvector"])
    assert "metrics are degree, betweenness" in capsys.readouterr().err
