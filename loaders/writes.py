"""What a row writes, read off its kind's declarations (loaders/rows.py): its node's properties and its
links' relationships; and the batch's relationships as the store's groups, single-valued per kinds.SINGLE.
One reading for every kind: a kind states what it writes, it has no code of its own for it.

This runs for every row of a load, so a row class's declarations are first read into a `_Plan`, once per
class: which fields hold enums (stored by value) or lists (left out when empty), and each link's shape."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum, IntEnum
from operator import itemgetter
from typing import Any

from loaders.kinds import SINGLE
from loaders.rows import SELF, Link, Row
from service.graph.store import Node, RelGroup, RelRow
from service.model import Label, RelType

Write = tuple[RelType, Label, Label, RelRow]
Ends = dict[str, list[Node]]  # field -> the nodes its value names, for the fields that name any


class _Shape(IntEnum):
    OUT = 0  # from the row's node to the nodes a column names
    IN = 1  # from the nodes a column names to the row's node
    BETWEEN = 2  # from the nodes one column names to those another names


# One link as links_of walks it (a tuple: unpacked for every row): its type, shape, the column naming the
# other end (BETWEEN: the start), the column naming the end (BETWEEN only), `when`, and the link itself when
# it has relationship properties (else None).
_Step = tuple[RelType, _Shape, str, str, Callable[[Any], bool] | None, Link | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    props: tuple[str, ...]  # the node's properties, in NODE's order
    values: Callable[[dict[str, Any]], tuple[Any, ...]]  # row.__dict__ -> their fields' values
    enums: tuple[str, ...]  # properties whose field holds an enum member: stored as its value
    lists: tuple[str, ...]  # properties whose field holds a list: left out when empty
    steps: tuple[_Step, ...]


_PLANS: dict[type[Row], _Plan] = {}  # what each row class declares, read on its first row


def _plan(cls: type[Row]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _read(cls)
    return plan


def _read(cls: type[Row]) -> _Plan:
    fields = [field for _, field in cls.NODE]
    admits = {field: _types(cls.model_fields[field].annotation) for field in fields}
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    values = itemgetter(*fields) if len(fields) > 1 else lambda d: tuple(d[f] for f in fields)
    steps: list[_Step] = []
    for link in cls.LINKS:
        with_props = link if link.fixed or link.props else None
        if link.start == SELF:
            steps.append((link.type, _Shape.OUT, link.end, "", link.when, with_props))
        elif link.end == SELF:
            steps.append((link.type, _Shape.IN, link.start, "", link.when, with_props))
        else:
            steps.append((link.type, _Shape.BETWEEN, link.start, link.end, link.when, with_props))
    return _Plan(tuple(prop for prop, _ in cls.NODE), values,
                 tuple(p for p, f in cls.NODE if any(isinstance(t, type) and issubclass(t, Enum) for t in admits[f])),
                 tuple(p for p, f in cls.NODE if list in admits[f]), tuple(steps))


def _types(annotation: Any) -> tuple[Any, ...]:
    """The types a field's annotation admits: `X | None` as (X, NoneType), `list[str]` as (list,)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return tuple(t for arg in typing.get_args(annotation) for t in _types(arg))
    return (typing.get_origin(annotation) or annotation,)


def node_of(row: Row) -> dict[str, Any] | None:
    """The row's node properties (NODE), its empty fields left out; None for a row that is no node."""
    if row.LABEL is None:
        return None
    plan = _PLANS.get(type(row)) or _plan(type(row))
    values = plan.values(row.__dict__)
    out = {prop: value for prop, value in zip(plan.props, values, strict=True) if value is not None}
    for prop in plan.enums:
        if prop in out:
            out[prop] = out[prop]._value_  # .value, without its descriptor's call: this runs for every row
    for prop in plan.lists:
        if out.get(prop) == []:
            del out[prop]
    return out


def _props(link: Link, values: dict[str, Any]) -> dict[str, Any]:
    props = dict(link.fixed)
    for prop, field in link.props:
        if (value := values[field]) is not None:
            props[prop] = value
    return props


def links_of(row: Row, ends: Ends) -> list[Write]:
    """The relationships the row's LINKS write to the nodes its columns named (`ends`); a link one of whose
    ends named nothing writes nothing. Several relationships of one link each get their own properties."""
    out: list[Write] = []
    values = row.__dict__
    for type_, shape, column, other, when, with_props in (_PLANS.get(type(row)) or _plan(type(row))).steps:
        if when is not None and not when(row):
            continue
        nodes = ends.get(column)
        if not nodes:
            continue
        props = {} if with_props is None else _props(with_props, values)
        if shape is _Shape.BETWEEN:
            if finishes := ends.get(other):
                pairs = [(start, end) for start in nodes for end in finishes]
                out.extend((type_, s.label, e.label, RelRow(s.id, e.id, dict(props))) for s, e in pairs)
            continue
        label = row.LABEL
        assert label is not None  # a link of the row's own node comes with a LABEL (tests/loaders/test_declarations)
        own = values["id"]
        if len(nodes) > 1:
            out.extend((type_, label, n.label, RelRow(own, n.id, dict(props))) if shape is _Shape.OUT
                       else (type_, n.label, label, RelRow(n.id, own, dict(props))) for n in nodes)
        elif shape is _Shape.OUT:
            out.append((type_, label, nodes[0].label, RelRow(own, nodes[0].id, props)))
        else:
            out.append((type_, nodes[0].label, label, RelRow(nodes[0].id, own, props)))
    return out


def groups(rels: Iterable[tuple[tuple[RelType, Label, Label], list[RelRow]]]) -> list[RelGroup]:
    """A batch's relationships as the store's groups; a single-valued type replaces the old relationship."""
    return [RelGroup(type_, start, end, rows, *SINGLE.get(type_, (None, None))) for (type_, start, end), rows in rels]
