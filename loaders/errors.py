"""Errors that stop a whole file (as opposed to a rejected row)."""

from __future__ import annotations

from service.errors import ErrorCode, ValidationFailed


class FileRejected(ValidationFailed):
    """The file cannot be read as the kind asked for: unknown format, no header, missing column."""

    code = ErrorCode.FILE_REJECTED
