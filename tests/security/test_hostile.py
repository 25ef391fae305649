"""Hostile input to every root field of the served schema and to every endpoint: injection strings
(Cypher, Lucene, JSON, CRLF, unicode), sizes, depths, cycles, hostile cursors and seeds. Every answer
is a 2xx or a 4xx with a stable code, never a 5xx or INTERNAL, no refusal costs more than its CPU
budget, and nothing masked or out of region leaks on the way (the checks of conftest's `problems`)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.security.conftest import LONG, Secured, Tally
from tests.security.graph import ODD_REGION_IDS, SIDE_A
from tests.security.walk import named, path_name

INJECTIONS = [
    "' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "`n`.name", "$id", "\\", "${x}", "{{7*7}}",
    "*:*", "name:* OR title:*", "a AND", "NOT", "(((", "title:[a TO z]", "/.*/", "~2", "\"", "a\" OR \"b",
    '{"$ne": null}', "]}", "null",
    "a\r\nX-Injected: 1", "a\nb", "\u202e红柳", "\u200b", "🏳️\u200d🌈", "\x00", "\ufeff", "é" * 3 + "\u0301" * 500,
    "../../etc/passwd", "", " ", "红柳", "650106001001", "Organisation-R-B",
]
LONG_STRINGS = ["A" * 100_000, "社" * 50_000]
INTS = [-1, 0, 2**31 - 1, -(2**31), 10**6]
BAD_INTS = [2**40, 1.5, "1", None]  # not Ints: GraphQL's coercion refuses them


def _root_cases(secured: Secured, operation_type: str) -> list[tuple[str, str, dict[str, Any], str]]:
    """(root field, query text, variables, what) with one argument made hostile at a time."""
    schema, graph = secured.schema, secured.graph
    every = 8 if secured.thin else 3
    cases = []
    for n, field in enumerate(schema.fields(operation_type)):
        path = [(_step(field["name"]), field, named(field["type"])[1])]
        operation = "mutation" if operation_type == schema.mutation_type else "query"
        query, variables = schema.query(path, graph, SIDE_A, operation)
        for arg in field["args"]:
            var = f"v0_{arg['name']}"
            if var not in variables:  # optional: declare it too, so the hostile value reaches it
                query, variables = _with_argument(query, variables, field["name"], arg)
            kind, type_name = named(arg["type"])
            if kind == "INPUT_OBJECT":
                strings = [*_pick(n, INJECTIONS, every), LONG_STRINGS[n % 2]]
                values = [_hostile_input(schema, type_name, variables[var], s) for s in strings]
            elif type_name in ("String", "ID"):
                strings = INJECTIONS + LONG_STRINGS if LONG else [*_pick(n, INJECTIONS, every), LONG_STRINGS[n % 2]]
                values = [[s] if isinstance(variables[var], list) else s for s in strings]
            elif type_name == "Int":
                values = _pick(n, INTS + BAD_INTS, 2 if secured.thin else 1)
            else:
                values = [None, "x"]
            for value in values:
                cases.append((field["name"], query, {**variables, var: value},
                              f"{field['name']}.{arg['name']}={_short(value)}"))
    return cases


def _pick(n: int, strings: list[str], every: int = 3) -> list[str]:
    """Every string in the long mode; in the quick one a rotating share, so each is tried on some fields."""
    return strings if LONG else [s for i, s in enumerate(strings) if (i + n) % every == 0]


def _step(name: str) -> Any:
    from tests.security.walk import Step

    return Step(name)


def _with_argument(query: str, variables: dict[str, Any], field_name: str, arg: dict[str, Any]) -> tuple[
        str, dict[str, Any]]:
    from tests.security.walk import _type_text

    var = f"v0_{arg['name']}"
    kind = _type_text(arg["type"])
    if "(" in query.split("{", 1)[0]:
        query = query.replace(")", f", ${var}: {kind})", 1)
    else:
        head, rest = query.split("{", 1)
        query = f"{head.rstrip()}(${var}: {kind}) {{{rest}"
    call = f"{field_name}("
    if f" {call}" in query:
        query = query.replace(f" {call}", f" {call}{arg['name']}: ${var}, ", 1)
    else:
        query = query.replace(f" {field_name} ", f" {field_name}({arg['name']}: ${var}) ", 1)
    return query, {**variables, var: None}


def _hostile_input(schema: Any, type_name: str, base: Any, text: str) -> Any:
    """The input object with every string field (required or not) set to `text`."""
    value = dict(base) if isinstance(base, dict) else {}
    for f in schema.types[type_name]["inputFields"]:
        _kind, inner = named(f["type"])
        if inner in ("String", "ID"):
            value[f["name"]] = [text] if "LIST" in json.dumps(f["type"]) else text
    return [value] if isinstance(base, list) or base is None else value


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 60 else f"{text[:40]}...({len(text)} chars)"


async def _run(secured: Secured, tally: Tally, category: str, role: str | None, what: str, **request: Any) -> None:
    answer = await secured.ask_judged(role, **request)
    tally.count(category, answer, what)
    tally.failures += secured.problems(role, answer, what)


def _finish(secured: Secured, tally: Tally, title: str) -> None:
    print("\n" + tally.report(f"{title} on {secured.store_kind}"))
    assert not tally.failures, "\n".join(tally.failures[:40])


async def test_hostile_arguments_to_every_root_field(secured: Secured) -> None:
    tally = Tally()
    schema = secured.schema
    for operation_type in (schema.query_type, schema.mutation_type):
        for _, query, variables, what in _root_cases(secured, operation_type):
            roles = ("admin", "street") if operation_type == schema.query_type else ("admin", "viewer")
            for role in roles[:1] if secured.thin and operation_type != schema.query_type else roles:
                await _run(secured, tally, f"hostile arguments ({operation_type})", role, what,
                           query=query, variables=variables)
    _finish(secured, tally, "hostile arguments")


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


CURSORS = [
    "x", "====", "%%%", "A" * 5000, _cursor([]), _cursor({}), _cursor([1, 2, 3]), _cursor(["a", [1]]),
    _cursor({"o": -1}), _cursor([[[[[]]]]]), _cursor("a"), _cursor(None), _cursor(2**70), _cursor([-(10**18)]),
    "[" * 100_000 + "]" * 100_000, base64.b64encode(b"[" * 3000 + b"]" * 3000).decode(),
    base64.b64encode(b"\xff\xfe\x00").decode(),
]


async def test_hostile_cursors(secured: Secured) -> None:
    tally = Tally()
    connections = [f["name"] for f in secured.schema.fields(secured.schema.query_type)
                   if any(a["name"] == "after" for a in f["args"])]
    assert connections, "the schema pages with `after`"
    for name in connections:
        for cursor in CURSORS:
            await _run(secured, tally, "hostile cursors", "viewer", f"{name}(after: {_short(cursor)})",
                       query=f"query($a: String) {{ {name}(after: $a, first: 2) {{ totalCount }} }}",
                       variables={"a": cursor})
    _finish(secured, tally, "hostile cursors")


SIZE = 10_000_000 if LONG else 1_000_000


def _documents() -> list[tuple[str, dict[str, Any]]]:
    """Whole requests that attack the parser, the validator or the HTTP layer."""
    spreads = " ".join(["...F"] * 300)
    deep = "{ regions { nodes { " * 60 + "id" + " } }" * 60
    return [
        ("a fragment spreading itself 300 times",
         {"query": f"query {{ ...F }} fragment F on Query {{ me {{ role }} {spreads} }}"}),
        ("a fragment cycle", {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"}),
        ("a fragment spread 300 times", {"query": "{ " + spreads + " } fragment F on Query { me { role } }"}),
        ("nesting 120 deep", {"query": deep}),
        ("500 aliases", {"query": "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(500)) + " }"}),
        ("5000 directives", {"query": "{ me @include(if: true)" + " @skip(if: false)" * 5000 + " { role } }"}),
        ("50,000 tokens", {"query": "{ me { " + "role " * 50_000 + "} }"}),
        ("a comment of the size limit", {"query": "#" + "x" * SIZE + "\n{ me { role } }"}),
        ("whitespace of the size limit", {"query": "{" + " " * SIZE + "me { role } }"}),
        ("a string literal of the size limit",
         {"query": '{ search(text: "' + "社" * (SIZE // 3) + '") { id } }'}),
        ("a variable of the size limit", {"query": "query($t: String!) { search(text: $t) { id } }",
                                          "variables": {"t": "x" * SIZE}}),
        ("10,000 operations", {"query": " ".join(f"query q{i} {{ me {{ role }} }}" for i in range(10_000)),
                               "operationName": "q1"}),
        ("two operations, no name", {"query": "query a { me { role } } query b { me { role } }"}),
        ("an unknown operation name", {"query": "query a { me { role } }", "operationName": "zzz"}),
        ("a subscription", {"query": "subscription { me { role } }"}),
        ("a null query", {"query": None}),
        ("a number as query", {"query": 42}),
        ("variables as a list", {"query": "{ me { role } }", "variables": [1, 2]}),
        ("variables as a string", {"query": "{ me { role } }", "variables": "{}"}),
        ("an introspection 9 levels deep",
         {"query": "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name }"
                   " } } } } } } } } }"}),
        ("__typename 1000 times", {"query": "{ " + "__typename " * 1000 + "}"}),
        ("an unterminated string", {"query": '{ search(text: "abc) { id } }'}),
        ("bytes that are not UTF-8 in a literal", {"query": "{ search(text: \"\\udc80\") { id } }"}),
        ("a mutation of 10,000 rows",
         {"query": "mutation($r: [OrganisationInput!]!) { upsertOrganisations(rows: $r) { created } }",
          "variables": {"r": [{"id": f"O{i}", "name": "x", "kind": "COMMUNITY", "level": "BRANCH"}
                              for i in range(10_000)]}}),
    ]


@pytest.mark.parametrize("role", ["viewer", "admin"])
async def test_hostile_documents(secured: Secured, role: str) -> None:
    tally = Tally()
    for what, payload in _documents():
        await _run(secured, tally, "hostile documents", role, what,
                   raw=json.dumps(payload).encode())
    raw_bodies = [
        ("a batch (JSON array)", b'[{"query": "{ me { role } }"}, {"query": "{ me { role } }"}]', {}),
        ("invalid JSON", b'{"query": ', {}),
        ("bytes that are not UTF-8", b'{"query": "{ me { role } }\xff\xfe"}', {}),
        ("an empty body", b"", {}),
        ("JSON nested 100,000 deep", b'{"query": "{ me { role } }", "variables": ' + b"[" * 100_000 + b"]" * 100_000
         + b"}", {}),
        ("a form body", b"query=%7B+me+%7B+role+%7D+%7D", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("a text body", b"{ me { role } }", {"Content-Type": "text/plain"}),
        ("multipart with no parts", b"--x--\r\n", {"Content-Type": "multipart/form-data; boundary=x"}),
    ]
    for what, body, headers in raw_bodies:
        await _run(secured, tally, "hostile bodies", role, what, raw=body, headers=headers)
    for what, params in [("a GET query", {"query": "{ me { role } }"}),
                         ("a GET mutation", {"query": 'mutation { upsertRegions(rows: []) { created } }'}),
                         ("a GET with variables that are not JSON", {"query": "{ me { role } }", "variables": "{"})]:
        await _run(secured, tally, "hostile GET", role, what, method="GET", params=params,
                   headers={"Accept": "application/json"})
    _finish(secured, tally, f"hostile documents ({role})")


async def test_hostile_rest_requests(secured: Secured) -> None:
    tally = Tally()
    for seed in [2**40, -1, 2**32, 1e308, "x", None, [1]]:
        await _run(secured, tally, "layout", "viewer", f"layout seed {seed}", method="POST", path="/explore/layout",
                   raw=json.dumps({"count": 3, "edges": [[0, 1]], "seed": seed}).encode())
    for body in [{"count": -1}, {"count": 3, "edges": [[0, 9]]}, {"count": 3, "edges": [[-1, 0]]},
                 {"count": 3, "edges": [[0]]}, {"count": 2**40}, {"count": "a"}, {"edges": "x"}, [], {},
                 {"count": 3, "edges": [[[[[[[[0]]]]]]]]}]:
        await _run(secured, tally, "layout", "viewer", f"layout {body}", method="POST", path="/explore/layout",
                   raw=json.dumps(body).encode())
    for what, raw in [("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000), ("not UTF-8", b'{"count": "\xff"}'),
                      ("not JSON", b"{count: 3")]:
        await _run(secured, tally, "layout", "viewer", f"layout body {what}", method="POST", path="/explore/layout",
                   raw=raw)
    odd = [r for r in ODD_REGION_IDS if r in secured.graph.side_of]
    assert "红柳东区" in odd, "the graph holds a region with a Chinese id"
    for region in [*odd, "测试区", "a\r\nX-Injected: 1", "R-B", "x" * 10_000, "../", "\x00", "' OR 1=1 //"]:
        for role in ("analyst", "street_analyst"):
            await _run(secured, tally, "export", role, f"export regionId={_short(region)}", method="GET",
                       path="/export/nodes.csv", params={"regionId": region})
    for name in ["nodes.csv", "../etc/passwd", "x" * 5000, "network.gexf%00"]:
        await _run(secured, tally, "export", "analyst", f"export {name[:40]}", method="GET", path=f"/export/{name}")
    for filename in ["..", ".", "/", "a" * 300 + ".csv", "x\x00.csv", "../../evil.csv", "organisations.exe", ""]:
        files = {"file": (filename, b"id,name\n1,x\n", "text/csv")}
        answer = await secured.client.post("/import/organisations", files=files,
                                           headers={"Authorization": "Bearer k-admin"})
        fake = _AnswerOf(answer)
        tally.count("import file names", fake, filename)
        tally.failures += secured.problems("admin", fake, f"import file name {filename[:40]!r}")
    for path in ["/import/..%2F..%2Fetc", "/import/" + "k" * 5000, "/web/../../pyproject.toml", "/web/%2e%2e/x"]:
        await _run(secured, tally, "paths", "admin", path, method="POST" if path.startswith("/import") else "GET",
                   path=path)
    _finish(secured, tally, "hostile REST requests")


def _AnswerOf(response: Any) -> Any:
    from tests.security.conftest import Answer

    try:
        body = response.json()
    except ValueError:
        body = None
    return Answer(response.status_code, response.text, body, 0.0, 0.0, list(response.headers.multi_items()))


__all__ = ["path_name"]


async def test_the_errors_that_were_not_errors(secured: Secured) -> None:
    """The issue's list, one by one, with the answer each now gets."""
    def code(answer: Any) -> str | None:
        return answer.codes[0] if answer.codes else None

    for seed in (2**40, -1):
        answer = await secured.ask("viewer", method="POST", path="/explore/layout",
                                   raw=json.dumps({"count": 3, "edges": [[0, 1]], "seed": seed}).encode())
        assert (answer.status, code(answer)) == (422, "VALIDATION"), answer.text
    for region in ("红柳东区", "R-A\r\nX-Injected: 1"):
        answer = await secured.ask("analyst", method="GET", path="/export/nodes.csv", params={"regionId": region})
        assert answer.status == 200, answer.text
        [disposition] = [v for k, v in answer.headers if k == "content-disposition"]
        assert "\r" not in disposition and "\n" not in disposition and "filename*=UTF-8''" in disposition
        assert not any(k.lower() == "x-injected" for k, _ in answer.headers)
    spreads = " ".join(["...F"] * 300)
    answer = await secured.ask("viewer", f"query {{ ...F }} fragment F on Query {{ me {{ role }} {spreads} }}")
    # refused as the fragment cycle (VALIDATION) or, before validation, as a set of 301 fields (OVER_LIMIT)
    assert code(answer) in ("VALIDATION", "OVER_LIMIT") and len(answer.text) < 2000, answer.text[:300]
    answer = await secured.ask("viewer", "query($a: String) { organisations(after: $a) { totalCount } }",
                               {"a": "[" * 100_000 + "]" * 100_000})
    # a text that long is refused before the cursor is read (OVER_LIMIT); a shorter deep one is VALIDATION
    assert code(answer) == "OVER_LIMIT" and len(answer.text) < 2000, answer.text[:300]
    answer = await secured.ask("viewer", "{ " + "__typename " * 1000 + "}")
    assert code(answer) == "OVER_LIMIT", answer.text[:300]
    answer = await secured.ask("admin", 'mutation($id: ID!) { publishWish(id: $id, regionId: "R-A", title: "x") '
                                        "{ changed } }", {"id": "W" * 100_000})
    assert code(answer) == "OVER_LIMIT", answer.text[:300]  # longer than any variable text: refused unread
    answer = await secured.ask("admin", 'mutation($id: ID!) { publishWish(id: $id, regionId: "R-A", title: "x") '
                                        "{ changed } }", {"id": "W" * 1_000})
    assert code(answer) == "VALIDATION", answer.text[:300]  # longer than an id may be (200 characters)
