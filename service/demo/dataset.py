"""The generated graph as plain rows, in the order a store must write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.graph.types import RelRow
from service.model import Label, RelType
from service.registry import allowed_ends

Row = dict[str, Any]


@dataclass(slots=True)
class RelBatch:
    """Relationships of one (start label, type, end label) triple."""

    type: RelType
    start: Label
    end: Label
    rows: list[RelRow]


@dataclass(slots=True)
class Dataset:
    nodes: dict[Label, list[Row]]  # in write order: regions first, everything else after
    relationships: list[RelBatch]
    claims: list[Row]  # {"id", "item_id", "claimant_id", "quantity", "on"} for store.claim_items
    figures: dict[str, int]  # the seed figures this dataset reproduces (profiles.py says how)
    profile: str = ""
    scale: int = 1
    seed: int = 0
    replica: int = 0  # one part of a stream (service.demo.stream): which replica of `profile`; 0 for a whole

    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    def relationship_count(self) -> int:
        return sum(len(batch.rows) for batch in self.relationships)


@dataclass(slots=True)
class GraphBuffer:
    """Collects rows while a profile is built; relationships are grouped by triple on entry so
    the loader can send one statement per triple and batch."""

    nodes: dict[Label, list[Row]] = field(default_factory=lambda: {label: [] for label in Label})
    rels: dict[tuple[RelType, Label, Label], list[RelRow]] = field(default_factory=dict)
    claims: list[Row] = field(default_factory=list)
    shared: set[str] = field(default_factory=set)  # ids of nodes replicas have in common

    def add(self, label: Label, row: Row) -> str:
        self.nodes[label].append(row)
        return str(row["id"])

    def add_shared(self, label: Label, row: Row) -> bool:
        """Add a node several replicas share (a province); False when it is already there."""
        if row["id"] in self.shared:
            return False
        self.shared.add(row["id"])
        self.nodes[label].append(row)
        return True

    def link(self, type: RelType, start: Label, start_id: str, end: Label, end_id: str, **props: Any) -> None:
        key = (type, start, end)
        rows = self.rels.get(key)
        if rows is None:
            # refuse a triple the model does not allow here, where the mistake is made
            if (start, end) not in allowed_ends()[type]:
                raise ValueError(f"({start})-[:{type}]->({end}) is not in the model")
            rows = self.rels[key] = []
        rows.append(RelRow(start_id, end_id, props))

    def to_dataset(self, profile: str, scale: int, seed: int, figures: dict[str, int], replica: int = 0) -> Dataset:
        nodes = {label: rows for label, rows in self.nodes.items() if rows}
        batches = [RelBatch(t, s, e, rows) for (t, s, e), rows in self.rels.items() if rows]
        return Dataset(nodes, batches, self.claims, figures, profile, scale, seed, replica)
