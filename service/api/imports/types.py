"""Import: one file loaded (loaders/history.py), as the importer and admin roles see it."""

from __future__ import annotations

import strawberry

from service.api.shared.nodes import Entity, entity
from service.graph.types import Node
from service.model import Label


@entity(Label.IMPORT)
@strawberry.type(description="A file loaded by `alliance load` or POST /import: its name and sha256, the key that "
                             "loaded it (a fingerprint; \"cli\" from the command line), when, and what the load did.")
class Import(Entity):
    file: str | None
    sha256: str | None
    kind: str | None
    key_id: str | None
    at: str | None = strawberry.field(description="When, in UTC (ISO 8601).")
    format: str | None
    written: bool | None = strawberry.field(description="false: a dry run, or a file --strict refused.")
    strict: bool | None
    dry_run: bool | None
    rows: int | None
    created: int | None
    updated: int | None
    unchanged: int | None
    rejected: int | None
    rejects_file: str | None = strawberry.field(
        description="Set when rows were rejected; over HTTP, GET /import/{id}/rejects with the same key.")
    error: str | None = strawberry.field(description="Why the whole file was refused, when it was.")
    raw: strawberry.Private[Node]
