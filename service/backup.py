"""Backup and restore of the whole graph in one portable file, for either store.

The file is gzip'd JSON lines, written and read as a stream:

    {"format": "alliance-graph-backup", "formatVersion": 1, "model": <sha256 of the registry>, ...}
    {"node": "Region", "props": {"id": "650106", ...}}            every node, label by label
    {"rel": "PART_OF", "start": "650106001", "end": "650106", "props": {}}   then every relationship
    {"complete": true, "nodes": {label: n}, "relationships": {type: n}, "sha256": <of every line above>}

The counts and the checksum come last because the content is streamed (neither store has to hold the
graph in memory to write it); a file without that last line is truncated. It holds everything the
store holds, personal data included (it is the system of record), so it is written with mode 0600.

A backup is written to FILE.partial, flushed to disk and only then renamed to FILE: an interrupted
backup never leaves a file under the name asked for. A restore reads the whole file once to check it
(format, model, every line, the counts and the checksum) before it writes anything, and writes only
into an empty store; if writing fails midway, it empties the store again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from service.errors import AllianceError, ErrorCode, StoreUnavailable
from service.graph.port import GraphStore
from service.graph.types import Edge, Node
from service.model import Label, RelType
from service.registry import labels, relationship_types

FORMAT = "alliance-graph-backup"
FORMAT_VERSION = 1
BATCH = 5_000  # nodes or relationships per restore transaction: bounded memory in Neo4j's pool
ATTEMPTS = 5  # Neo4j exports tried before giving up when writes keep committing during each


class BackupRefused(AllianceError):
    """A file restore will not read: foreign, corrupt or truncated. Nothing was changed."""

    code = ErrorCode.FILE_REJECTED


class StoreNotEmpty(AllianceError):
    code = ErrorCode.CONFLICT


class StoreBusy(StoreUnavailable):
    """Writes kept committing during every attempt at a consistent Neo4j export."""


@cache
def model_checksum() -> str:
    """The registry's labels, their properties and the relationship types with their ends, hashed:
    a backup names the model it was written under."""
    model = {
        "labels": {s.label.value: [[p.name, p.kind.value, p.required, bool(p.personal)] for p in s.props]
                   for s in labels()},
        "relationships": {s.type.value: [sorted(f"{a}>{b}" for a, b in s.ends), [p.name for p in s.props]]
                          for s in relationship_types()},
    }
    return hashlib.sha256(_line(model)).hexdigest()


def _line(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def _record(item: Node | Edge) -> dict[str, Any]:
    if isinstance(item, Node):
        return {"node": item.label.value, "props": item.props}
    return {"rel": item.type.value, "start": item.start, "end": item.end, "props": item.props}


@dataclass
class Summary:
    """What a backup wrote or a restore read."""

    path: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    attempts: int = 1
    header: dict[str, Any] = field(default_factory=dict)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


# writing --------------------------------------------------------------------------------------
class _Writer:
    """Lines hashed as they come and handed to gzip in chunks (each write to GzipFile is one
    compress call: per line, that was a tenth of a backup's time)."""

    CHUNK = 1 << 18

    def __init__(self, out: gzip.GzipFile) -> None:
        self._out = out
        self._pending: list[bytes] = []
        self._size = 0
        self.sha = hashlib.sha256()
        self.nodes: Counter[str] = Counter()
        self.relationships: Counter[str] = Counter()

    def write(self, obj: Mapping[str, Any]) -> None:
        data = _line(obj)
        self.sha.update(data)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self._out.write(b"".join(self._pending))
        self._pending.clear()
        self._size = 0

    def __call__(self, item: Node | Edge) -> None:
        if isinstance(item, Node):
            self.nodes[item.label.value] += 1
        else:
            self.relationships[item.type.value] += 1
        self.write(_record(item))


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


async def backup(store: GraphStore, path: Path, store_kind: str, service_version: str,
                 attempts: int = ATTEMPTS) -> Summary:
    """Write the store's graph to `path`, as one consistent state, while the service goes on."""
    path = Path(path)
    if path.exists():
        raise BackupRefused(f"{path}: already exists; a backup never overwrites a file (choose a new name "
                            "or move the old one away)")
    partial = partial_path(path)
    header = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "model": model_checksum(),
              "labels": [s.label.value for s in labels()], "types": [s.type.value for s in relationship_types()],
              "store": store_kind, "service": service_version,
              "created": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        for attempt in range(1, attempts + 1):
            with _private_file(partial) as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as gz:
                    writer = _Writer(gz)
                    writer.write(header)
                    consistent = await store.export_graph(writer)
                    if consistent:
                        writer.write({"complete": True, "nodes": dict(writer.nodes),
                                      "relationships": dict(writer.relationships), "sha256": writer.sha.hexdigest()})
                    writer.flush()
                raw.flush()
                os.fsync(raw.fileno())
            if consistent:
                os.replace(partial, path)
                _sync_folder(path.parent)
                return Summary(path, dict(writer.nodes), dict(writer.relationships), attempt, header)
        raise StoreBusy(f"writes committed during each of {attempts} exports, so none is one consistent state: "
                        "back up at a quieter moment, or stop the server and use `neo4j-admin database dump`")
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


@contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    """`path` truncated and opened for writing with mode 0600 (the backup holds personal data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a leftover .partial may have had another mode
    with os.fdopen(fd, "wb") as raw:
        yield raw


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (a crash right after it must not lose it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# reading ---------------------------------------------------------------------------------------
@dataclass
class _Checked:
    """A file read to its end and found whole: its header, counts and the label of every node."""

    header: dict[str, Any]
    sha256: str
    nodes: dict[str, int]
    relationships: dict[str, int]
    label_of: dict[str, Label]


def _refused(path: Path, reason: str) -> BackupRefused:
    return BackupRefused(f"{path}: not restored, {reason}; nothing was changed")


def _lines(path: Path) -> Iterator[bytes]:
    """The file's lines, with gzip's own failures as refusals naming the reason."""
    try:
        with gzip.open(path, "rb") as gz:
            yield from gz
    except EOFError as exc:
        raise _refused(path, "the file is truncated (it ends before the end of its compressed stream)") from exc
    except gzip.BadGzipFile as exc:
        if "Not a gzipped file" in str(exc):
            raise _refused(path, "it is not an Alliance Graph backup (not a gzip file)") from exc
        raise _refused(path, f"the file is corrupt ({exc})") from exc
    except zlib.error as exc:
        raise _refused(path, f"the file is corrupt (its compressed data is damaged: {exc})") from exc


def _check_header(path: Path, first: bytes | None, allow_other_model: bool) -> dict[str, Any]:
    if first is None:
        raise _refused(path, "the file is empty")
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _refused(path, f"it is not an Alliance Graph backup (its first line does not name the format {FORMAT})")
    if header.get("formatVersion") != FORMAT_VERSION:
        raise _refused(path, f"it is in format version {header.get('formatVersion')!r}; this service reads version "
                             f"{FORMAT_VERSION}")
    unknown = (sorted(set(header.get("labels") or []) - {label.value for label in Label})
               + sorted(set(header.get("types") or []) - {t.value for t in RelType}))
    if unknown:
        raise _refused(path, f"it was written under another model: {', '.join(unknown)} are not in this one")
    if header.get("model") != model_checksum() and not allow_other_model:
        raise _refused(path, f"it was written under another version of the model (model {header.get('model')}, "
                             f"this service has {model_checksum()}, by alliance-graph {header.get('service')}); "
                             "--allow-other-model restores it when every label and type it holds is known here")
    return header


def check(path: Path, allow_other_model: bool = False) -> _Checked:
    """Read the whole file and refuse it unless it is a complete, intact backup of this model."""
    path = Path(path)
    if not path.is_file():
        raise _refused(path, "there is no such file")
    lines = _lines(path)
    first = next(lines, None)
    header = _check_header(path, first, allow_other_model)
    sha = hashlib.sha256()
    sha.update(first or b"")
    nodes: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    label_of: dict[str, Label] = {}
    trailer: dict[str, Any] | None = None
    for number, data in enumerate(lines, start=2):
        if trailer is not None:
            raise _refused(path, f"line {number} follows the file's last line: the file is corrupt")
        try:
            obj = json.loads(data)
            if obj.get("complete") is True:
                trailer = obj
                continue
            sha.update(data)
            item = _item(obj)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise _refused(path, f"line {number} is not a node or relationship of this model: the file is "
                                 f"corrupt ({exc.__class__.__name__})") from exc
        if isinstance(item, Node):
            if rels:
                raise _refused(path, f"line {number}: a node after the relationships: the file is corrupt")
            if item.id in label_of:
                raise _refused(path, f"line {number}: node {item.id!r} a second time: the file is corrupt")
            label_of[item.id] = item.label
            nodes[item.label.value] += 1
        else:
            missing = [end for end in (item.start, item.end) if end not in label_of]
            if missing:
                raise _refused(path, f"line {number}: a {item.type} relationship names node {missing[0]!r}, which "
                                     "the file does not hold: the file is corrupt")
            rels[item.type.value] += 1
    if trailer is None:
        raise _refused(path, "the file is truncated (its last line, with the counts and checksum, is missing)")
    if trailer.get("sha256") != sha.hexdigest():
        raise _refused(path, "the file is corrupt (its content does not match its checksum)")
    if trailer.get("nodes") != dict(nodes) or trailer.get("relationships") != dict(rels):
        raise _refused(path, "the file is corrupt (its counts do not match its content)")
    return _Checked(header, sha.hexdigest(), dict(nodes), dict(rels), label_of)


def _item(obj: Mapping[str, Any]) -> Node | Edge:
    """One body line as a Node or Edge; KeyError / ValueError / TypeError when it is not one."""
    props = obj["props"]
    if not isinstance(props, dict):
        raise TypeError("props")
    if "node" in obj:
        node_id = props["id"]
        if not isinstance(node_id, str):
            raise TypeError("id")
        return Node(node_id, Label(obj["node"]), props)
    start, end = obj["start"], obj["end"]
    if not isinstance(start, str) or not isinstance(end, str):
        raise TypeError("ends")
    return Edge(RelType(obj["rel"]), start, end, props)


async def restore(store: GraphStore, path: Path, location: str, allow_other_model: bool = False,
                  batch: int = BATCH) -> Summary:
    """Check the whole file, then write it into the store, which must hold no node of the model."""
    path = Path(path)
    checked = check(path, allow_other_model)
    held = sum((await store.count_by_label()).values())
    if held:
        raise StoreNotEmpty(f"{path}: not restored, the {location} already holds {held:,} nodes; a restore writes "
                            "only into an empty store (nothing was changed)")
    await store.migrate()
    try:
        await _write(store, path, checked, batch)
    except BaseException:
        await store.clear()  # it was empty: leave it so, never half a graph
        raise
    counts = {label.value: n for label, n in (await store.count_by_label()).items() if n}
    if counts != checked.nodes:
        await store.clear()
        raise AllianceError(f"{path}: the restored store holds {sum(counts.values()):,} nodes where the file holds "
                            f"{sum(checked.nodes.values()):,}; the store was emptied again")
    return Summary(path, checked.nodes, checked.relationships, 1, checked.header)


async def _write(store: GraphStore, path: Path, checked: _Checked, batch: int) -> None:
    """The file again, in batches of one label, or of one type between two labels (a type's lines come
    together, but its ends' labels alternate: each pair of labels fills its own batch)."""
    sha = hashlib.sha256()
    nodes: list[dict[str, Any]] = []
    node_label: Label | None = None
    edges: dict[tuple[RelType, Label, Label], list[Edge]] = {}

    async def flush_nodes() -> None:
        if nodes and node_label is not None:
            await store.restore_nodes(node_label, nodes)
        nodes.clear()

    async def flush_edges(kind: tuple[RelType, Label, Label] | None = None) -> None:
        for each in [kind] if kind else list(edges):
            group = edges.pop(each, [])
            if group:
                await store.restore_relationships(*each, group)

    lines = _lines(path)
    sha.update(next(lines))  # the header, checked already
    for data in lines:
        obj = json.loads(data)
        if obj.get("complete") is True:
            break
        sha.update(data)
        item = _item(obj)
        if isinstance(item, Node):
            if item.label is not node_label or len(nodes) >= batch:
                await flush_nodes()
                node_label = item.label
            nodes.append(item.props)
            continue
        await flush_nodes()
        kind = (item.type, checked.label_of[item.start], checked.label_of[item.end])
        if edges and kind[0] is not next(iter(edges))[0]:
            await flush_edges()  # the next type: the last one's batches are complete
        group = edges.setdefault(kind, [])
        group.append(item)
        if len(group) >= batch:
            await flush_edges(kind)
    await flush_nodes()
    await flush_edges()
    if sha.hexdigest() != checked.sha256:
        raise BackupRefused(f"{path}: changed while it was being restored; the store was emptied again")


async def fingerprint(store: GraphStore) -> tuple[dict[str, int], str]:
    """Node counts by label and one checksum of every node's properties and every relationship, in
    no particular order: equal for two stores holding the same graph, whichever their kind."""
    found: list[bytes] = []
    counts: Counter[str] = Counter()

    def sink(item: Node | Edge) -> None:
        if isinstance(item, Node):
            counts[item.label.value] += 1
        found.append(_line(_record(item)))

    await store.export_graph(sink)
    sha = hashlib.sha256()
    for data in sorted(found):
        sha.update(data)
    return dict(counts), sha.hexdigest()

