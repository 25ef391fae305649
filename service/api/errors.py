"""GraphQL errors with a stable `extensions.code` from service/errors.py; nothing internal reaches the client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from service.errors import AllianceError, ErrorCode, StoreUnavailable
from service.http_errors import internal_message
from service.request_record import note_error

_LIMIT_MESSAGES = re.compile(
    r"exceeds maximum operation depth|aliases found|more than \d+ tokens|Parsing aborted|Validation aborted|"
    r"introspection depth",
    re.IGNORECASE,
)


def code_of(error: GraphQLError) -> ErrorCode:
    original = error.original_error
    if isinstance(original, AllianceError):
        return original.code
    if original is None or isinstance(original, GraphQLError):
        return ErrorCode.OVER_LIMIT if _LIMIT_MESSAGES.search(error.message) else ErrorCode.VALIDATION
    return ErrorCode.INTERNAL


def format_error(error: GraphQLError) -> dict[str, Any]:
    code = code_of(error)
    note_error(code)  # every GraphQL error passes here: counted and logged by its code
    original = error.original_error
    if code is ErrorCode.INTERNAL:
        message = internal_message(original, error.path)
    elif isinstance(original, AllianceError):
        message = str(original)
    else:
        message = error.message
    formatted: dict[str, Any] = {"message": message, "extensions": {"code": code.value}}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted


class ResponseMeta(SchemaExtension):
    """After each operation: a 503 when the store was unavailable, and the statement count header."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        response = getattr(context, "response", None)
        if response is None:
            return
        counter = getattr(context, "counter", None)
        if counter is not None:
            response.headers["X-Store-Statements"] = str(counter.calls)
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or []
        if any(isinstance(e.original_error, StoreUnavailable) for e in errors):
            response.status_code = 503
