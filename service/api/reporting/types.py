"""The dual reporting statistics and the report payload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from service.api.shared.refs import Organisation


@strawberry.type(description="Reports (双报到) received by one community or village organisation.")
class CommunityReporting:
    community: Annotated["Organisation", strawberry.lazy("service.api.units.types")]
    members: int
    units: int = strawberry.field(description="Distinct units the reporting members belong to.")


@strawberry.type(description="Reports made by the members of one unit.")
class UnitReporting:
    unit: Annotated["Organisation", strawberry.lazy("service.api.units.types")]
    members: int
    communities: int


@strawberry.type(description="Dual reporting (在职党员双报到): units whose members reported, and those members.")
class ReportingStats:
    units: int
    members: int
    by_community: list[CommunityReporting]
    by_unit: list[UnitReporting]


@strawberry.type
class ReportPayload:
    member_id: strawberry.ID
    organisation_id: strawberry.ID
    on: str | None
    post: str | None
    created: bool = strawberry.field(description="False when the member had already reported there.")
