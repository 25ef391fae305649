"""AuditRecord: one audited operation (service/audit.py), as admin keys read it through auditLog."""

from __future__ import annotations

import strawberry

from service.api.shared.nodes import Entity, entity
from service.graph.types import Node
from service.model import Label


@entity(Label.AUDIT_RECORD)
@strawberry.type(description="One audited operation: when, which key (its id; `cli:<user>` from the command line), "
                             "role and region, the operation, the ids it touched and its outcome. Never a personal "
                             "value. Append-only; admin keys only (auditLog).")
class AuditRecord(Entity):
    at: str | None = strawberry.field(description="When, in UTC (ISO 8601, microseconds).")
    key_id: str | None = strawberry.field(description="The key's id (ak-… or key-…), never its secret; "
                                                      "cli:<OS user> for the command line.")
    role: str  # as ApiKey.role: a query asking both on `node` must validate
    region_id: strawberry.ID | None = strawberry.field(description="The key's region scope; null: everywhere.")
    operation: str | None = strawberry.field(
        description="A mutation's name (claimItem), query:<root fields> for a read that carried personal data, "
                    "import:<kind>, export:<kind>, analysis.run, keys.create|revoke|rotate, audit.prune …")
    ids: list[str] | None = strawberry.field(description="The ids the operation named or made (at most 100).")
    outcome: str | None = strawberry.field(description="OK, or the error code it answered.")
    raw: strawberry.Private[Node]
