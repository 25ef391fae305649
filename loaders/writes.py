"""What a row writes, read off its kind's declarations (loaders/rows.py): its node's properties and its
links' relationships; and a batch's relationships as the store's groups (each store replaces the links
of a type single-valued in service/registry.py).
One reading for every kind: a kind states what it writes, it has no code of its own for it.

`Writes` reads a row class's declarations once (a load makes one) into what its per-row methods walk:
the node's fields, which of them hold enums (stored by value) or lists (left out when empty), and each
link's shape."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from enum import Enum, IntEnum
from operator import itemgetter
from typing import Any

from loaders.rows import SELF, Link, Row
from service.graph.types import Node, RelGroup, RelRow
from service.model import Label, RelType

Write = tuple[RelType, Label, Label, RelRow]
Ends = dict[str, list[Node]]  # field -> the nodes its value names, for the fields that name any


class _Shape(IntEnum):
    OUT = 0  # from the row's node to the nodes a column names
    IN = 1  # from the nodes a column names to the row's node
    BETWEEN = 2  # from the nodes one column names to those another names


# One link as `Writes.links` walks it (a tuple, unpacked for every row): its type, shape, the column naming
# the other end (BETWEEN: the start), the column naming the end (BETWEEN only), `when`, and the link itself
# when it has relationship properties (else None).
_Step = tuple[RelType, _Shape, str, str, Callable[[Any], bool] | None, Link | None]


class Writes:
    """The node and the relationships of each row of one row class."""

    def __init__(self, cls: type[Row]) -> None:
        self.label = cls.LABEL
        fields = [field for _, field in cls.NODE]
        admits = {field: _types(cls.model_fields[field].annotation) for field in fields}
        self._props = tuple(prop for prop, _ in cls.NODE)
        self._values: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            itemgetter(*fields) if len(fields) > 1 else lambda d: tuple(d[f] for f in fields))
        self._enums = tuple(p for p, f in cls.NODE if any(issubclass(t, Enum) for t in admits[f]))
        self._lists = tuple(p for p, f in cls.NODE if list in admits[f])
        steps: list[_Step] = []
        for link in cls.LINKS:
            with_props = link if link.fixed or link.props or link.each else None
            if link.start == SELF:
                steps.append((link.type, _Shape.OUT, link.end, "", link.when, with_props))
            elif link.end == SELF:
                steps.append((link.type, _Shape.IN, link.start, "", link.when, with_props))
            else:
                steps.append((link.type, _Shape.BETWEEN, link.start, link.end, link.when, with_props))
        if self.label is None and any(shape is not _Shape.BETWEEN for _, shape, *_ in steps):
            raise TypeError(f"{cls.__name__} links its own node but declares no LABEL")
        self._steps = tuple(steps)

    def node(self, row: Row) -> dict[str, Any] | None:
        """The row's node properties (NODE), its empty fields left out; None for a row that is no node."""
        if self.label is None:
            return None
        values = self._values(row.__dict__)
        out = {prop: value for prop, value in zip(self._props, values, strict=True) if value is not None}
        for prop in self._enums:
            if prop in out:
                out[prop] = out[prop]._value_  # .value, without its descriptor's call: this runs for every row
        for prop in self._lists:
            if out.get(prop) == []:
                del out[prop]
        return out

    def links(self, row: Row, ends: Ends) -> list[Write]:
        """The relationships the row's LINKS write to the nodes its columns named (`ends`); a link one of whose
        ends named nothing writes nothing. Several relationships of one link each get their own properties."""
        out: list[Write] = []
        values = row.__dict__
        label = self.label
        for type_, shape, column, other, when, with_props in self._steps:
            if when is not None and not when(row):
                continue
            nodes = ends.get(column)
            if not nodes:
                continue
            props = {} if with_props is None else _link_props(with_props, values)
            if with_props is not None and with_props.each is not None:
                out.extend(self._each(with_props, shape, nodes, values["id"], getattr(row, with_props.each)))
                continue
            if shape is _Shape.BETWEEN:
                if finishes := ends.get(other):
                    pairs = [(start, end) for start in nodes for end in finishes]
                    out.extend((type_, s.label, e.label, RelRow(s.id, e.id, dict(props))) for s, e in pairs)
                continue
            assert label is not None  # checked in __init__
            own = values["id"]
            if len(nodes) > 1:
                out.extend((type_, label, n.label, RelRow(own, n.id, dict(props))) if shape is _Shape.OUT
                           else (type_, n.label, label, RelRow(n.id, own, dict(props))) for n in nodes)
            elif shape is _Shape.OUT:
                out.append((type_, label, nodes[0].label, RelRow(own, nodes[0].id, props)))
            else:
                out.append((type_, nodes[0].label, label, RelRow(nodes[0].id, own, props)))
        return out


    def _each(self, link: Link, shape: _Shape, nodes: list[Node], own: str,
              each: list[dict[str, Any]]) -> list[Write]:
        """A link whose relationships each take their own properties from the `each` attribute, in value order
        (the engine resolves a row's values in their order, and writes only rows whose values all resolved)."""
        assert self.label is not None and shape is not _Shape.BETWEEN
        out: list[Write] = []
        for node, extra in zip(nodes, each, strict=True):
            props = {**dict(link.fixed), **{k: v for k, v in extra.items() if v is not None}}
            out.append((link.type, self.label, node.label, RelRow(own, node.id, props)) if shape is _Shape.OUT
                       else (link.type, node.label, self.label, RelRow(node.id, own, props)))
        return out


def _types(annotation: Any) -> tuple[type, ...]:
    """The classes a field's annotation admits: `X | None` as (X, NoneType), `list[str]` as (list,)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return tuple(t for arg in typing.get_args(annotation) for t in _types(arg))
    found = typing.get_origin(annotation) or annotation
    return (found,) if isinstance(found, type) else ()


def _link_props(link: Link, values: dict[str, Any]) -> dict[str, Any]:
    props = dict(link.fixed)
    for prop, field in link.props:
        if (value := values[field]) is not None:
            props[prop] = value
    return props


def groups(rels: Iterable[tuple[tuple[RelType, Label, Label], list[RelRow]]]) -> list[RelGroup]:
    """A batch's relationships as the store's groups; a single-valued type replaces the old relationship."""
    return [RelGroup(type_, start, end, rows) for (type_, start, end), rows in rels]
