"""The /graphql route: API-key auth, the typed context and error formatting."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from service.api.context import Context
from service.api.errors import format_error
from service.api.permissions import Caller, KeyRing, Role, bearer_key
from service.api.response_cache import ResponseCache, is_query
from service.api.schema import build_schema
from service.errors import AllianceError
from service.settings import Settings


class AllianceGraphQLRouter(GraphQLRouter[Context, None]):
    def __init__(self, *args: Any, cache_size: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = ResponseCache(cache_size)

    async def execute_single(
        self, request: Any, request_adapter: Any, sub_response: Any, context: Context, root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        text, name = request_data.query, request_data.operation_name
        if self.answers.size <= 0 or not isinstance(text, str) or not is_query(text, name):
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        caller = context.caller
        question = self.answers.question(text, name, request_data.variables, caller.role.value, caller.region_id)
        if not self.answers.admitted(question):
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
            self.answers.saw(question, result)
            return result
        try:
            # read before executing: an answer stored under a version never predates that version
            version = await context.store.version()
        except AllianceError:  # the executor reports the outage with its own code and status
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        cached = self.answers.get((question, version))
        if cached is not None:
            sub_response.headers["X-Response-Cache"] = "hit"
            return cached
        result = await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)
        self.answers.put((question, version), result)
        return result

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

        header = request.headers.get("authorization")
        if development and request.method == "GET" and bearer_key(header) is None:
            caller = Caller(Role.VIEWER, region_id="")  # the IDE page only; GET never executes operations
        else:
            caller = keys.authenticate(header)
        store = await get_store(get_gate(request))
        return Context(store, caller)

    return AllianceGraphQLRouter(
        build_schema(), path="/graphql", graphql_ide="graphiql" if development else None,
        allow_queries_via_get=False, context_getter=context, cache_size=settings.response_cache,
    )
