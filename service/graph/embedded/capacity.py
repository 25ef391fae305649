"""How big a graph the embedded store agrees to hold. It keeps the whole graph in each process's
memory, so before loading it estimates the memory the file's nodes and relationships will take
(the per-node and per-relationship costs measured by bench/bench_embedded_open.py, with a margin)
and refuses, naming the Neo4j setting, when that exceeds the memory the machine has available or
the node limit set in ALLIANCE_EMBEDDED_MAX_NODES: a clear error at open instead of a process that
swaps or is killed halfway through a load (docs/scale.md, "The embedded store's ceiling")."""

from __future__ import annotations

import logging
from pathlib import Path

from service.errors import StoreUnavailable

log = logging.getLogger("alliance.store")

# Measured after a fresh open (bench/RESULTS.md, "The embedded store's ceiling"): 1,453–1,748 bytes
# per node with its props and its share of relationships (1.37–1.53 a node). The estimate is 7–25%
# above those figures, so it errs on refusing.
BYTES_PER_NODE = 1_400
BYTES_PER_RELATIONSHIP = 300
# The part of the machine's available memory one load may take: the rest is the process's own
# (a reload holds the old graph until the new one is built), the page cache and other processes.
SHARE_OF_AVAILABLE = 0.8
_GIB = 1024**3


class StoreTooLarge(StoreUnavailable):
    """The embedded store's file holds more than this process can keep in memory."""


def estimate(nodes: int, relationships: int) -> int:
    """Bytes of memory a loaded graph of this size takes."""
    return nodes * BYTES_PER_NODE + relationships * BYTES_PER_RELATIONSHIP


def available(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """The machine's MemAvailable in bytes (Linux); None where it is not known."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check(nodes: int, relationships: int, max_nodes: int | None, free: int | None) -> None:
    """Refuse (StoreTooLarge) a graph over `max_nodes` or needing more than the available share of
    `free` bytes; either limit may be None (not set, not known)."""
    need = estimate(nodes, relationships)
    if max_nodes is not None and nodes > max_nodes:
        reason = f"more than ALLIANCE_EMBEDDED_MAX_NODES={max_nodes:,}"
    elif free is not None and need > free * SHARE_OF_AVAILABLE:
        reason = f"more than this machine can spare: {free / _GIB:.1f} GiB available"
    else:
        return
    message = (f"the embedded store holds {nodes:,} nodes and {relationships:,} relationships, which need "
               f"about {need / _GIB:.1f} GiB of memory in every process, {reason}; set ALLIANCE_STORE=neo4j "
               f"(with ALLIANCE_NEO4J_URI and ALLIANCE_NEO4J_PASSWORD) for a graph this size")
    log.error("%s", message)
    raise StoreTooLarge(message)
