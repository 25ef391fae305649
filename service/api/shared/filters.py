"""The filter and ordering inputs every listing shares, and the store conditions a filter stands for;
each domain declares its own `…Where` and `…Sort` from these."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from service.graph.types import Condition, Op


@strawberry.input(description="Conditions on a text property; all given parts must hold.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    contains: str | None = None
    starts_with: str | None = None


@strawberry.input(description="Conditions on an ISO date (YYYY-MM-DD); bounds are inclusive.")
class DateFilter:
    eq: str | None = None
    gte: str | None = None
    lte: str | None = None


# a period's start, an argument named `from` (a Python keyword)
From = Annotated[str | None, strawberry.argument(name="from", description="ISO date, inclusive.")]


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def conditions(prop: str, f: StringFilter | DateFilter | None) -> list[Condition]:
    if f is None:
        return []
    found = []
    if f.eq is not None:
        found.append(Condition(prop, Op.EQ, f.eq))
    if isinstance(f, StringFilter):
        if f.in_ is not None:
            found.append(Condition(prop, Op.IN, list(f.in_)))
        if f.contains is not None:
            found.append(Condition(prop, Op.CONTAINS, f.contains))
        if f.starts_with is not None:
            found.append(Condition(prop, Op.STARTS_WITH, f.starts_with))
    else:
        if f.gte is not None:
            found.append(Condition(prop, Op.GTE, f.gte))
        if f.lte is not None:
            found.append(Condition(prop, Op.LTE, f.lte))
    return found
