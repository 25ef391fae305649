"""The adversarial suite's fixture: the app in-process over the security graph (tests/security/
graph.py) on each store, keys of every role and of one street, the served schema by introspection,
and the checks every answer must pass (`Secured.problems`).

SECURITY_LONG=1 walks every path deeper (`make security-long`); the default is the quick walk
`make test` runs."""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.graph.port import GraphStore
from service.settings import Settings
from tests.security import graph as security_graph
from tests.security.graph import SIDE_A, SIDE_B, WORDS, Graph
from tests.security.walk import INTROSPECTION, Schema

LONG = os.environ.get("SECURITY_LONG", "") not in ("", "0")
KEYS = {  # role name in the tests -> (key, ALLIANCE_API_KEYS entry)
    "admin": "k-admin:admin",
    "analyst": "k-analyst:analyst",
    "viewer": "k-viewer:viewer",
    "importer": "k-importer:importer",
    "street": f"k-street:viewer:{SIDE_A}",
    "street_analyst": f"k-street-analyst:analyst:{SIDE_A}",
}
STREET_ROLES = frozenset({"street", "street_analyst"})
THIN_ROLES = ("admin", "analyst", "street")  # one that sees personal data, one that does not, one street
SEES_PERSONAL = frozenset({"admin"})
REFUSAL_CPU = 0.010  # s of this process's CPU for a refusal over a limit (OVER_LIMIT; issue 18: under 10 ms)
# any other answer that is only errors (FORBIDDEN, NOT_FOUND, VALIDATION...): decided after parsing and
# validation, often by a store read (a region's scope, a node's existence)
DECIDED_REFUSAL_CPU = 0.05  # the bound every refusal had before
REFUSAL_TRIES = 5  # a refusal over its budget is asked again: the median of this many tries is judged
OK_CODES = frozenset({"BAD_REQUEST", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "METHOD_NOT_ALLOWED", "CONFLICT",
                      "ALREADY_CLAIMED", "ILLEGAL_STATE", "ALREADY_WITHDRAWN", "MERGED", "OVER_LIMIT", "VALIDATION",
                      "UNKNOWN_LABEL",
                      "FILE_REJECTED"})

# words of the machinery under the API that no error message may carry
INTERNALS = ("Traceback", "lucene", "Lucene", "Neo.ClientError", "Neo.DatabaseError", "org.neo4j", "java.",
             "MATCH (", "MERGE (", "bolt://", "sqlite", "SQLite", "File \"", ".py\"", "Errno")


def key_of(role: str) -> str:
    return KEYS[role].split(":", 1)[0]


@dataclass
class Answer:
    status: int
    text: str
    body: Any
    cpu: float
    wall: float
    headers: list[tuple[str, str]] = field(default_factory=list)
    sent: str = ""  # the request's own text: an error may quote it

    @property
    def codes(self) -> list[str]:
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), list):
            return [str((e.get("extensions") or {}).get("code")) for e in self.body["errors"]]
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return [str(self.body["error"].get("code"))]
        return []

    @property
    def messages(self) -> list[str]:
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), list):
            return [str(e.get("message")) for e in self.body["errors"]]
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return [str(self.body["error"].get("message"))]
        return []

    @property
    def refused(self) -> bool:
        return bool(self.codes) and not (isinstance(self.body, dict) and self.body.get("data"))


@dataclass
class Tally:
    """What a walk tried and found, printed at its end (pytest -s) and asserted on."""

    cases: dict[str, int] = field(default_factory=dict)
    refusals: dict[str, int] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")
    failures: list[str] = field(default_factory=list)

    def count(self, category: str, answer: Answer, what: str) -> None:
        self.cases[category] = self.cases.get(category, 0) + 1
        for code in set(answer.codes):
            self.refusals[code] = self.refusals.get(code, 0) + 1
        if answer.refused and answer.cpu > self.slowest[0]:
            self.slowest = (answer.cpu, what)

    def report(self, title: str) -> str:
        lines = [f"{title}: {sum(self.cases.values())} requests",
                 *(f"  {k}: {v}" for k, v in sorted(self.cases.items())),
                 f"  error codes answered: {dict(sorted(self.refusals.items()))}",
                 f"  slowest refusal: {self.slowest[0] * 1000:.1f} ms CPU ({self.slowest[1][:160]})",
                 f"  failures: {len(self.failures)}"]
        return "\n".join(lines)


class _Collections:
    """CPU the cyclic collector spent during a request, left out of the request's measured cost: a full
    collection walks this test process's whole heap (client, server and fixtures: ~100 ms), and where
    one lands moves with any change in allocations, not with what the request does."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.spent += time.process_time() - self._started


class Secured:
    def __init__(self, client: httpx.AsyncClient, graph: Graph, schema: Schema, store_kind: str) -> None:
        self.client = client
        self.graph = graph
        self.schema = schema
        self.store_kind = store_kind
        # Neo4j answers each request over Bolt, ten times the embedded store's cost: its quick walk
        # asks with fewer keys and fewer hostile values (the long mode asks everything of both)
        self.thin = store_kind == "neo4j" and not LONG
        self.side_b_ids = graph.ids(SIDE_B)
        self._personal = re.compile("|".join(re.escape(v) for v in sorted(graph.personal, key=len, reverse=True)))

    async def ask(self, role: str | None, query: str | None = None, variables: dict[str, Any] | None = None, *,
                  raw: bytes | None = None, method: str = "POST", path: str = "/graphql",
                  headers: dict[str, str] | None = None, params: dict[str, str] | None = None) -> Answer:
        sent = dict(headers or {})
        if role is not None:
            sent["Authorization"] = f"Bearer {key_of(role)}"
        collector = _Collections()
        gc.callbacks.append(collector)
        cpu, wall = time.process_time(), time.perf_counter()
        if raw is not None:
            sent.setdefault("Content-Type", "application/json")
            response = await self.client.request(method, path, content=raw, headers=sent, params=params)
        elif method == "POST" and query is not None:
            response = await self.client.post(path, json={"query": query, "variables": variables or {}},
                                              headers=sent, params=params)
        else:
            response = await self.client.request(method, path, headers=sent, params=params)
        cpu, wall = time.process_time() - cpu - collector.spent, time.perf_counter() - wall
        gc.callbacks.remove(collector)
        try:
            body = response.json()
        except ValueError:
            body = None
        # scanned as decoded text: JSON may escape every CJK character (\uXXXX)
        text = response.text if body is None else json.dumps(body, ensure_ascii=False)
        sent_text = (raw or b"").decode("utf-8", "replace") + json.dumps([query, variables, params], ensure_ascii=False)
        return Answer(response.status_code, text, body, cpu, wall, list(response.headers.multi_items()), sent_text)

    async def ask_judged(self, role: str | None, query: str | None = None, variables: dict[str, Any] | None = None,
                         **request: Any) -> Answer:
        """`ask`, and a refusal that took more than its CPU budget asked again until REFUSAL_TRIES
        answers: its CPU is then their median (a collection or another process's moment on the shared
        machine lands on one try, a slow refusal on every one)."""
        answer = await self.ask(role, query, variables, **request)
        if answer.refused and answer.cpu > refusal_budget(answer):
            tries = [answer.cpu] + [(await self.ask(role, query, variables, **request)).cpu
                                    for _ in range(REFUSAL_TRIES - 1)]
            answer.cpu = statistics.median(tries)
        return answer

    def problems(self, role: str | None, answer: Answer, what: str) -> list[str]:
        """Everything wrong with an answer: a 5xx, an error without a stable code or INTERNAL, a raw
        personal value for a role that may not see it, a node of the other street for a street
        key, a refusal over its CPU budget."""
        out = []
        where = f"[{self.store_kind} {role}] {what[:300]}"
        if answer.status >= 500:
            out.append(f"{where}: HTTP {answer.status} {answer.text[:200]}")
        for code in answer.codes:
            if code not in OK_CODES:
                out.append(f"{where}: error code {code}: {answer.text[:300]}")
        broken = [name for name, value in answer.headers if "\r" in value or "\n" in value]
        if broken:  # a server writing it would end the headers there, or drop the connection
            out.append(f"{where}: a line break in the headers {broken}")
        for message in answer.messages:
            internals = [word for word in INTERNALS if word in message and word not in answer.sent]
            if internals:
                out.append(f"{where}: the error message shows internals {internals}: {message[:200]}")
        if answer.status >= 400 and not answer.codes:
            out.append(f"{where}: HTTP {answer.status} without a code: {answer.text[:200]}")
        if role not in SEES_PERSONAL:
            leaked = sorted(set(self._personal.findall(answer.text)))
            if leaked:
                out.append(f"{where}: unmasked personal values {[(v, self.graph.personal[v]) for v in leaked][:5]}")
        if role in STREET_ROLES and isinstance(answer.body, dict):
            outside = sorted(set(_outside(answer.body.get("data"), self.side_b_ids)))
            if outside:
                out.append(f"{where}: outside the key's region: {outside[:6]}")
        if answer.refused and answer.cpu > refusal_budget(answer):
            out.append(f"{where}: refusal took {answer.cpu * 1000:.1f} ms of CPU, the median of {REFUSAL_TRIES} "
                       f"tries (budget {refusal_budget(answer) * 1000:.0f})")
        return out

    def personal_seen(self, text: str) -> set[str]:
        return set(self._personal.findall(text))


def refusal_budget(answer: Answer) -> float:
    return REFUSAL_CPU if "OVER_LIMIT" in answer.codes else DECIDED_REFUSAL_CPU


def _outside(data: Any, side_b_ids: set[str]) -> Iterator[str]:
    """Ids of the other street's nodes, and any string carrying its word, anywhere in the data."""
    if isinstance(data, dict):
        for value in data.values():
            yield from _outside(value, side_b_ids)
    elif isinstance(data, list):
        for value in data:
            yield from _outside(value, side_b_ids)
    elif isinstance(data, str) and (data in side_b_ids or WORDS[SIDE_B] in data):
        yield data


@pytest.fixture
async def secured(store: GraphStore, store_kind: str) -> AsyncIterator[Secured]:
    graph = await security_graph.build(store)
    settings = Settings(api_keys=SecretStr(",".join(KEYS.values())), environment="test")
    app = create_app(settings, store=store)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=120
    ) as client:
        response = await client.post("/graphql", json={"query": INTROSPECTION},
                                     headers={"Authorization": f"Bearer {key_of('viewer')}"})
        body = response.json()
        assert "errors" not in body, body
        yield Secured(client, graph, Schema(body["data"]), store_kind)
