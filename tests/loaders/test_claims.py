"""The claims hook: a dry run applies the store's own claim rule (service.claims), and a refused claim is
reported under the column its error names (`field`), whatever its words."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from loaders.engine import Options, load_file
from service.errors import AllianceError, NotFound
from service.graph.port import GraphStore
from service.graph.types import Claim, Node
from service.model import Label
from tests.contract import small_graph

HEADER = ["认领单位", "清单编号", "认领数量", "认领日期", "认领编号"]


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


async def test_the_dry_run_refuses_what_the_load_refuses_in_the_same_words(store: GraphStore, tmp_path: Path) -> None:
    await small_graph.build(store)
    await store.claim_item("ITEM-P1", "ORG-A1", 5, "2021-05-01", "CL-1")
    await store.claim_item("ITEM-J1", "ORG-A1", 1, "2021-05-01", "CL-2")
    path = _csv(tmp_path / "claims.csv", [
        HEADER,
        ["ORG-B1", "ITEM-P2", "1", "2021-05-10", ""],
        ["ORG-A2", "ITEM-P2", "1", "2021-05-10", ""],  # over-claimed: the first row took the last one
        ["ORG-B1", "ITEM-P1", "1", "2021-05-10", ""],
        ["ORG-B1", "ITEM-N1", "1", "2021-05-10", "CL-1"],  # CL-1 is ORG-A1's claim on ITEM-P1
        ["ORG-A1", "ITEM-J1", "1", "2021-05-01", "CL-2"],  # a repeat: unchanged
    ])
    dry = await load_file(store, "claims", path, Options(dry_run=True))
    load = await load_file(store, "claims", path)
    expected = [
        (3, "认领数量", "item 'ITEM-P2' is already claimed: 0 left, 1 asked"),
        (5, "认领编号", "claim id 'CL-1' is already used for another item or claimant"),
    ]
    assert [(r.row, r.column, r.reason) for r in load.rejects] == expected
    assert [(r.row, r.column, r.reason) for r in dry.rejects] == expected
    assert (dry.created, dry.unchanged, dry.rejected) == (load.created, load.unchanged, load.rejected) == (2, 1, 2)


class _RefusingStore:
    """Resolves every id to an organisation or list item, and refuses every claim with `error`."""

    def __init__(self, error: AllianceError) -> None:
        self.error = error

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        return [Node(i, Label.LIST_ITEM if i.startswith("ITEM") else Label.ORGANISATION, {}) for i in ids]

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        return []

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        return [self.error for _ in claims]


async def test_a_refused_claim_is_reported_under_the_column_its_error_names(tmp_path: Path) -> None:
    path = _csv(tmp_path / "claims.csv", [HEADER, ["ORG-B1", "ITEM-P2", "1", "2021-05-10", ""]])
    for field, column in (("claimant_id", "认领单位"), ("item_id", "清单编号"), ("quantity", "认领数量"),
                          ("id", "认领编号")):
        error = NotFound("refused, in words that name no column")
        error.field = field
        report = await load_file(cast(GraphStore, _RefusingStore(error)), "claims", path)
        assert [(r.column, r.reason) for r in report.rejects] == [(column, str(error))], field
