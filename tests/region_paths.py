"""A node of any label placed along its label's region path, built from the registry alone (shared by
tests/contract/test_registry_stores.py and the adversarial suite's graph in tests/security/graph.py)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from service.codes import make_credit_code
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from service.registry import allowed_ends, label_spec

Props = Callable[[Label, str, str, int], dict[str, Any]]  # (label, id, side, position on the path) -> props


def node_id(label: Label, side: str, via: str) -> str:
    if label is Label.ENTERPRISE:  # an enterprise's id is a valid credit code
        return make_credit_code("9", "1", "650106", f"{zlib.crc32(f'{side}{via}'.encode()) % 10**9:09d}")
    return f"{label.value}-{via}-{side}" if via else f"{label.value}-{side}"


async def place(store: GraphStore, label: Label, side: str, props: Props) -> list[tuple[Label, str]]:
    """A node of `label` whose region path ends at region `side` (a region: a child of `side`), with the
    nodes along the path, each of the first label the relationship allows there. Returns the nodes made,
    the asked-for one first."""
    steps = label_spec(label).region_path
    chain: list[tuple[Label, str]] = [(label, node_id(label, side, ""))]
    if not steps:
        await store.upsert_nodes(Label.REGION, [props(Label.REGION, chain[0][1], side, 0)])
        await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION, [RelRow(chain[0][1], side)])
        return chain
    for i, step in enumerate(steps):
        here = chain[-1][0]
        ends = allowed_ends()[step.type]
        options = sorted(e for s, e in ends if s == here) if step.outgoing else sorted(s for s, e in ends if e == here)
        last = i == len(steps) - 1
        nxt = Label.REGION if last else next(x for x in options if x is not Label.REGION)
        chain.append((nxt, side if last else node_id(nxt, side, label.value)))
    for n, (lab, nid) in enumerate(chain[:-1]):
        await store.upsert_nodes(lab, [props(lab, nid, side, n)])
    for step, (a_label, a_id), (b_label, b_id) in zip(steps, chain[:-1], chain[1:], strict=True):
        if step.outgoing:
            await store.upsert_relationships(step.type, a_label, b_label, [RelRow(a_id, b_id)])
        else:
            await store.upsert_relationships(step.type, b_label, a_label, [RelRow(b_id, a_id)])
    return chain[:-1]
