"""Corrections both stores make alike: withdrawing a unit, agreement or list item (kept, marked,
hidden), and merging a duplicate unit into the one kept. The checks and the merge plan live here;
each store reads, applies the plan and writes the record in ONE transaction.

A merge moves every relationship of the removed unit to the kept one. Relationships that would
become parallel duplicates (both units linked to the same node over the same type and direction)
become one, the kept unit's properties winning and the removed one's filling the gaps; a claim is
its own record (keyed by its id) and always moves; a link between the two units themselves would
become a loop and goes; so does a single-valued link the kept unit already has one of (its party
organisation's parent, UNDER; its enterprise, EMBEDDED_IN), since it may hold only one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.errors import AlreadyWithdrawn, NotFound, ValidationFailed
from service.graph.provenance import Actor
from service.graph.types import Node, RelRow
from service.model import Label, RelType
from service.registry import UNITS, WITHDRAWABLE, Single, rel_spec

MAX_REASON = 500  # characters


# withdrawal -----------------------------------------------------------------------------------
def is_withdrawn(node: Node) -> bool:
    return node.props.get("withdrawn") is not None


def check_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed("a withdrawal needs a reason: say why the record is withdrawn")
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"the reason has {len(text)} characters; at most {MAX_REASON}")
    return text


def check_withdrawal(node_id: str, node: Node | None) -> Node:
    """The node to withdraw: it must exist, be a unit, agreement or list item, and not be withdrawn yet."""
    if node is None:
        raise NotFound(f"no record with id {node_id!r} to withdraw")
    if node.label not in WITHDRAWABLE:
        kinds = ", ".join(label.value for label in WITHDRAWABLE)
        raise ValidationFailed(f"{node_id!r} is a {node.label.value}; only a {kinds} can be withdrawn")
    if is_withdrawn(node):
        raise AlreadyWithdrawn(f"{node.label.value} {node_id!r} was already withdrawn on "
                               f"{node.props['withdrawn']} ({node.props.get('withdrawnReason')})")
    return node


def withdrawn_props(reason: str, at: str, actor: Actor) -> dict[str, Any]:
    return {"withdrawn": at, "withdrawnReason": reason, "withdrawnBy": actor.key_id}


def visible(nodes: Iterable[Node], include_withdrawn: bool) -> list[Node]:
    return [n for n in nodes if include_withdrawn or not is_withdrawn(n)]


# merging --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Link:
    """One relationship of a unit, seen from the unit."""

    type: RelType
    outgoing: bool  # the unit is its start
    other: str
    other_label: Label
    props: Mapping[str, Any]


@dataclass(slots=True)
class MergePlan:
    # per (type, start label, end label): the relationships to write on the kept unit, merged by ends
    writes: dict[tuple[RelType, Label, Label], list[RelRow]] = field(default_factory=dict)
    claims: list[RelRow] = field(default_factory=list)  # claims moved as they are (CLAIMED, keyed by id)
    moved: int = 0
    merged: int = 0
    dropped: int = 0

    def add(self, type: RelType, start: Label, end: Label, row: RelRow) -> None:
        self.writes.setdefault((type, start, end), []).append(row)


def check_merge(keep_id: str, remove_id: str, keep: Node | None, remove: Node | None) -> tuple[Node, Node]:
    """Both units must exist, differ, and be of one kind (two organisations or two enterprises)."""
    if keep_id == remove_id:
        raise ValidationFailed(f"keep and remove are both {keep_id!r}; name two different units")
    for node_id, node, role in ((keep_id, keep, "keep"), (remove_id, remove, "remove")):
        if node is None:
            raise NotFound(f"no unit {node_id!r} to {role}")
        if node.label not in UNITS:
            raise ValidationFailed(f"{role}: {node_id!r} is a {node.label.value}, not an organisation or enterprise")
    assert keep is not None and remove is not None
    if keep.label is not remove.label:
        raise ValidationFailed(f"{keep_id!r} is an {keep.label.value} and {remove_id!r} an {remove.label.value}; "
                               "only two units of one kind can be merged")
    return keep, remove


def plan_merge(keep: Node, remove: Node, keep_links: Sequence[Link], remove_links: Sequence[Link]) -> MergePlan:
    plan = MergePlan()
    kept = {(lk.type, lk.outgoing, lk.other): lk for lk in keep_links if lk.type is not RelType.CLAIMED}
    for link in remove_links:
        if link.other in (keep.id, remove.id):  # between the two: it would become a loop
            plan.dropped += 1
            continue
        start, end = (keep.id, link.other) if link.outgoing else (link.other, keep.id)
        start_label, end_label = (keep.label, link.other_label) if link.outgoing else (link.other_label, keep.label)
        if link.type is RelType.CLAIMED:
            plan.claims.append(RelRow(start, end, dict(link.props)))
            plan.moved += 1
            continue
        twin = kept.get((link.type, link.outgoing, link.other))
        if twin is not None:  # a parallel duplicate: one relationship, the kept unit's values first
            plan.add(link.type, start_label, end_label, RelRow(start, end, {**link.props, **twin.props}))
            plan.merged += 1
            continue
        spec = rel_spec(link.type)
        holds_one = (spec.single is Single.START and link.outgoing) or (spec.single is Single.END and not link.outgoing)
        if holds_one and any(k.type is link.type and k.outgoing == link.outgoing
                             and (spec.per is None or k.props.get(spec.per) == link.props.get(spec.per))
                             for k in keep_links):
            plan.dropped += 1  # the kept unit's own one stays
            continue
        plan.add(link.type, start_label, end_label, RelRow(start, end, dict(link.props)))
        plan.moved += 1
    return plan


def merge_record(keep: Node, remove: Node, plan: MergePlan, at: str, actor: Actor) -> dict[str, Any]:
    row = {"id": f"UM-{uuid.uuid4().hex}", "kept": keep.id, "removed": remove.id, "label": remove.label.value,
           "removedName": remove.props.get("name"), "at": at, "operation": actor.operation, "keyId": actor.key_id,
           "moved": plan.moved, "merged": plan.merged, "dropped": plan.dropped}
    return {k: v for k, v in row.items() if v is not None}


def party_agreements(links: Iterable[Link]) -> list[str]:
    """The agreements a unit is party to: a merge changes their parties, which leaves a version."""
    return sorted({lk.other for lk in links if lk.type is RelType.PARTY_TO and lk.outgoing})
