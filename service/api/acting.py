"""Each root mutation runs as its own operation for the records it leaves (an agreement version, a
merge record): the field's name and the caller's key id (service/graph/provenance.py)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from service.graph import provenance


class Acting(SchemaExtension):
    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any,
                **kwargs: Any) -> Any:
        if info.parent_type.name != "Mutation":
            return _next(root, info, *args, **kwargs)

        async def acted() -> Any:
            with provenance.acting(info.field_name, info.context.caller.key_id):
                result = _next(root, info, *args, **kwargs)
                return await result if inspect.isawaitable(result) else result

        return acted()
