"""Shared by the benchmarks: a Neo4j to measure against and timing helpers."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.graph.neo4j import Neo4jStore
from service.neo4j_local import free_port

__all__ = ["Timer", "free_port", "local_neo4j", "neo4j_store"]


@contextmanager
def neo4j_store() -> Iterator[Neo4jStore]:
    """The Neo4j named by ALLIANCE_NEO4J_URI / _PASSWORD, else a local one for this run."""
    if os.environ.get("ALLIANCE_NEO4J_URI") and os.environ.get("ALLIANCE_NEO4J_PASSWORD"):
        yield Neo4jStore.connect(os.environ["ALLIANCE_NEO4J_URI"], os.environ.get("ALLIANCE_NEO4J_USER", "neo4j"),
                                 os.environ["ALLIANCE_NEO4J_PASSWORD"])
        return
    with local_neo4j() as env:
        yield Neo4jStore.connect(env["ALLIANCE_NEO4J_URI"], env["ALLIANCE_NEO4J_USER"], env["ALLIANCE_NEO4J_PASSWORD"])


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds = time.perf_counter() - started


@contextmanager
def local_neo4j() -> Iterator[dict[str, str]]:
    """A Neo4j of this run's own, as the ALLIANCE_NEO4J_* settings a service process reads."""
    from service import neo4j_local

    home = Path(tempfile.mkdtemp(prefix="bench-neo4j-"))
    server = neo4j_local.start(home)
    try:
        yield {"ALLIANCE_NEO4J_URI": server.uri, "ALLIANCE_NEO4J_USER": server.user,
               "ALLIANCE_NEO4J_PASSWORD": server.password, "ALLIANCE_NEO4J_DATABASE": server.database}
    finally:
        neo4j_local.stop(home)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of one process so far, from /proc (0 when it is not known or has ended)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14 and 15)


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (a server's workers), from /proc."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in children:
            found.extend(process_tree(int(child)))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants so far."""
    return sum(cpu_seconds(p) for p in process_tree(pid))
