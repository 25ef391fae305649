"""What a row writes, read off its kind's declarations (loaders/rows.py): its node's properties and its
links' relationships; and the batch's relationships as the store's groups, single-valued per kinds.SINGLE.
One reading for every kind: a kind states what it writes, it has no code of its own for it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from loaders.kinds import SINGLE
from loaders.rows import SELF, Row
from service.graph.store import Node, RelGroup, RelRow
from service.model import Label, RelType

Write = tuple[RelType, Label, Label, RelRow]
Ends = dict[str, list[Node]]  # field -> the nodes its value names, for the fields that name any


def _stored(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def node_of(row: Row) -> dict[str, Any] | None:
    """The row's node properties (NODE), its empty fields left out; None for a row that is no node."""
    if row.LABEL is None:
        return None
    values = row.__dict__
    out: dict[str, Any] = {}
    for prop, field in row.NODE:
        value = values[field]
        if value is not None and value != []:
            out[prop] = _stored(value)
    return out


def links_of(row: Row, ends: Ends) -> list[Write]:
    """The relationships the row's LINKS write to the nodes its columns named (`ends`); a link one of whose
    ends named nothing writes nothing."""
    out: list[Write] = []
    values = row.__dict__
    own: list[Node] | None = None
    for link in row.LINKS:
        if link.when is not None and not link.when(row):
            continue
        if SELF in (link.start, link.end) and own is None:
            assert row.LABEL is not None, f"{type(row).__name__} links its own node but declares no LABEL"
            own = [Node(values["id"], row.LABEL, {})]
        starts = own if link.start == SELF else ends.get(link.start)
        finishes = own if link.end == SELF else ends.get(link.end)
        if not starts or not finishes:
            continue
        props = dict(link.fixed)
        for prop, field in link.props:
            if (value := values[field]) is not None:
                props[prop] = _stored(value)
        shared = len(starts) * len(finishes) > 1  # then each relationship gets its own copy of the properties
        for start in starts:
            for end in finishes:
                rel = RelRow(start.id, end.id, dict(props) if shared else props)
                out.append((link.type, start.label, end.label, rel))
    return out


def groups(rels: Iterable[tuple[tuple[RelType, Label, Label], list[RelRow]]]) -> list[RelGroup]:
    """A batch's relationships as the store's groups; a single-valued type replaces the old relationship."""
    return [RelGroup(type_, start, end, rows, *SINGLE.get(type_, (None, None))) for (type_, start, end), rows in rels]
