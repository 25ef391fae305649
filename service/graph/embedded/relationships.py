"""Relationships between nodes named by id: upserts of one (start, type, end) group, replacing the
other links of a single-valued end first; neighbours over one type."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from service.errors import NotFound
from service.graph import deadline, records
from service.graph.embedded.executor import EmbeddedExecutor, dump, merge
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.types import Related, RelGroup, RelRow, UpsertResult
from service.model import Label, RelType
from service.registry import Single, rel_spec

_CHECK_EVERY = 500  # ids walked between deadline checks


def upsert_relationships(
    ex: EmbeddedExecutor, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
) -> UpsertResult:
    group = records.prepare_group(RelGroup(type, start, end, rows))
    if not group.rows:
        return UpsertResult()
    with ex.writing() as (db, mem):
        return write_relationships(db, mem, group)[0]


def write_relationships(db: sqlite3.Connection, mem: MemoryGraph, group: RelGroup) -> tuple[UpsertResult, int]:
    """A prepared group (records.prepare_group) inside the caller's transaction, after removing the
    other relationships of a single-valued end (drop_other_ends / drop_other_starts.cypher); the
    counts and how many were removed."""
    type, start, end = group.type, group.start, group.end
    spec = rel_spec(type)  # the registry's cardinality, for every writer alike
    single, per = spec.single, spec.per
    prepared = list(group.rows)
    missing = [f"no {start} {r.start!r}" for r in prepared if not mem.has_label(r.start, start)]
    missing += [f"no {end} {r.end!r}" for r in prepared if not mem.has_label(r.end, end)]
    if missing:
        raise NotFound(f"cannot write {type} relationships: {'; '.join(missing[:5])}")
    doomed: set[tuple[str, str]] = set()
    for row in prepared if single is not None else ():
        if single is Single.START:
            edges = ((row.start, other, p) for other, p in mem.related(row.start, type, outgoing=True)
                     if other != row.end)
        else:
            edges = ((other, row.end, p) for other, p in mem.related(row.end, type, outgoing=False)
                     if other != row.start)
        # Cypher's `r[$per] = row.props[$per]`: a missing value matches nothing
        doomed.update((a, b) for a, b, p in edges
                      if per is None or (p.get(per) is not None and p.get(per) == row.props.get(per)))
    db.executemany('DELETE FROM rels WHERE type = ? AND start = ? AND "end" = ? AND key = \'\'',
                   [(type.value, a, b) for a, b in doomed])
    for a, b in doomed:
        mem.drop_edge(type, a, b)
    result = UpsertResult()
    changed: list[tuple[RelRow, dict[str, Any]]] = []
    for row in prepared:
        old = mem.edge_props(type, row.start, row.end)
        props = merge(old or {}, row.props)
        if old is None:
            result.created += 1
        elif props == old:
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        changed.append((row, props))
    db.executemany(
        'INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, \'\', ?) '
        'ON CONFLICT(type, start, "end", key) DO UPDATE SET props = excluded.props',
        [(type.value, r.start, r.end, dump(p)) for r, p in changed],
    )
    for row, props in changed:
        mem.put_edge(type, row.start, row.end, props)
    return result, len(doomed)


def related(ex: EmbeddedExecutor, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
    type = records.as_rel_type(type)
    found: list[Related] = []
    with ex.reading() as mem:
        for start in range(0, len(ids), _CHECK_EVERY):
            deadline.check()  # a walk from thousands of ids is the one long read: stop it on time
            found.extend(
                Related(i, mem.nodes[other], dict(props))
                for i in ids[start : start + _CHECK_EVERY] if i in mem.nodes
                for other, props in mem.related(i, type, outgoing)
            )
    return found
