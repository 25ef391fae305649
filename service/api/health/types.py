"""The organisation health report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from service.api.shared.refs import Agreement, Alliance, Organisation


@strawberry.type
class BranchSize:
    organisation: Annotated["Organisation", strawberry.lazy("service.api.units.types")]
    full_members: int


@strawberry.type
class QuietAlliance:
    alliance: Annotated["Alliance", strawberry.lazy("service.api.alliances.types")]
    last_held_on: str | None = strawberry.field(description="The last meeting ever held; null when none.")


@strawberry.type(description="Rule breaches to follow up; reported, never refused (historical data may break them).")
class OrganisationHealth:
    as_of: str
    branches_too_small: list[BranchSize] = strawberry.field(description="Branches with fewer than 3 full members.")
    branches_too_large: list[BranchSize] = strawberry.field(description="Branches with more than 50 full members.")
    quiet_alliances: list[QuietAlliance] = strawberry.field(description="No meeting in the quarter before asOf.")
    overdue_agreements: list[Annotated["Agreement", strawberry.lazy("service.api.agreements.types")]] = (
        strawberry.field(description="Past their end date yet still ACTIVE."))
