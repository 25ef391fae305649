"""The /graphql route: API-key auth, the typed context and error formatting."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any, cast

import orjson
from fastapi import Request
from graphql import GraphQLError, OperationDefinitionNode
from strawberry import Schema
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from service.api import body
from service.api.answers import CALLER_KEY, SCOPE_KEY, Verdict
from service.api.context import Context
from service.api.errors import format_error
from service.api.limits import check_shape, check_variables, parsed, prescan, refusal, shaped
from service.api.response_cache import ResponseCache, is_query
from service.api.schema import build_schema
from service.auth import Caller, bearer_key
from service.deps import caller_of, get_gate, get_runs, get_settings, get_store
from service.errors import AllianceError, ErrorCode, OverLimit, StoreUnavailable, ValidationFailed
from service.graph import causal, deadline
from service.graph.deadline import DeadlineExceeded
from service.http_errors import error_response
from service.request_record import note_cache, note_operation
from service.roles import Role
from service.settings import Settings
from service.web.router import graphiql_page


class AllianceGraphQLRouter(GraphQLRouter[Context, None]):
    def __init__(self, *args: Any, cache_size: int = 0, timeout: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = ResponseCache(cache_size)
        self.timeout = timeout

    def decode_json(self, data: str | bytes) -> object:
        """The body's JSON, an oversized variable refused before its values are built (service/api/body.py)."""
        return body.decode(data)

    def encode_json(self, data: object) -> bytes:
        """orjson writes an answer in a fraction of json's time, non-ASCII as UTF-8; what it refuses (an
        integer past 64 bits, a lone surrogate) json writes, escaped as before."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":")).encode()

    async def execute_single(
        self, request: Any, request_adapter: Any, sub_response: Any, context: Context, root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        """A query text over a limit is refused before it is parsed; the rest runs within the
        wall-clock budget: past it a query is cancelled, the store work it started stops at its next
        deadline check (a Neo4j transaction by its timeout), and the answer is one OVER_LIMIT. A
        mutation is never cancelled from outside (an embedded write in its thread would commit after
        the answer said otherwise): its store calls refuse to start past the deadline, and a Neo4j
        transaction past it rolls back, so what it answers is what was written."""
        text = request_data.query
        refused: OverLimit | GraphQLError | None = (prescan(text) if isinstance(text, str) else None) \
            or check_variables(request_data.variables)
        document = shaped(text) if refused is None and isinstance(text, str) else None
        if document is not None:  # depth, fragment cycles and cost, by the shape of its tokens
            try:
                refused = check_shape(document, request_data.operation_name, request_data.variables,
                                      context.cost_budget, cast(Schema, self.schema)._schema)
                context.priced = True
            except RecursionError:  # nested past what the walk follows: graphql-core's parser decides
                pass
        name = operation_name(None if refused else text, request_data.operation_name)
        note_operation(name)
        verdict = _verdict(request)
        if verdict is not None:
            verdict.operation = name
        if refused is not None:
            return self._result(refusal(refused))
        try:  # a client's bookmarks from another replica (service/graph/causal.py)
            token = request.headers.get(causal.HEADER) if isinstance(request, Request) else None
            given = causal.parse(token) if token else frozenset()
        except ValidationFailed as exc:
            return ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
        answer = self._answer(request, request_adapter, sub_response, context, root_value, request_data)
        with deadline.within(self.timeout), causal.carrying(given) as carried:
            if not (isinstance(text, str) and is_query(text, request_data.operation_name)):
                result = await answer
            else:
                try:
                    result = await asyncio.wait_for(answer, self.timeout)
                except TimeoutError:
                    return self._result(refusal(DeadlineExceeded(deadline.exceeded_message(self.timeout or 0))))
        latest = await carried.latest()
        if latest:
            sub_response.headers[causal.HEADER] = causal.render(latest)
        stopped = next((e.original_error for e in result.errors or ()
                        if isinstance(e.original_error, DeadlineExceeded)), None)
        # a store call that met the deadline first: one refusal, not a page of failed fields
        return self._result(refusal(stopped)) if stopped is not None else result

    @staticmethod
    def _result(result: Any) -> ExecutionResult:
        return ExecutionResult(data=result.data, errors=result.errors)

    async def _answer(
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
            note_cache(hit=False)
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
            if not context.personal_reads:  # an answer with personal data is never kept: each read is audited
                self.answers.saw(question, result)
            return result
        try:
            # read before executing: an answer stored under a version never predates that version
            version = await context.store.version()
        except StoreUnavailable as exc:  # answered now: executing would wait for the store a second time
            sub_response.status_code = ErrorCode.STORE_UNAVAILABLE.status
            return ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
        except AllianceError:  # the executor reports the outage with its own code and status
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        cached = self.answers.get((question, version))
        note_cache(hit=cached is not None)
        verdict = _verdict(request)
        if cached is not None:
            sub_response.headers["X-Response-Cache"] = "hit"
            if verdict is not None:  # the door may keep these bytes (service/api/answers.py)
                verdict.version = version
            return cached
        result = await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)
        if not context.personal_reads:
            self.answers.put((question, version), result)
            if verdict is not None and not result.errors and self.answers.size > 0:
                verdict.version = version
        return result

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            response["errors"] = [format_error(e) for e in result.errors]
        return response

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """GraphiQL's page for a browser's GET (the service's own build, never strawberry's CDN page);
        strawberry's refusals of a request it cannot read (not JSON, no query, a GET it does not
        serve) in the service's error envelope instead of plain text."""
        if isinstance(request, Request) and wants_page(request):
            return graphiql_page()
        try:
            return await super().run(request, context, root_value)
        except Exception as exc:
            # strawberry's HTTPException, known by its fields: its module moved between releases
            status, reason = getattr(exc, "status_code", None), getattr(exc, "reason", None)
            if isinstance(status, int) and isinstance(reason, str):
                return error_response(ErrorCode.for_status(status), reason)
            if isinstance(exc, UnicodeDecodeError):  # strawberry decodes the body before it checks it
                return error_response(ErrorCode.BAD_REQUEST, "the request body is not UTF-8 JSON")
            if isinstance(exc, RecursionError):  # JSON nested deeper than the decoder recurses
                return error_response(ErrorCode.BAD_REQUEST, "the request body nests too deeply to be read")
            raise


def _verdict(request: Any) -> Verdict | None:
    """Where the door (service/api/answers.py) learns that it may keep this request's answer."""
    found = request.scope.get(SCOPE_KEY) if isinstance(request, Request) else None
    return found if isinstance(found, Verdict) else None


def operation_name(text: str | None, requested: str | None) -> str:
    """The operation's name for the access log and the metrics: the one asked for, else the document's only
    operation's, else "anonymous"; a GraphQL Name (ASCII letters, digits, `_`) of at most 64 characters, never
    anything of the query text but that name. A text refused before parsing (None) is not parsed for it."""
    if requested:
        return requested if _OPERATION_NAME.fullmatch(requested) else "anonymous"
    if text is None:
        return "anonymous"
    try:
        operations = [d for d in parsed(text).definitions if isinstance(d, OperationDefinitionNode)]
    except GraphQLError:
        return "anonymous"
    name = operations[0].name if len(operations) == 1 else None
    return name.value if name is not None and _OPERATION_NAME.fullmatch(name.value) else "anonymous"


_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


def wants_page(request: Request) -> bool:
    """A browser opening /graphql: a GET that accepts HTML. GET never executes operations here."""
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


async def graphql_caller(request: Request) -> Caller:
    header = request.headers.get("authorization")
    if wants_page(request) and bearer_key(header) is None:
        return Caller(Role.VIEWER, region_id="")  # GraphiQL's page only, static assets; it executes nothing
    return await caller_of(request, header)


async def graphql_context(request: Request) -> Context:
    """The caller before the store: a request without a key is refused before the store is asked.
    One dependency reading service/deps.py's accessors directly: FastAPI resolves every declared
    dependency per request, and on this path that cost as much as answering from the cache."""
    settings = await get_settings(request)
    known = request.scope.get(CALLER_KEY)  # authenticated (and rate-limited) at the door already
    caller = known if isinstance(known, Caller) else await graphql_caller(request)
    context = Context(await get_store(await get_gate(request)), caller, await get_runs(request))
    context.cost_budget = settings.cost_budget(caller.role)
    return context


def graphql_router(settings: Settings) -> GraphQLRouter[Context, None]:
    """The router's own configuration (cache size) is read here, once; the keys and the store reach each
    request through service/deps.py. strawberry's IDE page (React and GraphiQL from a public CDN) is off:
    a browser's GET gets the service's own GraphiQL build instead (AllianceGraphQLRouter.run), in every
    environment, since it is static assets only and every operation still needs a key."""
    return AllianceGraphQLRouter(
        build_schema(), path="/graphql", graphql_ide=None,
        allow_queries_via_get=False, context_getter=graphql_context, cache_size=settings.response_cache,
        timeout=settings.request_timeout,
    )
