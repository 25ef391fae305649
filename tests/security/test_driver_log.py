"""The Neo4j driver's debug log never holds what a statement carried: with the driver's logger at DEBUG, its
RUN lines name each parameter's kind and size, not a member's name or phone (service/graph/neo4j/parameters.py)."""

from __future__ import annotations

import logging

import pytest

from service.graph.neo4j import Neo4jStore
from service.model import Label

NAME, PHONE = "测试党员甲", "13912345678"


async def test_the_drivers_debug_log_holds_no_parameter_value(
    neo4j_server: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    store = Neo4jStore.connect(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"],
                               neo4j_server["database"])
    try:
        await store.ping()
        with caplog.at_level(logging.DEBUG, logger="neo4j"):
            await store.find_by_names(Label.MEMBER, [NAME])
            await store.get_nodes([PHONE])
        runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
        assert len(runs) >= 2  # the driver did log each statement it ran
        assert not [line for line in runs if NAME in line or PHONE in line]
        assert any("<1 values>" in line for line in runs)
    finally:
        await store.close()
