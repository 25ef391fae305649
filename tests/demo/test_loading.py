"""load_dataset against a recording stand-in: order of writes, batch sizes, counting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from service.demo import generate, load_dataset
from service.errors import AlreadyClaimed
from service.graph.types import Claim, RelRow, UpsertResult
from service.model import Label, RelType


class Recorder:
    """Only the three writes load_dataset uses; every claim after the first is refused."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        self.calls.append(("nodes", label.value, len(rows)))
        return UpsertResult(created=len(rows))

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        self.calls.append(("relationships", type.value, len(rows)))
        return UpsertResult(created=len(rows))

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | str | Exception]:
        self.calls.append(("claims", "", len(claims)))
        out: list[Claim | str | Exception] = []
        for n, c in enumerate(claims):
            if n == 0:
                out.append(Claim(c["id"], c["item_id"], c["claimant_id"], c["quantity"], c["on"], "ACTIVE", 0, True))
            else:
                out.append("already claimed" if n % 2 else AlreadyClaimed("already claimed"))
        return out


async def test_nodes_then_relationships_then_claims_in_batches() -> None:
    dataset = generate("urumqi-etdz")
    store = Recorder()
    steps: list[tuple[str, int, int]] = []
    counts = await load_dataset(store, dataset, batch_size=1_000, progress=lambda *s: steps.append(s))  # type: ignore[arg-type]

    stages = [c[0] for c in store.calls]
    assert stages == sorted(stages, key=["nodes", "relationships", "claims"].index)
    assert all(size <= 1_000 for _, _, size in store.calls)
    assert sum(size for stage, _, size in store.calls if stage == "nodes") == dataset.node_count()
    # Region goes first so everything that is LOCATED_IN somewhere finds its region
    assert store.calls[0][1] == "Region"
    claim_batches = [size for stage, _, size in store.calls if stage == "claims"]
    assert counts == {
        "nodes": dataset.node_count(),
        "nodes_created": dataset.node_count(),
        "relationships": dataset.relationship_count(),
        "relationships_created": dataset.relationship_count(),
        "claims": len(dataset.claims),
        "claims_rejected": len(dataset.claims) - len(claim_batches),  # one accepted per batch
    }
    assert steps[-1] == ("claims", len(dataset.claims), len(dataset.claims))
    assert [s for s in steps if s[0] == "nodes"][-1] == ("nodes", dataset.node_count(), dataset.node_count())


async def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        await load_dataset(Recorder(), generate("urumqi-etdz"), batch_size=0)  # type: ignore[arg-type]
