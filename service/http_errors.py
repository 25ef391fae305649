"""The one error envelope of the REST endpoints: `{"error": {"code", "message"}}` with the status
service/errors.py declares for the code, whatever raised it (a domain error, the framework's 404 /
405, request validation, an unexpected exception). /graphql keeps GraphQL's own `errors` list for
what happens inside an operation; what stops a request before it (no key, no store) answers here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from service.errors import AllianceError, ErrorCode, RateLimited
from service.request_record import note_error

log = logging.getLogger("alliance.errors")
GRAPHQL_PATH = "/graphql"


def envelope(code: ErrorCode, message: str) -> dict[str, Any]:
    note_error(code)  # every REST error passes here: counted and logged by its code (service/request_record.py)
    return {"error": {"code": code.value, "message": message}}


def error_response(code: ErrorCode, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(envelope(code, message), status_code=code.status, headers=headers)


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    """The answer to a domain error raised before any route ran (service/api/answers.py) or in one."""
    assert isinstance(exc, AllianceError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.code.status == 401 else None  # KEY_EXPIRED, KEY_REVOKED too
    if isinstance(exc, RateLimited):
        return _rate_limited(request, exc)
    return error_response(exc.code, str(exc), headers)


def _rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
    """429 with Retry-After; on /graphql in GraphQL's own shape (`errors[].extensions.code`), since a GraphQL
    client (the pages' service/web api.js) reads its errors there and would take an envelope for empty data."""
    headers = {"Retry-After": str(exc.retry_after)}
    if request.scope.get("path") != GRAPHQL_PATH:
        return error_response(exc.code, str(exc), headers)
    note_error(exc.code)
    body = {"data": None, "errors": [{"message": str(exc), "extensions": {"code": exc.code.value}}]}
    return JSONResponse(body, status_code=exc.code.status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """The framework's own refusals: an unknown route, a method a route lacks, an unreadable body."""
    assert isinstance(exc, HTTPException)
    code = ErrorCode.for_status(exc.status_code)
    if code is ErrorCode.NOT_FOUND:
        message = f"no endpoint {request.method} {request.url.path}"
    elif code is ErrorCode.METHOD_NOT_ALLOWED:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    # the framework's status stands (a 400 or 413 it chose); the code names it
    return JSONResponse(envelope(code, message), status_code=exc.status_code, headers=exc.headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # where and what only: the rejected input may be large or personal, so it is not echoed
    reasons = [f"{_location(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
    return error_response(ErrorCode.VALIDATION, "; ".join(reasons) or "the request is not valid")


def internal_message(exc: BaseException | None, where: object) -> str:
    """Logs an unexpected error under a new reference and answers the message the client gets:
    the reference only, as its own message may hold data or query text (GraphQL uses it too)."""
    reference = uuid.uuid4().hex[:12]
    log.error("internal error %s: %s at %s", reference, type(exc).__name__, where)
    log.debug("internal error %s", reference, exc_info=exc)
    return f"internal error (reference {reference}); the service log has the details"


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(ErrorCode.INTERNAL, internal_message(exc, f"{request.method} {request.url.path}"))


def install(app: FastAPI) -> None:
    """Answer every error of the app in the envelope."""
    app.add_exception_handler(AllianceError, domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
