"""The embedded store refuses, at open, a graph larger than it may hold, naming the Neo4j setting."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from service.errors import ErrorCode
from service.graph.embedded import EmbeddedStore
from service.graph.embedded.capacity import StoreTooLarge, available, check, estimate
from service.model import Label


async def test_a_store_over_its_node_limit_refuses_to_open_and_names_the_neo4j_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    writer = EmbeddedStore(tmp_path)
    await writer.upsert_nodes(Label.REGION, [{"id": f"R{i}", "name": f"区{i}"} for i in range(5)])
    await writer.close()

    assert len(await EmbeddedStore(tmp_path, max_nodes=5).get_nodes(["R0", "R4"])) == 2  # at the limit: opens
    too_small = EmbeddedStore(tmp_path, max_nodes=4)
    with caplog.at_level(logging.ERROR, logger="alliance.store"), pytest.raises(StoreTooLarge) as refused:
        await too_small.get_node("R0")
    message = str(refused.value)
    assert refused.value.code is ErrorCode.STORE_UNAVAILABLE
    assert "5 nodes" in message and "ALLIANCE_EMBEDDED_MAX_NODES=4" in message and "ALLIANCE_STORE=neo4j" in message
    assert message in caplog.text  # the operator reads it in the log too
    with pytest.raises(StoreTooLarge):  # refused again, not half loaded
        await too_small.version()
    await too_small.close()


def test_the_estimate_is_checked_against_the_available_memory() -> None:
    need = estimate(1_000_000, 1_400_000)
    assert 1.3 * 1024**3 < need < 2 * 1024**3  # 1M nodes: the measured 1.2–1.6 KiB a node, rounded up
    check(1_000_000, 1_400_000, None, None)  # nothing known, nothing set: loads
    check(1_000_000, 1_400_000, None, 3 * need)
    with pytest.raises(StoreTooLarge, match=r"1,000,000 nodes .* GiB available; set ALLIANCE_STORE=neo4j"):
        check(1_000_000, 1_400_000, None, need)
    free = available()
    assert free is None or free > 0


def test_an_unreadable_meminfo_is_not_known(tmp_path: Path) -> None:
    assert available(tmp_path / "missing") is None
    (tmp_path / "meminfo").write_text("MemTotal: 100 kB\nMemAvailable:   2048 kB\n")
    assert available(tmp_path / "meminfo") == 2048 * 1024
