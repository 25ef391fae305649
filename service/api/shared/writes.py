"""Mutation helpers every domain shares: batch and date checks, the caller's region for the nodes a
write touches, and the upsert payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import strawberry

from service.api.limits import MAX_BATCH
from service.api.shared.listing import nodes_by_id
from service.api.shared.nodes import Info
from service.errors import Conflict, NotFound, OverLimit, ValidationFailed
from service.graph.types import Node, RelGroup, UpsertResult
from service.model import Label
from service.region_scope import require_inside, written_ends
from service.workflows.wishes import check_date


@strawberry.type
class UpsertPayload:
    created: int
    updated: int
    unchanged: int


def upsert_payload(result: UpsertResult) -> UpsertPayload:
    return UpsertPayload(created=result.created, updated=result.updated, unchanged=result.unchanged)


def iso_date(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationFailed(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def day(value: str | None, field: str) -> str | None:
    """A workflow's optional date argument, checked as the workflows check it."""
    return None if value is None else check_date(value, field)


def today(value: str | None, field: str = "on") -> str:
    return day(value, field) or dt.date.today().isoformat()


def check_batch(rows: Sequence[Any], what: str) -> None:
    if not rows:
        raise ValidationFailed(f"{what}: give at least one row")
    if len(rows) > MAX_BATCH:
        raise OverLimit(f"{what}: {len(rows)} rows; send at most {MAX_BATCH} per request")


def clean(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's given values, enums as their values."""
    return {k: (v.value if hasattr(v, "value") else v) for k, v in row.items() if v is not None}


async def require_in_scope(info: Info, nodes: Sequence[Node], what: str) -> None:
    """FORBIDDEN unless every node lies wholly inside the caller's region (service/region_scope.py)."""
    await require_inside(info.context.store, info.context.region_id, nodes, what)


async def require_ends_in_scope(info: Info, ids: Iterable[str | None], labels: tuple[Label, ...], what: str) -> None:
    """The other ends a workflow write links to (an assignee, an acceptor, attendees): each must exist with
    one of the labels (else NOT_FOUND) and lie inside the caller's region, members from elsewhere excepted."""
    wanted = sorted({i for i in ids if i is not None})
    if info.context.region_id is None or not wanted:
        return
    found = await nodes_by_id(info, wanted)
    for node_id in wanted:
        if node_id not in found or found[node_id].label not in labels:
            raise NotFound(f"no {what} {node_id!r}")
    await require_in_scope(info, written_ends(found.values()), what)


async def in_scope(info: Info, node_id: str, label: Label | tuple[Label, ...], what: str) -> Node:
    """The node, which must exist with one of the labels and lie inside the caller's region."""
    labels = label if isinstance(label, tuple) else (label,)
    found = await info.context.store.get_node(node_id)
    if found is None or found.label not in labels:
        raise NotFound(f"no {what} {node_id!r}")
    await require_in_scope(info, [found], what)
    return found


async def linked(info: Info, ids: Iterable[str], label: Label, what: str) -> dict[str, Node]:
    """The nodes rows link to: each must exist with the label and lie inside the caller's region."""
    ids = list(ids)  # callers pass generators: read once, checked below
    found = await nodes_by_id(info, ids)
    for node_id in sorted(set(ids)):
        if node_id not in found or found[node_id].label is not label:
            raise NotFound(f"no {what} {node_id!r}")
    await require_in_scope(info, list(found.values()), what)
    return found


async def member(info: Info, member_id: str) -> Node:
    """The member, wherever it belongs (members of units elsewhere serve where they live, 双报到)."""
    found = await info.context.store.get_node(member_id)
    if found is None or found.label is not Label.MEMBER:
        raise NotFound(f"no member {member_id!r}")
    return found


async def upsert_placed(info: Info, label: Label, rows: list[dict[str, object]], groups: list[RelGroup],
                        what: str) -> UpsertPayload:
    """Nodes with the links that place them (a team's organiser, a centre's region), in one transaction;
    a single-valued link replaces the old one. A region-scoped key changes only nodes already inside its
    region (the new links were checked by `linked`), so it cannot move another street's team or centre."""
    ids = [str(r["id"]) for r in rows]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(f"{what}: each id once per request")
    existing = await nodes_by_id(info, ids)
    taken = sorted(i for i, n in existing.items() if n.label is not label)
    if taken:
        raise Conflict(f"id {taken[0]!r} is already used by a node that is not a {label.value}")
    await require_in_scope(info, list(existing.values()), what)
    result = await info.context.store.upsert_batch([(label, rows)], groups)
    return upsert_payload(result.nodes[0])
