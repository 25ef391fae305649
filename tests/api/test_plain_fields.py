"""The lean executor (service/api/plain_fields.py): plain leaf and object fields read in line give the answers
and errors graphql-core gives, and fields that mask personal data or load relationships are never read in line."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLObjectType

from service.api.plain_fields import Held, lean_executor, plain_fields
from service.api.schema import build_schema


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Thing:
    name: str
    note: str | None
    count: int
    colour: Colour
    ratio: float | None
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def doubled(self) -> int:
        return 2 * self.count

    @strawberry.field
    def failing(self) -> str | None:
        raise ValueError(f"no value for {self.name}")

    @strawberry.field
    def strict(self) -> str:
        return self.raw.get("strict")  # type: ignore[return-value]  # None for a non-null field: an error


@strawberry.type
class Other:
    label: str


@strawberry.type
class Holder:
    thing: Thing | None
    things: list[Thing]
    pick: Annotated[Thing | Other, strawberry.union("Pick")]
    odd: Thing | None  # holds an Other: graphql-core decides what that answers


def _things() -> list[Thing]:
    return [
        Thing(name="a", note=None, count=1, colour=Colour.RED, ratio=0.5, raw={"strict": "s"}),
        Thing(name="b", note="n", count=3, colour=Colour.RED, ratio=None, raw={}),
    ]


@strawberry.type
class Query:
    @strawberry.field
    def holder(self) -> Holder | None:
        huge = Thing(name="c", note=None, count=2**40, colour=Colour.RED, ratio=None, raw={})  # no Int
        return Holder(thing=huge, things=_things(), pick=Other(label="o"), odd=Other(label="x"))  # type: ignore[arg-type]


QUERY = ("{ holder { things { name note colour ratio doubled failing } "
         "thing { name count } pick { ... on Thing { name } ... on Other { label } } odd { name } } "
         "holder2: holder { thing { strict } things { name strict } } }")


def _answer(executor: Any) -> tuple[Any, list[tuple[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = schema.execute_sync(QUERY)
    return result.data, sorted((e.message, e.path) for e in result.errors or [])


def test_plain_fields_answer_and_fail_as_graphql_core_does() -> None:
    lean, core = _answer(lean_executor()), _answer(None)
    assert lean == core
    data, errors = lean
    assert data["holder"]["things"][0] == {"name": "a", "note": None, "colour": "RED", "ratio": 0.5, "doubled": 2,
                                           "failing": None}
    assert data["holder"]["things"][1]["doubled"] == 6
    assert data["holder"]["thing"] is None  # count 2**40 is no Int: the error nulls the nullable parent
    assert data["holder"]["pick"] == {"label": "o"}
    assert data["holder2"] is None  # a null for a non-null field, up to the nullable root field
    messages = [m for m, _ in errors]
    assert {"no value for a", "no value for b", "Cannot return null for non-nullable field Thing.strict."} <= set(
        messages)


def test_personal_and_relationship_fields_are_never_read_in_line() -> None:
    schema = build_schema()

    def plan(name: str) -> set[str]:
        found = schema._schema.get_type(name)
        assert isinstance(found, GraphQLObjectType)
        return set(plain_fields(found))

    organisation = plan("Organisation")
    assert {"id", "name", "kind", "level", "withdrawn"} <= organisation  # withdrawn: a resolver of `self` alone
    assert not organisation & {"contact", "phone", "contactPhone", "secretary", "agreements", "parent"}
    party = schema._schema.get_type("AgreementParty")
    assert isinstance(party, GraphQLObjectType)
    held = {name for name, p in plain_fields(party).items() if isinstance(p, Held)}
    assert held == {"agreement", "unit"}  # the union Unit too
    assert not plan("Member") & {"name", "phone", "idNumber", "address"}
    assert {"id", "title", "quantity", "remaining", "claimed"} <= plan("ListItem")
    assert "signatory" in plan("AgreementParty")  # masked when the party is built (agreements/types.py)
