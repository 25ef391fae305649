"""The estimated cost of a GraphQL operation, checked against the caller's budget before it is
validated (service/api/limits.py: a refusal then costs no validation) and before anything executes.

A field's cost is the rows it can return per parent row times (1 + the cost of its selection);
scalar fields cost nothing. The rows of a field:

- a list with a page argument (`first`, `top`, `limit`): that argument's value (the schema's default
  when the operation leaves it out);
- the `nodes` / `edges` list of an object that was itself paged (a connection, a subgraph): the page
  size of that object;
- any other list: the fan-out of the relationship it walks, read from the registry. A relationship
  whose listed end is single-valued (`Single`: a region has one parent) returns 1 row; `per` one
  (an agreement's party per role) `PER_VALUE_ROWS`; a many-valued one its entry in `FANOUT`, a
  documented estimate a little above the 99th percentile of the demo data. A list the registry
  cannot explain (a report, a field added later) costs `DEFAULT_FANOUT` rows;
- introspection (`__schema`, `__type`): nothing, as it reads no data; graphql-core's introspection
  depth rule bounds it;
- anything else (a single object): 1.

The estimate is an upper-ish bound, not a forecast: a walk through `children` / `parent` ten levels
deep multiplies the fan-outs and is refused, whatever the data holds; what the estimate misses the
wall-clock budget (service/graph/deadline.py) stops."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationType,
    get_named_type,
)

from service.api import shape
from service.errors import OverLimit
from service.model import Label, RelType
from service.registry import Single, labels, relationship_types

PAGE_ARGUMENTS = ("first", "top", "limit")
DEFAULT_FANOUT = 50  # a list the registry cannot explain
# fields in one selection set: graphql-core's check that same-named fields merge compares them
# pairwise (`__typename` a thousand times costs 80 ms of validation), so a longer one is refused first
MAX_SELECTIONS = 200
MAX_FRAGMENT_CHAIN = 100  # fragments spread inside one another (each one a level of the walk's recursion)
PER_VALUE_ROWS = 4  # a `per` single-valued end: one link per value (PARTY_TO: one party per role)

# Rows a many-valued relationship returns from one node (its busier side). The demo's 99th
# percentiles (urumqi-etdz): UNDER 340 children at the top of the party tree but 33 at the median,
# PARTY_TO 88 agreements for the busiest unit, LOCATED_IN 30 units a street, PART_OF 14 sub-regions,
# BELONGS_TO 24 members, MEMBER_OF 21 units an alliance, PUBLISHED 19 items, SERVES_ON 12.
FANOUT: Mapping[RelType, int] = {
    RelType.UNDER: 100,
    RelType.PART_OF: 20,
    RelType.LOCATED_IN: 50,
    RelType.COVERS: 10,
    RelType.MEMBER_OF: 30,
    RelType.PARTY_TO: 100,
    RelType.PUBLISHED: 30,
    RelType.INCLUDES: 10,
    RelType.CLAIMED: 20,
    RelType.BELONGS_TO: 30,
    RelType.REPORTED_TO: 50,
    RelType.SERVES_ON: 20,
    RelType.RESPONSIBLE_FOR: 5,
    RelType.IN: 50,
    RelType.DISPATCHED_TO: 20,
    RelType.ACCEPTED: 20,
    RelType.CONTRIBUTED: 10,
    RelType.OF: 20,
    RelType.ATTENDED: 20,
    RelType.DECIDED_AT: 10,
    RelType.ASSIGNED_TO: 10,
    RelType.SERVES_IN: 30,
    RelType.ORGANISED_BY: 10,
    RelType.RUN_BY: 5,
    RelType.LED_BY: 5,
    RelType.EMBEDDED_IN: 5,
}


def estimate(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
             variables: Mapping[str, Any] | None) -> int:
    """The operation's estimated rows; 0 when the document names no such operation (validation's
    business, not the budget's)."""
    return price(schema, shape.of_document(document), operation_name, variables)


def price(schema: GraphQLSchema, document: shape.Shape, operation_name: str | None,
          variables: Mapping[str, Any] | None) -> int:
    """`estimate` of a document's shape (service/api/shape.py), however it was read."""
    chosen = [o for o in document.operations if operation_name is None or o.name == operation_name]
    if len(chosen) != 1:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(OperationType(operation.kind))
    if root is None:
        return 0
    values: dict[str, Any] = dict(operation.defaults)
    values.update(variables or {})
    return _Walk(schema, document.fragments, values).selections(operation.selections, root, None)


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, shape.Fragment],
                 variables: dict[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.memo: dict[tuple[str, int | None], int] = {}  # a fragment spread many times is priced once
        self.chain = 0  # fragments spread inside one another at this point of the walk

    def selections(self, selections: list[shape.Selection] | None, parent: GraphQLNamedType, page: int | None) -> int:
        if selections is None:
            return 0
        if len(selections) > MAX_SELECTIONS:
            raise OverLimit(f"a selection set holds {len(selections):,} fields; the limit is {MAX_SELECTIONS}")
        total = 0
        for selection in selections:
            if isinstance(selection, shape.Field):
                total += self.field(selection, parent, page)
            elif isinstance(selection, shape.Inline):
                on = self.schema.get_type(selection.on) if selection.on else parent
                total += self.selections(selection.selections, on or parent, page)
            else:
                total += self.spread(selection.name, page)
        return total

    def spread(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self.memo:
            self.memo[key] = 0  # a cycle (validation's to refuse) costs nothing more
            self.chain += 1
            if self.chain > MAX_FRAGMENT_CHAIN:
                raise OverLimit(f"the query spreads fragments {self.chain} deep; the limit is {MAX_FRAGMENT_CHAIN}")
            fragment = self.fragments.get(name)
            on = self.schema.get_type(fragment.on) if fragment else None
            self.memo[key] = self.selections(fragment.selections, on, page) if fragment and on else 0
            self.chain -= 1
        return self.memo[key]

    def field(self, node: shape.Field, parent: GraphQLNamedType, page: int | None) -> int:
        if node.selections is None:
            return 0  # a scalar, an enum: read with its row
        name = node.name
        if name.startswith("__"):
            # introspection reads the schema, never the store; graphql-core's introspection depth rule
            # bounds its nesting (GraphiQL's whole-schema query would otherwise price at ~38,000 rows)
            return 0
        definition = _field(parent, name)
        if definition is None:
            return 0
        paged = self.page_argument(definition, node)
        child = get_named_type(definition.type)
        if _is_list(definition.type):
            if paged is not None:
                rows = paged
            elif page is not None:
                rows = page  # the nodes / edges of a paged object
            else:
                rows = fanout(self.schema, parent.name, child.name)
            inherited = None
        else:
            rows, inherited = 1, paged
        return rows * (1 + self.selections(node.selections, child, inherited))

    def page_argument(self, definition: GraphQLField, node: shape.Field) -> int | None:
        """The largest page argument the field is asked for (its default when left out); None for a
        field without one."""
        if not any(a in definition.args for a in PAGE_ARGUMENTS):
            return None
        numbers = []
        for name in PAGE_ARGUMENTS:
            if name not in definition.args:
                continue
            value: Any = definition.args[name].default_value
            if name in node.args:
                given = node.args[name]
                value = self.variables.get(given.name) if isinstance(given, shape.Var) else given
            if isinstance(value, int) and not isinstance(value, bool):
                numbers.append(value)
        return max(max(numbers), 0) if numbers else None


def _field(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        return parent.fields.get(name)
    return None


def _is_list(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList)


@cache
def _labels_by_type() -> Mapping[str, Label]:
    return {spec.graphql: spec.label for spec in labels()}


def _labels_of(type_name: str, schema_types: Mapping[str, Iterable[str]]) -> set[Label]:
    by_type = _labels_by_type()
    names = [type_name, *schema_types.get(type_name, ())]
    return {by_type[n] for n in names if n in by_type}


@cache
def fanout(schema: GraphQLSchema, parent: str, child: str) -> int:
    """Rows of a list field of `parent` returning `child` objects, from the relationship types
    joining their labels. A wrapper type (an agreement party, a claim) is read through the labels its
    own fields name; the schema's abstract types through their members (see `_related_types`)."""
    related = _related_types(schema)
    parents = _labels_of(parent, related)
    children = _labels_of(child, related)
    if not children:  # a wrapper: the labels its object fields name
        children = {label for name in related.get(f"{child}.", ()) for label in _labels_of(name, related)}
    rows = [
        _rows(spec.type, listed_end_single)
        for spec in relationship_types()
        for start, end in spec.ends
        for listed_end_single in _listed(spec.single, spec.per, start, end, parents, children)
    ]
    return max(rows) if rows else DEFAULT_FANOUT


def _listed(single: Single | None, per: str | None, start: Label, end: Label,
            parents: set[Label], children: set[Label]) -> list[str | None]:
    """For each way a relationship (start)-[:T]->(end) joins parent to child: whether the listed
    end is single-valued ("one", "per") or not (None)."""
    ways: list[str | None] = []
    if start in parents and end in children:  # listing the ends from a start
        ways.append(("per" if per else "one") if single is Single.START else None)
    if end in parents and start in children:  # listing the starts from an end
        ways.append(("per" if per else "one") if single is Single.END else None)
    return ways


def _rows(type_: RelType, single: str | None) -> int:
    if single == "one":
        return 1
    if single == "per":
        return PER_VALUE_ROWS
    return FANOUT.get(type_, DEFAULT_FANOUT)


@cache
def _related_types(schema: GraphQLSchema) -> Mapping[str, tuple[str, ...]]:
    """An abstract type's member types, and under `Type.` the object types a wrapper type's fields
    return (an AgreementParty's Agreement and Unit)."""
    related: dict[str, tuple[str, ...]] = {}
    for name, type_ in schema.type_map.items():
        if isinstance(type_, GraphQLUnionType):
            related[name] = tuple(t.name for t in type_.types)
        elif isinstance(type_, GraphQLInterfaceType):
            related[name] = tuple(t.name for t in schema.get_possible_types(type_))
        elif isinstance(type_, GraphQLObjectType) and not name.startswith("__"):
            related[f"{name}."] = tuple(
                get_named_type(f.type).name for f in type_.fields.values()
                if isinstance(get_named_type(f.type), (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))
            )
    return related
