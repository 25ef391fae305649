"""Domain errors. Each carries a stable code that the API exposes as `extensions.code`."""

from __future__ import annotations


class AllianceError(Exception):
    code = "INTERNAL"
    field: str | None = None  # the input field at fault, when the error names one (a refused claim's quantity)


class NotFound(AllianceError):
    code = "NOT_FOUND"


class ValidationFailed(AllianceError):
    code = "VALIDATION"


class UnknownLabel(ValidationFailed):
    code = "UNKNOWN_LABEL"


class AlreadyClaimed(AllianceError):
    code = "ALREADY_CLAIMED"


class IllegalState(AllianceError):
    code = "ILLEGAL_STATE"


class Conflict(AllianceError):
    """An id already used by a node of another label."""

    code = "CONFLICT"


class Forbidden(AllianceError):
    code = "FORBIDDEN"


class StoreUnavailable(AllianceError):
    code = "STORE_UNAVAILABLE"
