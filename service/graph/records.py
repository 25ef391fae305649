"""Shared helpers of both adapters: row preparation, validation and result shaping, so both stores
accept and refuse the same input."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from service.codes import credit_code_error
from service.errors import IllegalState, UnknownLabel, ValidationFailed
from service.graph.types import Condition, Edge, ItemQuery, Node, Op, Query, RelGroup, RelRow
from service.graph.workflow_types import MatterInput, MeetingRecord
from service.model import Label, MatterMode, MatterStatus, RelType
from service.registry import allowed_ends, labels, rel_spec

MAX_PAGE = 1000
MAX_DEPTH = 4
MAX_ID = 200  # characters; codes and generated ids are far shorter
# Kept by the stores themselves (the registry's `kept` properties: a list item's claimed and
# remaining quantity, a record's withdrawal); a row may not set them.
RESERVED = frozenset(name for spec in labels() for name in spec.kept)
_SCALARS = (str, int, float, bool)


def as_label(value: Label | str) -> Label:
    try:
        return Label(value)
    except ValueError:
        raise UnknownLabel(f"{value!r} is not a label of the model") from None


def as_rel_type(value: RelType | str) -> RelType:
    try:
        return RelType(value)
    except ValueError:
        raise UnknownLabel(f"{value!r} is not a relationship type of the model") from None


def check_triple(type: RelType, start: Label, end: Label) -> None:
    allowed = allowed_ends()[type]
    if (start, end) not in allowed:
        pairs = ", ".join(sorted(f"({a})-[:{type}]->({b})" for a, b in allowed))
        raise UnknownLabel(f"({start})-[:{type}]->({end}) is not in the model; allowed: {pairs}")


def _check_value(where: str, key: str, value: Any) -> None:
    if value is None or isinstance(value, _SCALARS):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationFailed(f"{where}: property {key!r} is {value!r}, not a finite number")
        return
    if isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value):
        return
    raise ValidationFailed(
        f"{where}: property {key!r} has a {type(value).__name__} value {value!r}; "
        "only strings, numbers, booleans and lists of them are stored"
    )


def _check_id(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValidationFailed(f"{where}: id {value[:40] if isinstance(value, str) else value!r} must be a "
                               "non-empty string without surrounding spaces")
    if len(value) > MAX_ID:  # both stores alike: Neo4j could not index a much longer one
        raise ValidationFailed(f"{where}: id {value[:40]!r}... has {len(value):,} characters; at most {MAX_ID}")
    return value


def prepare_nodes(label: Label, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validated rows, one per id (a later row for the same id merges into the earlier)."""
    if label is Label.AUDIT_RECORD:  # append-only: written by append_audit alone (service/audit.py)
        raise IllegalState("audit records are append-only: no write may create, change or delete one")
    merged: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(rows):
        raw_id: Any = row.get("id")
        # the full checks, which name what is wrong, for anything not plainly valid at a glance
        node_id: str = raw_id if _plain(row, raw_id) else _checked(f"{label} row {i}", row)
        if label is Label.ENTERPRISE and (reason := credit_code_error(node_id)):
            raise ValidationFailed(f"{label} row {i}: an enterprise id is its unified social credit code; {reason}")
        quantity = row.get("quantity")
        if label is Label.LIST_ITEM and quantity is not None and not _is_number(quantity):
            # the store keeps remaining = quantity - claimed on the item as it writes it
            raise ValidationFailed(f"{label} row {i}: quantity {quantity!r} is not a number")
        if (kept := merged.get(node_id)) is None:
            merged[node_id] = dict(row)
        else:
            kept.update(row)
    return list(merged.values())


def _checked(where: str, row: Mapping[str, Any]) -> str:
    """The row's id, its id and values checked one by one: the error names the first that is wrong."""
    node_id = _check_id(where, row.get("id"))
    for key, value in row.items():
        if key in RESERVED:
            raise ValidationFailed(f"{where}: property {key!r} is kept by the store and cannot be set")
        _check_value(where, key, value)
    return node_id


_PLAIN = frozenset((str, int, bool, type(None)))  # values _check_value passes at once (a float needs its check)


def _plain(row: Mapping[str, Any], node_id: Any) -> bool:
    """Whether a row passes prepare_nodes' id and value checks at a glance: what a loader's validated rows are.
    Loaders write tens of thousands of rows a second through here, and the full checks cost more than the rest
    of a row's preparation (bench/RESULTS.md, issue 16)."""
    return _plain_id(node_id) and all(type(value) in _PLAIN and key not in RESERVED for key, value in row.items())


def _plain_values(props: Mapping[str, Any]) -> bool:
    return all(type(value) in _PLAIN for value in props.values())


def _plain_id(value: Any) -> bool:
    """What _check_id passes, at a glance."""
    return (type(value) is str and 0 < len(value) <= MAX_ID and not value[0].isspace()
            and not value[-1].isspace())


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def prepare_relationships(type: RelType, rows: Sequence[RelRow]) -> list[RelRow]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for i, row in enumerate(rows):
        if not (_plain_id(row.start) and _plain_id(row.end)
                and _plain_values(row.props)):  # else the checks that name what is wrong
            where = f"{type} row {i}"
            _check_id(where, row.start)
            _check_id(where, row.end)
            for key, value in row.props.items():
                _check_value(where, key, value)
        merged.setdefault((row.start, row.end), {}).update(row.props)
    return [RelRow(s, e, p) for (s, e), p in merged.items()]


def check_page(first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise ValidationFailed(f"page size {first} is outside 1..{MAX_PAGE}")


def check_query(query: Query) -> None:
    check_page(query.first)
    for c in query.where:
        if not isinstance(c, Condition) or not isinstance(c.op, Op):
            raise ValidationFailed(f"condition {c!r} is not a Condition")
        if c.op is Op.IN and not isinstance(c.value, (list, tuple)):
            raise ValidationFailed(f"`in` on {c.prop!r} needs a list, got {c.value!r}")


def check_item_query(query: ItemQuery) -> None:
    check_page(query.first)


def check_depth(depth: int, limit: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise ValidationFailed(f"depth {depth} is outside 1..{MAX_DEPTH}")
    if not 1 <= limit <= 100_000:
        raise ValidationFailed(f"node limit {limit} is outside 1..100000")


def check_claim(claim: Mapping[str, Any]) -> None:
    quantity = claim.get("quantity")
    if not isinstance(quantity, (int, float)) or isinstance(quantity, bool) or not quantity > 0:
        raise ValidationFailed(f"claim {claim.get('id')!r}: quantity {quantity!r} must be a number above zero")
    for key in ("id", "item_id", "claimant_id", "on"):
        _check_id(f"claim {claim.get('id')!r}", claim.get(key))


def keep_internal(
    nodes: Iterable[Node], outgoing: Iterable[tuple[str, Sequence[Mapping[str, Any]]]]
) -> list[Edge]:
    """Edges whose both ends are among `nodes`, from each node's outgoing relationships."""
    ids = {n.id for n in nodes}
    return [
        Edge(RelType(r["type"]), start, r["end"], dict(r["props"]))
        for start, rels in outgoing
        for r in rels
        if r["end"] in ids
    ]




def prepare_batch(
    nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
) -> tuple[list[tuple[Label, list[dict[str, Any]]]], list[RelGroup]]:
    """An upsert_batch checked whole before any write: node groups and relationship groups with
    their rows prepared (the same rules as upsert_nodes / upsert_relationships)."""
    node_steps = [(as_label(label), prepare_nodes(as_label(label), rows)) for label, rows in nodes]
    return node_steps, [prepare_group(g) for g in relationships]


def prepare_group(g: RelGroup) -> RelGroup:
    """A relationship group checked against the model, its rows prepared (upsert_relationships is one group)."""
    type, start, end = as_rel_type(g.type), as_label(g.start), as_label(g.end)
    check_triple(type, start, end)
    written_by = rel_spec(type).written_by
    if written_by is not None:
        raise ValidationFailed(f"{type} relationships are written by {written_by} alone, which checks its rules")
    return RelGroup(type, start, end, prepare_relationships(type, g.rows))


def meeting_props(record: MeetingRecord) -> dict[str, Any]:
    props = {"id": record.id, "heldOn": record.held_on, "topic": record.topic, "kind": record.kind}
    return {k: v for k, v in props.items() if v is not None}


def matter_props(matter: MatterInput, decided_on: str) -> dict[str, Any]:
    """A new matter: OPEN, or IN_PROGRESS when the meeting already named who is responsible."""
    status = MatterStatus.IN_PROGRESS if matter.organisation_id else MatterStatus.OPEN
    props = {"id": matter.id, "title": matter.title, "mode": matter.mode, "status": status.value,
             "decidedOn": decided_on, "due": matter.due}
    return {k: v for k, v in props.items() if v is not None}


def check_new_id(what: str, value: Any) -> str:
    """The id of a node a workflow creates (a wish, a meeting, a matter): the rule of every row's id."""
    return _check_id(what, value)


def check_meeting(record: MeetingRecord) -> None:
    """Input rules both stores share: ids, distinct matter ids, modes of 五事联办."""
    ids = [m.id for m in record.matters]
    for node_id in [record.id, *ids]:
        check_new_id("meeting", node_id)
    if len(set(ids)) != len(ids) or record.id in ids:
        raise ValidationFailed(f"meeting {record.id!r}: matter ids must be distinct and differ from the meeting's")
    modes = {m.value for m in MatterMode}
    for m in record.matters:
        if m.mode not in modes:
            raise ValidationFailed(f"matter {m.id!r}: mode {m.mode!r} is not one of {', '.join(sorted(modes))}")
        if (m.person or m.due) and not m.organisation_id:
            raise ValidationFailed(f"matter {m.id!r}: a person or deadline needs the responsible organisation too")


def kept(label: Label, props: dict[str, Any]) -> dict[str, Any]:
    """The props with the claim state the store keeps on a list item (fragments/kept.cypher):
    its claimed total and quantity less it, after every write to the item or its claims."""
    if label is Label.LIST_ITEM:
        claimed = props.get("claimed") or 0
        props["claimed"], props["remaining"] = claimed, (props.get("quantity") or 0) - claimed
    return props
