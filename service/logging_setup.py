"""The service's log as JSON lines on stderr: one object per record, for a collector to read.

Every record is `{"time", "level", "logger", "message"}` plus the fields a record carries in `extra={"fields":
{...}}` (the access log's request id, route, status, ...: service/api/access_log.py). `alliance serve` hands
`uvicorn_log_config()` to uvicorn, which applies it in the server and in each worker process; uvicorn's own
access log is switched off there (it printed each path with its query string)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import orjson


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:  # only the debug level asks for a traceback (service/http_errors.py)
            line["exception"] = self.formatException(record.exc_info)
        try:  # orjson: the access log writes one line per request, and json's encoder was a tenth of a cached answer
            return orjson.dumps(line, default=str).decode()
        except TypeError:  # what orjson refuses (an integer past 64 bits, a lone surrogate) json writes as before
            return json.dumps(line, ensure_ascii=False, default=str)


def uvicorn_log_config(level: str = "info") -> dict[str, Any]:
    """A logging.config dictionary: JSON on stderr for the service's loggers and uvicorn's, nothing from
    `uvicorn.access` (the service writes its own access line)."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "alliance": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
