"""The workflow port: the seeds' working systems (micro-wishes, joint meetings and matters, dual
reporting, grids, organisation health) as typed, async store calls.

Neo4jStore and EmbeddedStore implement it through the mixins in neo4j_workflows.py and
embedded_workflows.py. Every transition is one atomic check-and-write (one statement in Neo4j, one
IMMEDIATE transaction in SQLite): the current state is read under the node's write lock, so two
callers racing for one wish or matter cannot both win. Reads return facts; the counting and the
rules live in service/workflows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from service.errors import AllianceError, Conflict, IllegalState, NotFound, ValidationFailed
from service.graph.store import Node
from service.model import MatterMode, MatterStatus, Supply
from service.workflows.grids import GridFact
from service.workflows.health import AgreementFact, AllianceFact, BranchFact
from service.workflows.matters import MatterFact, MeetingFact
from service.workflows.reporting import ReportFact
from service.workflows.wishes import WishFact

ACTOR_LABELS = ("Member", "Organisation", "Enterprise")


@dataclass(frozen=True, slots=True)
class WishChange:
    wish: Node
    before: str | None  # the status before this call (None for a new wish)
    changed: bool  # False for an idempotent repeat of publish


@dataclass(frozen=True, slots=True)
class WishFacts:
    wishes: list[WishFact]
    contributors: int  # distinct members, units and enterprises that CONTRIBUTED to those wishes


@dataclass(frozen=True, slots=True)
class MatterInput:
    id: str
    title: str
    mode: str
    organisation_id: str | None = None  # assigned at the meeting: IN_PROGRESS at once
    person: str | None = None
    due: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: str
    alliance_id: str
    held_on: str
    topic: str | None = None
    kind: str | None = None
    attendee_ids: tuple[str, ...] = ()
    chair_id: str | None = None  # the rotating chair (轮值理事单位) who convened it; also an attendee
    matters: tuple[MatterInput, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingChange:
    meeting: Node
    matters: list[Node]
    created: bool  # False when the meeting id was already recorded (nothing is written again)


@dataclass(frozen=True, slots=True)
class MatterChange:
    matter: Node
    before: str | None


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    meetings: list[MeetingFact]
    matters: list[MatterFact]


@dataclass(frozen=True, slots=True)
class ReportChange:
    member_id: str
    organisation_id: str
    on: str | None
    post: str | None
    created: bool  # False when the member had already reported there


@dataclass(frozen=True, slots=True)
class HealthFacts:
    branches: list[BranchFact] = field(default_factory=list)
    alliances: list[AllianceFact] = field(default_factory=list)
    agreements: list[AgreementFact] = field(default_factory=list)


class WorkflowStore(Protocol):
    # micro-wishes -------------------------------------------------------------------------
    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        """点单: a new PUBLISHED wish IN the region. Idempotent on the id (a repeat changes nothing)."""

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        """派单: PUBLISHED → DISPATCHED to an organisation."""

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        """接单: DISPATCHED → ACCEPTED by a member, organisation or enterprise; one acceptor wins."""

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        """ACCEPTED → FULFILLED; the acceptor, the contributors and the wish warehouse (goods, with
        how it supplied them) are recorded as CONTRIBUTED."""

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        """评单: FULFILLED → RATED with 1–5 and a comment."""

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        """Any state before FULFILLED → CANCELLED."""

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        """Wishes IN the region subtree published within [since, until] (ISO dates, inclusive)."""

    # joint meetings and matters --------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        """A meeting OF an alliance, its attendees and the matters decided. Idempotent on the id."""

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        """Make an organisation (and a person there) responsible, with a deadline: → IN_PROGRESS."""

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        """An assigned, unfinished matter → DONE on `on`."""

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        """Meetings of alliances covering the region subtree held within [since, until], and their matters."""

    # dual reporting ----------------------------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        """An in-service member REPORTED_TO a community or village organisation, optionally
        taking a service post there; a member reports to one community."""

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        """Every report to an organisation located in the region subtree."""

    async def unreported_members(self, unit_id: str) -> list[Node]:
        """In-service members of the organisation who have not reported anywhere yet."""

    # grids and health --------------------------------------------------------------------------
    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        """Every grid in the region subtree with its branches and responsible members."""

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        """BRANCH organisations with their full members, alliances with the day of their last
        meeting, ACTIVE agreements with an end date, in the subtree."""


_WISH_REJECTIONS: dict[str, tuple[type[AllianceError], str]] = {
    "NO_WISH": (NotFound, "no wish {wish_id!r}"),
    "NO_REGION": (NotFound, "no region {target!r} to publish the wish in"),
    "ID_TAKEN": (Conflict, "id {wish_id!r} is already used by a node that is not a wish"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to dispatch the wish to"),
    "NO_ACTOR": (NotFound, "no member, organisation or enterprise {target!r} to accept the wish"),
    "NO_CONTRIBUTOR": (NotFound, "no member, organisation or enterprise {target!r} to contribute"),
    "NOT_WAREHOUSE": (ValidationFailed, "{target!r} is not a wish-warehouse enterprise (如愿义仓)"),
}


def wish_rejection(outcome: str, wish_id: str, target: Any = None) -> AllianceError:
    """The error for a refused wish call other than an illegal transition, the same from both stores."""
    kind, template = _WISH_REJECTIONS[outcome]
    return kind(template.format(wish_id=wish_id, target=target))


_MATTER_REJECTIONS: dict[str, tuple[type[AllianceError], str]] = {
    "NO_MATTER": (NotFound, "no matter {matter_id!r}"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to assign the matter to"),
}


def matter_rejection(outcome: str, matter_id: str, target: Any = None) -> AllianceError:
    kind, template = _MATTER_REJECTIONS[outcome]
    return kind(template.format(matter_id=matter_id, target=target))


_MEETING_REJECTIONS: dict[str, tuple[type[AllianceError], str]] = {
    "NO_ALLIANCE": (NotFound, "no alliance {target!r} to hold the meeting"),
    "NO_ATTENDEE": (NotFound, "no organisation {target!r} to attend the meeting"),
    "ID_TAKEN": (Conflict, "id {target!r} is already used by another node"),
    "OTHER_ALLIANCE": (Conflict, "meeting {meeting_id!r} is already recorded for alliance {target!r}"),
    "NO_ASSIGNEE": (NotFound, "no organisation {target!r} to assign a matter to"),
}


def meeting_rejection(outcome: str, meeting_id: str, target: Any = None) -> AllianceError:
    kind, template = _MEETING_REJECTIONS[outcome]
    return kind(template.format(meeting_id=meeting_id, target=target))


_REPORT_REJECTIONS: dict[str, tuple[type[AllianceError], str]] = {
    "NO_MEMBER": (NotFound, "no member {member_id!r}"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to report to"),
    "NOT_COMMUNITY": (ValidationFailed, "organisation {target!r} is not a community or village party organisation; "
                                        "members report to the community where they live"),
    "RETIRED": (IllegalState, "member {member_id!r} is not in service; dual reporting is for in-service members"),
    "ELSEWHERE": (IllegalState, "member {member_id!r} has already reported to {target!r}; a member reports to one "
                                "community (where they live)"),
}


def report_rejection(outcome: str, member_id: str, target: Any = None) -> AllianceError:
    kind, template = _REPORT_REJECTIONS[outcome]
    return kind(template.format(member_id=member_id, target=target))


def meeting_props(record: MeetingRecord) -> dict[str, Any]:
    props = {"id": record.id, "heldOn": record.held_on, "topic": record.topic, "kind": record.kind}
    return {k: v for k, v in props.items() if v is not None}


def matter_props(matter: MatterInput, decided_on: str) -> dict[str, Any]:
    """A new matter: OPEN, or IN_PROGRESS when the meeting already named who is responsible."""
    status = MatterStatus.IN_PROGRESS if matter.organisation_id else MatterStatus.OPEN
    props = {"id": matter.id, "title": matter.title, "mode": matter.mode, "status": status.value,
             "decidedOn": decided_on, "due": matter.due}
    return {k: v for k, v in props.items() if v is not None}


def check_meeting(record: MeetingRecord) -> None:
    """Input rules both stores share: distinct matter ids, modes of 五事联办."""
    ids = [m.id for m in record.matters]
    if len(set(ids)) != len(ids) or record.id in ids:
        raise ValidationFailed(f"meeting {record.id!r}: matter ids must be distinct and differ from the meeting's")
    modes = {m.value for m in MatterMode}
    for m in record.matters:
        if m.mode not in modes:
            raise ValidationFailed(f"matter {m.id!r}: mode {m.mode!r} is not one of {', '.join(sorted(modes))}")
        if (m.person or m.due) and not m.organisation_id:
            raise ValidationFailed(f"matter {m.id!r}: a person or deadline needs the responsible organisation too")
