"""The GraphQL side of the audit trail (service/audit.py): each mutation field is recorded around its resolver
(`AuditedMutation`, added to every Mutation field by build_schema), and an operation whose answer carried
unmasked personal data (Context.personal_reads, filled where service/masking.py lets a value through) is
recorded when it ends (`PersonalReads`); if that record cannot be written the answer is AUDIT_FAILED, not the
data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, OperationType
from strawberry.extensions import FieldExtension, SchemaExtension

from service import audit


class AuditedMutation(FieldExtension):
    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any) -> Any:
        ctx = info.context
        async with audit.recorded(ctx.base_store, audit.actor_of(ctx.caller), info.field_name,
                                  audit.touched_ids(kwargs)):
            return await next_(source, info, **kwargs)


def _root_fields(document: Any, operation_name: str | None) -> list[str]:
    for definition in getattr(document, "definitions", ()):
        if isinstance(definition, OperationDefinitionNode) and (
                operation_name is None or (definition.name and definition.name.value == operation_name)):
            return [s.name.value for s in definition.selection_set.selections if isinstance(s, FieldNode)]
    return []


class PersonalReads(SchemaExtension):
    """After a query whose answer held unmasked personal values: one record naming the nodes they belong to."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        ec = self.execution_context
        context = ec.context
        read = getattr(context, "personal_reads", None)
        if not read or ec.operation_type is OperationType.MUTATION:  # a mutation is recorded by its fields
            return
        fields = _root_fields(ec.graphql_document, ec.operation_name) or ["?"]
        entry = audit.Entry(audit.actor_of(context.caller), "query:" + ",".join(sorted(set(fields))))
        entry.touch(*sorted(read))
        await audit.append(context.base_store, entry.row())
