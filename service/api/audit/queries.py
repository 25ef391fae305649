"""auditLog: the audit trail (service/audit.py), newest first, for admin keys only."""

from __future__ import annotations

from typing import Annotated

import strawberry

from service.api.audit.types import AuditRecord
from service.api.limits import DEFAULT_FIRST, check_first
from service.api.shared.connections import Connection, connection
from service.api.shared.nodes import Info, build
from service.audit import AuditQuery
from service.roles import Role


@strawberry.type
class AuditQueryRoot:
    @strawberry.field(description="The audit trail, newest first: every mutation, import, export, analysis run, key "
                                  "change and read of unmasked personal data. from/to: ISO dates (a date covers its "
                                  "whole day, UTC) or date-times, inclusive; entityId: records that touched that id. "
                                  "Admin keys only.")
    async def audit_log(
        self, info: Info, from_: Annotated[str | None, strawberry.argument(name="from")] = None, to: str | None = None,
        key_id: str | None = None, entity_id: strawberry.ID | None = None, operation: str | None = None,
        first: int = DEFAULT_FIRST, after: str | None = None,
    ) -> Connection[AuditRecord]:
        info.context.caller.require_role(frozenset({Role.ADMIN}), "reading the audit log")
        query = AuditQuery(from_, to, key_id, None if entity_id is None else str(entity_id), operation,
                           check_first(first), after)
        page = await info.context.store.audit_log(query)
        return connection(page, "at", lambda node: build(AuditRecord, node))
