"""Each root mutation runs as its own operation for the records it leaves (an agreement version, a
merge record): the field's name and the caller's key id (service/graph/provenance.py).

A field extension on the Mutation type's fields only, the outermost of each (after the audit's): as a
schema extension's `resolve` hook it ran on every field of every query too, a call per resolved value
(a dashboard page resolves about 1,700)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension

from service.graph import provenance


class Acting(FieldExtension):
    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any) -> Any:
        with provenance.acting(info.field_name, info.context.caller.key_id):
            return await next_(source, info, **kwargs)

