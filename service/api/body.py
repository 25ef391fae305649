"""A GraphQL request body decoded into Python values, and the refusal of an oversized variable before
its values are built.

Decoding a 0.7 MB batch of 10,000 rows builds (and then frees) 50,000 Python objects: 3-6 ms of CPU on
a quiet machine, more in a large process, which put its refusal at the 10 ms line (issue 18). A large
body is therefore first read by simdjson, whose parse builds no Python object until a value is asked
for: a list's length is read off its tape, so a list over the batch limit is refused in about 0.5 ms
without one row being built. A body that passes is then decoded by orjson as before."""

from __future__ import annotations

import json
from typing import Any

import orjson
import simdjson

from service.api.limits import Oversized, check_variables

LAZY_FROM = 64 * 1024  # bytes; below it the ordinary decode costs less than a second parse would


def decode(data: str | bytes) -> object:
    """The body's JSON. orjson decodes in about half json's time; what it refuses but JSON allows
    (integers past 64 bits, lone surrogates) is decoded by json, which stays the authority on what a
    body means."""
    if len(data) >= LAZY_FROM:
        early = _refused_early(data)
        if early is not None:
            return early
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _refused_early(data: str | bytes) -> dict[str, Any] | None:
    """The request with its variables replaced by their refusal, when one of them is a list or a text
    over its limit; None when none is, or when simdjson cannot read the body (the ordinary decode then
    decides what it means)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        document = simdjson.Parser().parse(raw)
    except (ValueError, RuntimeError):  # not JSON, nested past its depth, ...: left to orjson and json
        return None
    if not isinstance(document, simdjson.Object):
        return None
    variables = document.get("variables")
    if not isinstance(variables, simdjson.Object):
        return None
    refusal = check_variables(variables, lists=(simdjson.Array,), maps=(simdjson.Object,))
    if refusal is None:
        return None
    request = {key: _plain(document.get(key)) for key in ("query", "operationName", "extensions")}
    return {**request, "variables": Oversized(refusal)}


def _plain(value: Any) -> Any:
    """A lazy value as the Python value orjson would have given (strings and numbers already are)."""
    if isinstance(value, simdjson.Object):
        return value.as_dict()
    if isinstance(value, simdjson.Array):
        return value.as_list()
    return value
