"""Every error code the service answers, declared once with its HTTP status, and the domain errors.

A REST endpoint answers an error as `{"error": {"code", "message"}}` with the status declared here;
GraphQL carries the same code as `extensions.code` (its HTTP status stays 200, but for a 503 when
the store is unavailable). A test fails when a code is raised anywhere without being declared here."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """A stable code and its HTTP status. A bare status from the framework (an unknown route's 404,
    a 405) takes the first code declared with that status, so the general code of a status comes first."""

    status: int

    def __new__(cls, code: str, status: int) -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        return member

    BAD_REQUEST = "BAD_REQUEST", 400  # a request that cannot be read: a malformed body or upload
    UNAUTHENTICATED = "UNAUTHENTICATED", 401  # no API key, or one that is not configured
    KEY_EXPIRED = "KEY_EXPIRED", 401  # a stored key past its expiry (alliance keys create --expires)
    KEY_REVOKED = "KEY_REVOKED", 401  # a stored key revoked or rotated (alliance keys revoke | rotate)
    FORBIDDEN = "FORBIDDEN", 403  # the key's role or region does not allow it
    NOT_FOUND = "NOT_FOUND", 404  # no such node, kind, export, page asset or route
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", 405
    CONFLICT = "CONFLICT", 409  # an id already used by a node of another label
    ALREADY_CLAIMED = "ALREADY_CLAIMED", 409  # the list item has nothing left to claim
    ILLEGAL_STATE = "ILLEGAL_STATE", 409  # a workflow move the current state does not allow
    ALREADY_WITHDRAWN = "ALREADY_WITHDRAWN", 409  # withdraw(id:) of a record withdrawn before
    MERGED = "MERGED", 410  # a unit merged into another by mergeUnits: the message names the one kept
    OVER_LIMIT = "OVER_LIMIT", 413  # a page, depth, alias count, query or batch larger than the service answers
    VALIDATION = "VALIDATION", 422  # input that breaks a rule: a field, a cursor, a credit code
    UNKNOWN_LABEL = "UNKNOWN_LABEL", 422  # a label or relationship type outside the model
    FILE_REJECTED = "FILE_REJECTED", 422  # a file that cannot be read as the kind asked for
    RATE_LIMITED = "RATE_LIMITED", 429  # the key sent more requests than its role's rate; see Retry-After
    INTERNAL = "INTERNAL", 500  # an unexpected error; the message holds a log reference only
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE", 503  # the database does not answer
    AUDIT_FAILED = "AUDIT_FAILED", 503  # the audit record of an operation could not be written: nothing was done
    NOT_BUILT = "NOT_BUILT", 503  # the explorer and dashboard pages were not built (`make web`)

    @classmethod
    def for_status(cls, status: int) -> ErrorCode:
        for code in cls:
            if code.status == status:
                return code
        return cls.INTERNAL if status >= 500 else cls.BAD_REQUEST


class AllianceError(Exception):
    code = ErrorCode.INTERNAL
    field: str | None = None  # the input field at fault, when the error names one (a refused claim's quantity)


class NotFound(AllianceError):
    code = ErrorCode.NOT_FOUND


class ValidationFailed(AllianceError):
    code = ErrorCode.VALIDATION


class UnknownLabel(ValidationFailed):
    code = ErrorCode.UNKNOWN_LABEL


class AlreadyClaimed(AllianceError):
    code = ErrorCode.ALREADY_CLAIMED


class IllegalState(AllianceError):
    code = ErrorCode.ILLEGAL_STATE


class AlreadyWithdrawn(AllianceError):
    code = ErrorCode.ALREADY_WITHDRAWN


class Merged(NotFound):
    """An id mergeUnits removed: it names the unit kept in its place."""

    code = ErrorCode.MERGED

    def __init__(self, removed: str, kept: str) -> None:
        super().__init__(f"{removed!r} was merged into {kept!r}; use {kept!r}")
        self.kept = kept


class Conflict(AllianceError):
    """An id already used by a node of another label."""

    code = ErrorCode.CONFLICT


class Unauthenticated(AllianceError):
    code = ErrorCode.UNAUTHENTICATED


class KeyExpired(Unauthenticated):
    code = ErrorCode.KEY_EXPIRED


class KeyRevoked(Unauthenticated):
    code = ErrorCode.KEY_REVOKED


class Forbidden(AllianceError):
    code = ErrorCode.FORBIDDEN


class OverLimit(AllianceError):
    code = ErrorCode.OVER_LIMIT


class RateLimited(AllianceError):
    """The key's request bucket is empty (service/rate_limit.py); `retry_after` whole seconds until it holds one."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(AllianceError):
    code = ErrorCode.STORE_UNAVAILABLE


class AuditFailed(AllianceError):
    """The operation's audit record could not be written, so the operation was not done (service/audit.py)."""

    code = ErrorCode.AUDIT_FAILED
