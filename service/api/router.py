"""The /graphql route: API-key auth, the typed context and error formatting."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from service.api.context import Context
from service.api.errors import format_error
from service.api.permissions import Caller, KeyRing, Role, bearer_key
from service.api.schema import build_schema
from service.settings import Settings


class AllianceGraphQLRouter(GraphQLRouter[Context, None]):
    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            response["errors"] = [format_error(e) for e in result.errors]
        return response


def graphql_router(settings: Settings) -> GraphQLRouter[Context, None]:
    keys = KeyRing.parse(settings.api_keys)
    development = settings.environment == "development"

    async def context(request: Request) -> Context:
        from service.app import get_gate, get_store  # the app module includes this router

        key = bearer_key(request.headers.get("authorization"))
        caller = keys.lookup(key) if key else None
        if caller is None:
            if development and request.method == "GET":
                caller = Caller(Role.VIEWER, region_id="")  # the IDE page only; GET never executes operations
            else:
                reason = "is not a configured key" if key else "is missing; send `Authorization: Bearer <key>`"
                raise HTTPException(401, detail={"code": "UNAUTHENTICATED", "message": f"the API key {reason}"},
                                    headers={"WWW-Authenticate": "Bearer"})
        store = await get_store(get_gate(request))
        return Context(store, caller)

    return AllianceGraphQLRouter(
        build_schema(), path="/graphql", graphql_ide="graphiql" if development else None,
        allow_queries_via_get=False, context_getter=context,
    )
