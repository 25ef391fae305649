"""The staging graph of `alliance load --bulk`: what the loader would write, kept in a private SQLite file
instead of the store, then written out as CSV files for Neo4j's offline importer (loaders/bulk.py).

It answers the part of the GraphStore port a load of node kinds uses (`upsert_batch`, `get_nodes`,
`find_by_names`, `search`) with the stores' rules: a batch is one SQLite transaction (a failing batch leaves
nothing), a later row for an id merges into the earlier (`SET n += row`), an id of another label is a
Conflict, a relationship needs both ends, and a single-valued end replaces its other link. References
resolve against the files staged before (organisations, then items naming them), as sequential loads
would. Everything lives on disk, so memory stays flat whatever the files' size.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from service.errors import Conflict, NotFound
from service.graph import records
from service.graph.embedded.executor import dump, merge  # the embedded store's encoding and SET +=
from service.graph.types import BatchResult, Node, RelGroup, UpsertResult
from service.model import Label, RelType
from service.registry import Single, rel_spec

_CHUNK = 500  # ids per `IN (…)` lookup: below SQLite's bound on parameters
ARRAY_DELIMITER = "\x1f"  # between a list's values in the importer's CSV: a character no office cell holds
_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT, props TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_name ON nodes (label, name);
CREATE TABLE IF NOT EXISTS rels (type TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL,
                                 start_label TEXT NOT NULL, end_label TEXT NOT NULL, props TEXT NOT NULL,
                                 PRIMARY KEY (type, start, "end"));
CREATE INDEX IF NOT EXISTS rels_end ON rels (type, "end");
"""


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


class StagingGraph:
    """A GraphStore for the loader's writes and lookups during a bulk load (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        # the journal in memory: cheap, and ROLLBACK (a failing batch) works, which it does not with none
        self._db.executescript("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -16000;"
                               + _SCHEMA)

    async def migrate(self) -> None:
        return None

    def copy_to(self, path: Path) -> None:
        """The staged graph as it is now, into a new file at `path` (a part's start, loaders/parts.py)."""
        with closing(sqlite3.connect(path)) as copy:
            self._db.backup(copy)

    def merge(self, part: Path, base: Path) -> None:
        """What a part's load changed in its copy of `base` (loaders/parts.py), written here in one transaction:
        its new and changed nodes and relationships, and the relationships it removed. The parts touched
        different nodes, so they merge in any order."""
        db = self._db
        db.execute("ATTACH ? AS part", (str(part),))
        db.execute("ATTACH ? AS base", (str(base),))
        try:
            db.execute("BEGIN")
            try:
                # each a scan of the part's copy with a seek into the base's primary key per row
                db.execute("INSERT INTO main.nodes (id, label, name, props) SELECT p.id, p.label, p.name, p.props "
                           "FROM part.nodes p WHERE NOT EXISTS (SELECT 1 FROM base.nodes b WHERE b.id = p.id AND "
                           "b.label = p.label AND b.name IS p.name AND b.props = p.props) "
                           "ON CONFLICT(id) DO UPDATE SET label = excluded.label, name = excluded.name, "
                           "props = excluded.props")
                db.execute('DELETE FROM main.rels WHERE (type, start, "end") IN (SELECT type, start, "end" FROM '
                           'base.rels b WHERE NOT EXISTS (SELECT 1 FROM part.rels p WHERE p.type = b.type AND '
                           'p.start = b.start AND p."end" = b."end"))')
                db.execute('INSERT INTO main.rels SELECT * FROM part.rels p WHERE NOT EXISTS (SELECT 1 FROM base.rels '
                           'b WHERE b.type = p.type AND b.start = p.start AND b."end" = p."end" AND b.props = p.props '
                           'AND b.start_label = p.start_label AND b.end_label = p.end_label) '
                           'ON CONFLICT(type, start, "end") DO UPDATE SET start_label = excluded.start_label, '
                           'end_label = excluded.end_label, props = excluded.props')
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.execute("DETACH part")
            db.execute("DETACH base")

    async def close(self) -> None:
        self._db.close()

    # reads ------------------------------------------------------------------------------------
    def _nodes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            out.update((i, (lbl, p)) for i, lbl, p in self._db.execute(
                f"SELECT id, label, props FROM nodes WHERE id IN ({marks})", part))
        return out

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        found = self._nodes(list(ids))
        return [Node(i, Label(found[i][0]), _loads(found[i][1])) for i in ids if i in found]

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        out: list[Node] = []
        for part in _chunks(list(names)):
            marks = ",".join("?" * len(part))
            out.extend(Node(i, label, _loads(p)) for i, p in self._db.execute(
                f"SELECT id, props FROM nodes WHERE label = ? AND name IN ({marks})", [label.value, *part]))
        return sorted(out, key=lambda n: n.id)

    async def search(self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None
                     ) -> list[Node]:
        return []  # no full-text index here: an unknown name gets no "did you mean" in a bulk load

    async def count(self) -> tuple[int, int]:
        [(nodes,)] = self._db.execute("SELECT count(*) FROM nodes")
        [(rels,)] = self._db.execute("SELECT count(*) FROM rels")
        return int(nodes), int(rels)

    # writes -----------------------------------------------------------------------------------
    async def upsert_batch(self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]],
                           relationships: Sequence[RelGroup]) -> BatchResult:
        node_steps, groups = records.prepare_batch(nodes, relationships)
        out = BatchResult()
        db = self._db
        db.execute("BEGIN")
        try:
            for label, rows in node_steps:
                out.nodes.append(self._write_nodes(label, rows))
            for g in groups:
                result, removed = self._write_rels(g)
                out.relationships.append(result)
                out.removed += removed
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return out

    def _write_nodes(self, label: Label, rows: list[dict[str, Any]]) -> UpsertResult:
        old = self._nodes([r["id"] for r in rows])
        clashes = [i for i, (lbl, _) in old.items() if lbl != label.value]
        if clashes:
            raise Conflict(f"cannot write {label} nodes: ids already used by other labels: {', '.join(clashes[:5])}")
        result = UpsertResult()
        changed: list[tuple[str, str, Any, str]] = []
        for row in rows:
            before = _loads(old[row["id"]][1]) if row["id"] in old else None
            props = records.kept(label, merge(before or {}, row))  # imported as the stores write it: no backfill after
            if before is None:
                result.created += 1
            elif props == before:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            changed.append((row["id"], label.value, props.get("name"), _dump(props)))
        self._db.executemany("INSERT INTO nodes (id, label, name, props) VALUES (?, ?, ?, ?) ON CONFLICT(id) "
                             "DO UPDATE SET name = excluded.name, props = excluded.props", changed)
        return result

    def _write_rels(self, g: RelGroup) -> tuple[UpsertResult, int]:
        type_, start, end = g.type, g.start, g.end
        rows = list(g.rows)
        labels = self._nodes(sorted({r.start for r in rows} | {r.end for r in rows}))
        missing = [f"no {start} {r.start!r}" for r in rows if labels.get(r.start, ("",))[0] != start.value]
        missing += [f"no {end} {r.end!r}" for r in rows if labels.get(r.end, ("",))[0] != end.value]
        if missing:
            raise NotFound(f"cannot write {type_} relationships: {'; '.join(missing[:5])}")
        spec = rel_spec(type_)
        # the type's relationships at the group's starts (and, single at the end, its ends): a few chunked lookups
        starts = sorted({r.start for r in rows})
        at_start = self._rels(type_, "start", starts) if spec.single is not Single.END else {}
        at_end = self._rels(type_, "end", sorted({r.end for r in rows})) if spec.single is Single.END else {}
        doomed: set[tuple[str, str]] = set()
        for row in rows if spec.single is not None else ():
            if spec.single is Single.START:
                edges = [(row.start, b, p) for (a, b), p in at_start.get(row.start, {}).items() if b != row.end]
            else:
                edges = [(a, row.end, p) for (a, b), p in at_end.get(row.end, {}).items() if a != row.start]
            per = spec.per
            doomed.update((a, b) for a, b, p in edges if per is None or (
                (v := p.get(per)) is not None and v == row.props.get(per)))
        db = self._db
        db.executemany('DELETE FROM rels WHERE type = ? AND start = ? AND "end" = ?',
                       [(type_.value, a, b) for a, b in doomed])
        result = UpsertResult()
        old: dict[tuple[str, str], dict[str, Any]] = {}
        for found in (at_end if spec.single is Single.END else at_start).values():
            old.update((pair, p) for pair, p in found.items() if pair not in doomed)
        changed: list[tuple[str, str, str, str, str, str]] = []
        for row in rows:
            before = old.get((row.start, row.end))
            props = merge(before or {}, row.props)
            if before is None:
                result.created += 1
            elif props == before:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            changed.append((type_.value, row.start, row.end, start.value, end.value, _dump(props)))
        db.executemany('INSERT INTO rels (type, start, "end", start_label, end_label, props) VALUES (?, ?, ?, ?, ?, ?) '
                       'ON CONFLICT(type, start, "end") DO UPDATE SET props = excluded.props', changed)
        return result, len(doomed)

    def _rels(self, type_: RelType, end: str, ids: Sequence[str]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
        """The relationships of `type_` whose `end` ("start" or "end") is one of `ids`, by that id."""
        out: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            query = f'SELECT start, "end", props FROM rels WHERE type = ? AND "{end}" IN ({marks})'
            for a, b, p in self._db.execute(query, [type_.value, *part]):
                out.setdefault(a if end == "start" else b, {})[a, b] = _loads(p)
        return out

    # the importer's files ---------------------------------------------------------------------
    def write_import_files(self, folder: Path) -> ImportFiles:
        """Nodes and relationships as CSV files for `neo4j-admin database import full`: one file per label
        (relationship type) and set of typed properties, so every value keeps its type and no cell is empty."""
        with ImportWriter(folder) as writer:
            for label, props in self._db.execute("SELECT label, props FROM nodes ORDER BY label"):
                writer.node(label, _loads(props), text=props)
            rels = self._db.execute('SELECT type, start, "end", props FROM rels ORDER BY type')
            for type_, start, end, props in rels:
                writer.relationship(type_, start, end, _loads(props), text=props)
        return writer.files


class ImportWriter:
    """Nodes and relationships written as they come into the importer's CSV files in `folder`: one file per
    label (type) and set of typed properties, so every value keeps its type and no cell is empty. Rows go
    straight to disk (memory stays flat); the files are complete once the writer is closed."""

    def __init__(self, folder: Path) -> None:
        self.files = ImportFiles()
        self._writers = _Writers(folder)

    def node(self, label: str, props: Mapping[str, Any], text: str | None = None) -> None:
        """One node; `text`, the properties' JSON when the caller has it, finds a line break faster."""
        values = dict(props)
        node_id = values.pop("id")
        path, writer, keys = self._writers.of("n", label, values, ("id:ID",))
        writer.writerow([node_id, *[v if (v := values[k]).__class__ is str else _cell(v) for k in keys]])
        self._note_breaks(text, values, node_id)
        self.files.nodes.setdefault(path, f"{label}:Entity")

    def relationship(self, type_: str, start: str, end: str, props: Mapping[str, Any],
                     text: str | None = None) -> None:
        path, writer, keys = self._writers.of("r", type_, props, (":START_ID", ":END_ID"))
        writer.writerow([start, end, *[v if (v := props[k]).__class__ is str else _cell(v) for k in keys]])
        self._note_breaks(text, props, start + end)
        self.files.relationships.setdefault(path, RelType(type_).value)

    def _note_breaks(self, text: str | None, values: Mapping[str, Any], ids: str) -> None:
        """A line break in any value makes the importer parse quoted fields over lines (much slower): only then.
        JSON escapes a line break inside a value as \\n, so the text is searched for that."""
        if self.files.multiline:
            return
        if "\n" in ids or "\r" in ids:
            self.files.multiline = True
        elif text is not None:
            self.files.multiline = "\\n" in text or "\\r" in text
        else:
            self.files.multiline = any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in values.values())

    def __enter__(self) -> ImportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._writers.__exit__(*exc)


def _dump(props: Mapping[str, Any]) -> str:
    """The embedded store's encoding of a row (dump()), by orjson when no value is a float: alike for strings,
    integers, booleans and lists, several times faster (orjson writes NaN as null, and floats otherwise)."""
    if any(v.__class__ is float or v.__class__ is list for v in props.values()):
        return dump(props)
    try:
        return orjson.dumps(props, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits
        return dump(props)


def _loads(props: str) -> dict[str, Any]:
    """A staged row's properties: orjson reads dump()'s JSON alike, several times faster; json for what it refuses."""
    try:
        values: dict[str, Any] = orjson.loads(props)
    except orjson.JSONDecodeError:  # NaN or an integer beyond 64 bits, which json.dumps writes
        values = json.loads(props)
    return values


@dataclass
class ImportFiles:
    nodes: dict[Path, str] = field(default_factory=dict)  # file -> its labels, "ListItem:Entity"
    relationships: dict[Path, str] = field(default_factory=dict)  # file -> its type
    # a value holds a line break: the importer must parse quoted fields over lines, much slower, so only then
    multiline: bool = False


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        return (_type(value[0]) if value and all(type(v) is type(value[0]) for v in value) else "string") + "[]"
    return "string"


def _columns(values: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((k, _type(v)) for k, v in sorted(values.items()))


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


class _Writers:
    """One open CSV file per label (type) and column set, each with its header first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: dict[tuple[Any, ...], tuple[Path, TextIO, Any]] = {}
        # a row's keys and value types -> its file and columns: a file has few shapes, so most rows skip _columns
        self._shapes: dict[tuple[Any, ...], tuple[Path, Any, tuple[str, ...]]] = {}

    def of(self, kind: str, name: str, values: Mapping[str, Any], head: tuple[str, ...]
           ) -> tuple[Path, Any, tuple[str, ...]]:
        """The file (and its csv writer) for a row of `values`, and the keys in its columns' order."""
        types = tuple(map(type, values.values()))
        shape = (kind, name, tuple(values), types)
        known = self._shapes.get(shape)
        if known is not None:
            return known
        columns = _columns(values)
        key = (kind, name, columns)
        entry = self._open.get(key)
        if entry is None:
            path = self.folder / f"{kind}{len(self._open):03d}-{name}.csv"
            handle = path.open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow([*head, *(f"{k}:{t}" for k, t in columns)])
            entry = self._open[key] = (path, handle, writer)
        known = (entry[0], entry[2], tuple(k for k, _ in columns))
        if list not in types:  # a list's column type depends on its elements too
            self._shapes[shape] = known
        return known

    def __enter__(self) -> _Writers:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, handle, _ in self._open.values():
            handle.close()
