"""GraphQL shapes of the workflows: the wish funnel, reporting, meeting statistics, grid coverage,
organisation health and the mutation payloads. Recipients never appear here: the Wish type shows
them to admins only."""

from __future__ import annotations

import strawberry

import service.api.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.types.entities import Agreement, Alliance, Matter, Meeting, Organisation, Region, Team, Wish
from service.model import MatterMode, TeamKind


@strawberry.type(description="The micro-wish funnel (如愿行动): wishes published in the period and how far they got; "
                             "a rated wish also counts as dispatched, accepted and fulfilled.")
class WishFunnel:
    published: int
    dispatched: int
    accepted: int = strawberry.field(description="Claimed (接单): accepted by a member, unit or enterprise.")
    fulfilled: int
    rated: int
    cancelled: int
    contributors: int = strawberry.field(description="Distinct members, units and enterprises that contributed.")
    warehouse_fulfilled: int = strawberry.field(description="Fulfilled wishes a wish warehouse (如愿义仓) supplied.")
    median_days_to_fulfil: float | None = strawberry.field(
        description="Median days from publication to fulfilment; null when no fulfilled wish has both dates.")


@strawberry.type(description="Reports (双报到) received by one community or village organisation.")
class CommunityReporting:
    community: Organisation
    members: int
    units: int = strawberry.field(description="Distinct units the reporting members belong to.")


@strawberry.type(description="Reports made by the members of one unit.")
class UnitReporting:
    unit: Organisation
    members: int
    communities: int


@strawberry.type(description="Dual reporting (在职党员双报到): units whose members reported, and those members.")
class ReportingStats:
    units: int
    members: int
    by_community: list[CommunityReporting]
    by_unit: list[UnitReporting]


@strawberry.type
class MonthCount:
    month: str = strawberry.field(description="YYYY-MM")
    meetings: int


@strawberry.type(description="One alliance's joint meetings and matters in the period.")
class AllianceMeetingStats:
    alliance: Alliance
    meetings: int
    matters: int
    matters_done: int
    overdue: int
    last_held_on: str | None
    by_month: list[MonthCount]


@strawberry.type(description="Joint meetings (联席会议) and matters (五事联办) held in the period.")
class MeetingStats:
    meetings: int
    matters: int
    important_matters: int = strawberry.field(description="Matters decided as 要事共决.")
    matters_done: int
    overdue: int = strawberry.field(description="Not done and past their deadline on asOf.")
    completion_rate: float = strawberry.field(description="Done / decided, 0 to 1 (0 when nothing was decided).")
    per_alliance: list[AllianceMeetingStats]


@strawberry.type(description="Grids of one level within a region and how many have a party branch (coverage).")
class GridCoverage:
    region: Region | None = strawberry.field(description="Null for the whole graph.")
    grid_level: int | None
    grids: int
    covered: int = strawberry.field(description="Grids with at least one party organisation located in them.")
    with_responsible: int = strawberry.field(description="Grids with at least one member responsible for them.")
    coverage: float = strawberry.field(description="covered / grids, 0 to 1.")


@strawberry.type
class BranchSize:
    organisation: Organisation
    full_members: int


@strawberry.type
class QuietAlliance:
    alliance: Alliance
    last_held_on: str | None = strawberry.field(description="The last meeting ever held; null when none.")


@strawberry.type(description="Rule breaches to follow up; reported, never refused (historical data may break them).")
class OrganisationHealth:
    as_of: str
    branches_too_small: list[BranchSize] = strawberry.field(description="Branches with fewer than 3 full members.")
    branches_too_large: list[BranchSize] = strawberry.field(description="Branches with more than 50 full members.")
    quiet_alliances: list[QuietAlliance] = strawberry.field(description="No meeting in the quarter before asOf.")
    overdue_agreements: list[Agreement] = strawberry.field(description="Past their end date yet still ACTIVE.")


@strawberry.type
class WishPayload:
    wish: Wish
    previous_status: str | None
    changed: bool = strawberry.field(description="False for a repeated publishWish (idempotent on the id).")


@strawberry.type
class MeetingPayload:
    meeting: Meeting
    matters: list[Matter]
    created: bool = strawberry.field(description="False when this meeting id was already recorded.")


@strawberry.type
class MatterPayload:
    matter: Matter
    previous_status: str | None


@strawberry.type
class ReportPayload:
    member_id: strawberry.ID
    organisation_id: strawberry.ID
    on: str | None
    post: str | None
    created: bool = strawberry.field(description="False when the member had already reported there.")


@strawberry.input
class MatterDecidedInput:
    id: strawberry.ID
    title: str
    mode: MatterMode
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="Responsible unit, if named.")
    person: str | None = None
    due: str | None = None


@strawberry.input
class RecordMeetingInput:
    id: strawberry.ID
    alliance_id: strawberry.ID
    held_on: str
    topic: str | None = None
    kind: str | None = strawberry.field(default=None, description="e.g. 联席会议")
    attendee_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    chair_id: strawberry.ID | None = strawberry.field(default=None, description="The rotating chair (轮值理事单位).")
    matters: list[MatterDecidedInput] = strawberry.field(default_factory=list)


@strawberry.type
class TeamMembershipPayload:
    team: Team
    member_id: strawberry.ID
    created: bool = strawberry.field(description="False when the member already served in the team.")


@strawberry.type
class GridDutyPayload:
    grid: Region
    member_id: strawberry.ID
    created: bool = strawberry.field(description="False when the member was already responsible for the grid.")


@strawberry.input(description="A volunteer team (志愿服务队), commando (党员突击队), think tank (智囊团) or "
                              "stationed team.")
class TeamInput:
    id: strawberry.ID
    name: str
    kind: TeamKind
    organiser_id: strawberry.ID = strawberry.field(
        description="The party organisation that organises it (ORGANISED_BY; it replaces an earlier one).")


@strawberry.input(description="A party-and-people service centre or station (党群服务中心 / 服务站).")
class ServiceCentreInput:
    id: strawberry.ID
    name: str
    region_id: strawberry.ID = strawberry.field(description="The region it is IN (it replaces an earlier one).")
    offers: list[str] | None = strawberry.field(
        default=None, description="The services it offers (服务项目); given, it replaces the old list.")
    run_by_id: strawberry.ID | None = strawberry.field(default=None, description="The organisation running it.")
    area_m2: float | None = None
