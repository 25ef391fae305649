"""Filter, ordering and pagination inputs of the connections."""

from __future__ import annotations

from enum import Enum

import strawberry

import service.api.enums  # noqa: F401  (names the model's enums before the types use them)
from service.graph.types import Condition, Op
from service.model import ListKind


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


@strawberry.input
class RegionWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    level: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class OrganisationWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None
    level: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class EnterpriseWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    industry: StringFilter | None = None
    ownership: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class AgreementWhere:
    id: StringFilter | None = None
    title: StringFilter | None = None
    kind: StringFilter | None = None
    status: StringFilter | None = None
    signed_on: DateFilter | None = None
    valid_from: DateFilter | None = None
    valid_to: DateFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class AllianceWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None
    model: StringFilter | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")


@strawberry.input
class ListItemWhere:
    list: ListKind | None = None
    category: str | None = None
    status: str | None = None
    publisher_id: strawberry.ID | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")
    unclaimed: bool | None = strawberry.field(
        default=None, description="true: remaining quantity > 0; false: fully claimed."
    )


@strawberry.enum
class RegionSort(Enum):
    ID = "id"
    NAME = "name"
    LEVEL = "level"


@strawberry.enum
class OrganisationSort(Enum):
    ID = "id"
    NAME = "name"
    KIND = "kind"
    LEVEL = "level"


@strawberry.enum
class EnterpriseSort(Enum):
    ID = "id"
    NAME = "name"
    INDUSTRY = "industry"
    OWNERSHIP = "ownership"


@strawberry.enum
class AgreementSort(Enum):
    ID = "id"
    TITLE = "title"
    KIND = "kind"
    STATUS = "status"
    SIGNED_ON = "signedOn"
    VALID_FROM = "validFrom"
    VALID_TO = "validTo"


@strawberry.enum
class AllianceSort(Enum):
    ID = "id"
    NAME = "name"
    KIND = "kind"


@strawberry.enum
class ListItemSort(Enum):
    ID = "id"
    TITLE = "title"
    CATEGORY = "category"
    QUANTITY = "quantity"
    PUBLISHED_ON = "publishedOn"
    STATUS = "status"
