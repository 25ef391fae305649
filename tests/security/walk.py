"""Queries generated from the SERVED schema (its introspection answer), not from the Python types:
for every root field and every nested path of object fields, one query selecting every scalar
field along the path, with arguments made from their names and types (ids of the graph's nodes,
one per side; the first enum value; small page sizes).

`paths(depth, every_path=False)`: each (type, field) edge of the schema is walked once, at the
shallowest depth it is reached (the quick mode of `make test`); `every_path=True` walks every
path up to `depth` (the long mode)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import get_introspection_query

from service.model import Label
from service.registry import labels
from tests.security.graph import DISTRICT, SIDE_A, SIDE_B, Graph

INTROSPECTION = get_introspection_query(descriptions=False)
GRAPHQL_LABEL = {spec.graphql: spec.label for spec in labels()}
ARG_LABEL = {"organisationId": Label.ORGANISATION, "allianceId": Label.ALLIANCE, "unitId": Label.ORGANISATION,
             "wishId": Label.WISH, "meetingId": Label.MEETING, "matterId": Label.MATTER, "itemId": Label.LIST_ITEM,
             "agreementId": Label.AGREEMENT, "memberId": Label.MEMBER, "teamId": Label.TEAM,
             "enterpriseId": Label.ENTERPRISE, "regionId": Label.REGION, "centreId": Label.SERVICE_CENTRE}
DATES = {"from", "to", "asOf", "on", "overdueOn", "heldOn", "due", "since"}


def named(ref: dict[str, Any]) -> tuple[str, str]:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref["kind"], ref["name"]


def required(ref: dict[str, Any]) -> bool:
    return bool(ref["kind"] == "NON_NULL")


def is_list(ref: dict[str, Any]) -> bool:
    while ref["kind"] == "NON_NULL":
        ref = ref["ofType"]
    return bool(ref["kind"] == "LIST")


@dataclass(frozen=True)
class Step:
    field: str
    on: str | None = None  # the possible type a fragment narrows to before the field (interfaces, unions)


@dataclass(frozen=True)
class Case:
    """One generated query: its text, what it walks and the side its ids come from."""

    query: str
    path: tuple[str, ...]
    side: str


class Schema:
    def __init__(self, introspection: dict[str, Any]) -> None:
        data = introspection["__schema"]
        self.types: dict[str, dict[str, Any]] = {t["name"]: t for t in data["types"]}
        self.query_type = data["queryType"]["name"]
        self.mutation_type = (data.get("mutationType") or {}).get("name")

    def fields(self, type_name: str) -> list[dict[str, Any]]:
        return list(self.types[type_name].get("fields") or [])

    def possible(self, type_name: str) -> list[str]:
        t = self.types[type_name]
        return sorted(p["name"] for p in t.get("possibleTypes") or []) if t["kind"] in ("INTERFACE", "UNION") else []

    def composite(self, type_name: str) -> bool:
        return self.types[type_name]["kind"] in ("OBJECT", "INTERFACE", "UNION")

    # ---- arguments -----------------------------------------------------------------------------
    def value(self, name: str, ref: dict[str, Any], graph: Graph, side: str, label: Label | None) -> Any:
        """A plausible value for an argument or input field, as a Python value (sent as a variable)."""
        kind, type_name = named(ref)
        if is_list(ref):
            one = self.value(name.removesuffix("s"), _unlisted(ref), graph, side, label)
            return [] if one is None else [one]
        if kind == "ENUM":
            return self.types[type_name]["enumValues"][0]["name"]
        if kind == "INPUT_OBJECT":
            out: dict[str, Any] = {}
            for f in self.types[type_name]["inputFields"]:
                if required(f["type"]) and f["defaultValue"] is None:
                    out[f["name"]] = self.value(f["name"], f["type"], graph, side, label)
            return out
        if type_name == "Int":
            return {"depth": 2, "limit": 20, "top": 3, "unclaimedDays": 30}.get(name, 3)
        if type_name == "Float":
            return 1.0
        if type_name == "Boolean":
            return True
        if name in DATES:
            return "2024-06-01"
        if type_name == "ID" or name == "id" or name.endswith("Id"):
            target = ARG_LABEL.get(name, label)
            if name == "regionId" or target is Label.REGION:
                return side
            return graph.primary[(target or Label.ORGANISATION, side)]
        return f"{'红柳' if side == SIDE_A else '胡杨'}"

    def arguments(self, field: dict[str, Any], graph: Graph, side: str, prefix: str,
                  label: Label | None) -> tuple[str, dict[str, tuple[str, Any]]]:
        """`(a: $p_a, ...)` for the required arguments and the page sizes, and the variables."""
        parts, variables = [], {}
        for arg in field["args"]:
            name = arg["name"]
            needed = required(arg["type"]) and arg["defaultValue"] is None
            if not (needed or name in ("first", "regionId", "limit", "depth")):
                continue
            if name == "regionId" and not needed and side == SIDE_A:
                continue  # side A asks without a region, side B names the other street
            var = f"{prefix}_{name}"
            parts.append(f"{name}: ${var}")
            variables[var] = (_type_text(arg["type"]), self.value(name, arg["type"], graph, side, label))
        return (f"({', '.join(parts)})" if parts else ""), variables

    # ---- selections ----------------------------------------------------------------------------
    def scalars(self, type_name: str) -> list[str]:
        out = []
        for f in self.fields(type_name):
            kind, _ = named(f["type"])
            if kind in ("SCALAR", "ENUM") and not any(required(a["type"]) and a["defaultValue"] is None
                                                      for a in f["args"]):
                out.append(f["name"])
        return out

    def leaves(self, type_name: str) -> str:
        """Every scalar field of the type, or of each possible type of an interface or union."""
        if self.possible(type_name):
            common = " ".join(["__typename", *self.scalars(type_name)]) if self.types[type_name]["kind"] == (
                "INTERFACE") else "__typename"
            fragments = " ".join(f"... on {p} {{ {' '.join(self.scalars(p)) or '__typename'} }}"
                                 for p in self.possible(type_name))
            return f"{common} {fragments}"
        return " ".join(self.scalars(type_name)) or "__typename"

    def edges(self, type_name: str) -> Iterator[tuple[Step, dict[str, Any], str]]:
        """The object fields reachable from the type: its own, and those of each possible type."""
        owners = self.possible(type_name) or [type_name]
        for owner in owners:
            for f in self.fields(owner):
                _kind, target = named(f["type"])
                if self.composite(target):
                    yield Step(f["name"], owner if owner != type_name else None), f, target

    def paths(self, root: str, depth: int, every_path: bool = False) -> Iterator[list[tuple[Step, dict[str, Any],
                                                                                               str]]]:
        seen: set[tuple[str, str]] = set()
        frontier: list[list[tuple[Step, dict[str, Any], str]]] = []
        for f in self.fields(root):
            _kind, target = named(f["type"])
            step = Step(f["name"])
            frontier.append([(step, f, target)])
        while frontier:
            nxt = []
            for path in frontier:
                yield path
                if len(path) >= depth:
                    continue
                _, _, here = path[-1]
                for step, f, target in self.edges(here):
                    edge = (step.on or here, step.field)
                    if not every_path and edge in seen:
                        continue
                    seen.add(edge)
                    nxt.append([*path, (step, f, target)])
            frontier = nxt

    def reachable_edges(self, root: str) -> set[tuple[str, str]]:
        """Every (type, object field) reachable from the root type, however deep."""
        seen: set[tuple[str, str]] = set()
        todo, visited = [root], {root}
        while todo:
            here = todo.pop()
            for step, _, target in (self.edges(here) if here != root else
                                    ((Step(f["name"]), f, named(f["type"])[1]) for f in self.fields(root)
                                     if self.composite(named(f["type"])[1]))):
                seen.add((step.on or here, step.field))
                if target not in visited:
                    visited.add(target)
                    todo.append(target)
        return seen

    def query(self, path: list[tuple[Step, dict[str, Any], str]], graph: Graph, side: str,
              operation: str = "query") -> tuple[str, dict[str, Any]]:
        """The query text walking `path` (every scalar selected at each level) and its variables."""
        declared: dict[str, tuple[str, Any]] = {}
        inner = ""
        for i in range(len(path) - 1, -1, -1):
            step, f, target = path[i]
            label = GRAPHQL_LABEL.get(target)
            args, variables = self.arguments(f, graph, side, f"v{i}", label)
            declared.update(variables)
            body = self.leaves(target) if self.composite(target) else ""
            if inner:
                body = f"{body} {inner}"
            selection = f"{step.field}{args}" + (f" {{ {body} }}" if body else "")
            inner = f"... on {step.on} {{ {selection} }}" if step.on else selection
        header = ", ".join(f"${name}: {kind}" for name, (kind, _) in declared.items())
        text = f"{operation}{f'({header})' if header else ''} {{ {inner} }}"
        return text, {name: value for name, (_, value) in declared.items()}


def _unlisted(ref: dict[str, Any]) -> dict[str, Any]:
    while ref["kind"] == "NON_NULL":
        ref = ref["ofType"]
    inner: dict[str, Any] = ref["ofType"]
    return inner


def _type_text(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{_type_text(ref['ofType'])}]"
    return str(ref["name"])


def path_name(path: list[tuple[Step, dict[str, Any], str]]) -> str:
    return ".".join(f"{s.on}:{s.field}" if s.on else s.field for s, _, _ in path)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["DISTRICT", "INTROSPECTION", "SIDE_A", "SIDE_B", "Case", "Schema", "path_name"]
