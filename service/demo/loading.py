"""Writing a Dataset through the GraphStore port: nodes, then relationships, then claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from service.demo.dataset import Dataset
from service.graph.port import GraphStore
from service.graph.types import Claim

T = TypeVar("T")

# progress(stage, done, total): stage is "nodes", "relationships" or "claims"
Progress = Callable[[str, int, int], None]


def _chunks(rows: Sequence[T], size: int) -> list[Sequence[T]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def load_dataset(
    store: GraphStore, dataset: Dataset, batch_size: int = 10_000, progress: Progress | None = None
) -> dict[str, int]:
    """Upsert everything in `dataset`; claims go last because they need their items and
    claimants, and the store checks each against the item's remaining quantity.

    Returns counts: nodes, relationships and claims sent, nodes_created and
    relationships_created (0 on a repeat load), claims_rejected (a repeat's claims come back
    as idempotent repeats, not rejections)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    counts = dict.fromkeys(
        ("nodes", "nodes_created", "relationships", "relationships_created", "claims", "claims_rejected"),
        0,
    )
    total = dataset.node_count()
    for label, rows in dataset.nodes.items():
        for chunk in _chunks(rows, batch_size):
            result = await store.upsert_nodes(label, chunk)
            counts["nodes"] += len(chunk)
            counts["nodes_created"] += result.created
            if progress:
                progress("nodes", counts["nodes"], total)
    total = dataset.relationship_count()
    for batch in dataset.relationships:
        for rel_chunk in _chunks(batch.rows, batch_size):
            result = await store.upsert_relationships(batch.type, batch.start, batch.end, rel_chunk)
            counts["relationships"] += len(rel_chunk)
            counts["relationships_created"] += result.created
            if progress:
                progress("relationships", counts["relationships"], total)
    total = len(dataset.claims)
    for claim_chunk in _chunks(dataset.claims, batch_size):
        outcomes = await store.claim_items(claim_chunk)
        counts["claims"] += len(claim_chunk)
        # the port names a rejection as a str; adapters may hand back the error itself
        counts["claims_rejected"] += sum(not isinstance(o, Claim) for o in outcomes)
        if progress:
            progress("claims", counts["claims"], total)
    return counts
