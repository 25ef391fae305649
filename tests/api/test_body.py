"""The request body's decode (service/api/body.py): a large body with a variable over a limit is refused
from simdjson's lazy read with the same refusal the decoded walk gives; every other body decodes to
exactly what orjson (or json) gives."""

from __future__ import annotations

import json

import orjson
import pytest

from service.api import body
from service.api.limits import MAX_BATCH, MAX_VARIABLE_TEXT, Oversized, check_variables

QUERY = "mutation($r: [OrganisationInput!]!) { upsertOrganisations(rows: $r) { created } }"


def _rows(n: int) -> list[dict[str, str]]:
    return [{"id": f"O{i}", "name": "社区" * 20, "kind": "COMMUNITY", "level": "BRANCH"} for i in range(n)]


@pytest.mark.parametrize("variables", [
    {"r": _rows(MAX_BATCH + 1)},
    {"a": {"b": [{"c": _rows(5)}, {"d": ["x" * 70] * (MAX_BATCH + 1)}]}},
    {"t": "字" * (MAX_VARIABLE_TEXT + 1)},
    {"r": [{"id": "O1", "note": "x" * (MAX_VARIABLE_TEXT + 1)}]},
])
def test_a_large_body_over_a_limit_is_refused_lazily_with_the_decoded_walks_refusal(variables: dict) -> None:
    raw = json.dumps({"query": QUERY, "variables": variables, "operationName": "q", "extensions": {"k": [1]}},
                     ensure_ascii=False).encode()
    assert len(raw) >= body.LAZY_FROM
    decoded = body.decode(raw)
    assert isinstance(decoded, dict)
    assert isinstance(decoded["variables"], Oversized) and decoded["variables"] == {}
    assert decoded["query"] == QUERY and decoded["operationName"] == "q" and decoded["extensions"] == {"k": [1]}
    lazy, walked = check_variables(decoded["variables"]), check_variables(variables)
    assert lazy is not None and walked is not None and str(lazy) == str(walked)


@pytest.mark.parametrize("raw", [
    json.dumps({"query": QUERY, "variables": {"r": _rows(MAX_BATCH)}}).encode(),  # at the limit: decoded
    json.dumps({"query": "#" + "x" * 100_000 + "\n{ me { role } }"}).encode(),  # no variables
    json.dumps([{"query": QUERY, "variables": {"r": _rows(MAX_BATCH + 1)}}]).encode(),  # a batch: strawberry decides
    json.dumps({"query": QUERY, "variables": {"n": 2**70, "r": _rows(600)}}).encode(),  # past 64 bits: json
    json.dumps({"query": QUERY, "variables": {"r": _rows(700)}}, ensure_ascii=False),  # text, not bytes
])
def test_every_other_body_decodes_as_json_does(raw: str | bytes) -> None:
    assert len(raw) >= body.LAZY_FROM
    assert body.decode(raw) == json.loads(raw)


def test_a_large_body_that_is_not_json_is_refused_by_the_ordinary_decode() -> None:
    broken = b'{"query": "x", "variables": {"r": [' + b'1,' * 50_000
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(broken)
    with pytest.raises(ValueError):
        body.decode(broken)
    deep = b'{"query": "x", "variables": {"r": ' + b"[" * 40_000 + b"]" * 40_000 + b"}}"
    with pytest.raises((ValueError, RecursionError)):
        body.decode(deep)
